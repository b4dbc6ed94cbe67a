#include "core/dsp/fast_log.h"

#include <gtest/gtest.h>

#include <cmath>

namespace tm2::dsp {
namespace {

TEST(FastLogTest, MatchesStdLogFromAminToHugeEnergies) {
    // Geometric sweep 1e-10 .. 1e12 (the dB range MFCC sees), ~0.01 % steps so
    // every exponent and the z = 0.70 / 1.40 seams are crossed many times.
    double worst = 0.0;
    for (float x = 1e-10f; x < 1e12f; x *= 1.0001f) {
        const double want = std::log(static_cast<double>(x));
        worst = std::max(worst, std::abs(lnOfFloatBits(floatBits(x)) - want));
    }
    EXPECT_LT(worst, 3e-6);  // float rounding of values up to |ln x| ~ 28
}

TEST(FastLogTest, IsExactAtPowersOfTwoAndOne) {
    EXPECT_EQ(lnOfFloatBits(floatBits(1.0f)), 0.0f);
    EXPECT_NEAR(lnOfFloatBits(floatBits(1024.0f)), 10.0 * std::log(2.0), 1e-5);
    EXPECT_NEAR(lnOfFloatBits(floatBits(0.5f)), -std::log(2.0), 1e-7);
}

TEST(FastLogTest, BitOrderIsValueOrderForNonNegativeFloats) {
    EXPECT_LT(floatBits(0.0f), floatBits(1e-10f));
    EXPECT_LT(floatBits(1e-10f), floatBits(0.5f));
    EXPECT_LT(floatBits(0.5f), floatBits(3e8f));
}

}  // namespace
}  // namespace tm2::dsp
