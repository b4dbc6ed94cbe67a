#include "core/dsp/dct.h"

#include <gtest/gtest.h>

#include <cmath>

#include "core/base/error.h"

namespace tm2::dsp {
namespace {

TEST(DctTest, SquareOrthoDctIsOrthonormal) {
    const int n = 12;
    const std::vector<float> m = orthoDctMatrix(n, n);
    for (int a = 0; a < n; ++a)
        for (int b = 0; b < n; ++b) {
            double dot = 0.0;
            for (int i = 0; i < n; ++i) dot += static_cast<double>(m[a * n + i]) * m[b * n + i];
            EXPECT_NEAR(dot, a == b ? 1.0 : 0.0, 1e-6) << a << "," << b;
        }
}

TEST(DctTest, MatchesScipyOrthoDefinition) {
    // scipy.fft.dct(x, type=2, norm="ortho"): row 0 = sqrt(1/N), row k =
    // sqrt(2/N) cos(πk(2n+1)/2N). For N = 4: row 0 = 0.5, m[1][0] = sqrt(0.5) cos(π/8).
    const std::vector<float> m = orthoDctMatrix(2, 4);
    ASSERT_EQ(m.size(), 8u);
    for (int i = 0; i < 4; ++i) EXPECT_NEAR(m[i], 0.5, 1e-7);
    EXPECT_NEAR(m[4], std::sqrt(0.5) * std::cos(std::acos(-1.0) / 8), 1e-7);
    EXPECT_NEAR(m[7], -m[4], 1e-7);
}

TEST(DctTest, RejectsMoreOutputsThanInputs) { EXPECT_THROW(orthoDctMatrix(5, 4), Error); }

}  // namespace
}  // namespace tm2::dsp
