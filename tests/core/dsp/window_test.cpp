#include "core/dsp/window.h"

#include <gtest/gtest.h>

#include <cmath>

#include "core/base/error.h"

namespace tm2::dsp {
namespace {

void expectValues(const std::vector<double>& got, const std::vector<double>& want) {
    ASSERT_EQ(got.size(), want.size());
    for (std::size_t i = 0; i < want.size(); ++i) EXPECT_NEAR(got[i], want[i], 1e-12) << i;
}

TEST(WindowTest, HannIsPeriodic) {
    // scipy.signal.get_window("hann", 4, fftbins=True) = 0.5 - 0.5 cos(2πn/4).
    expectValues(periodicWindow(WindowKind::Hann, 4), {0.0, 0.5, 1.0, 0.5});
}

TEST(WindowTest, HammingIsPeriodic) {
    // get_window("hamming", 4, fftbins=True) = 0.54 - 0.46 cos(2πn/4).
    expectValues(periodicWindow(WindowKind::Hamming, 4), {0.08, 0.54, 1.0, 0.54});
}

TEST(WindowTest, ShortWindowIsCentredInTheFrame) {
    // librosa.util.pad_center: offset (8 - 4) / 2 = 2, and (8 - 5) / 2 = 1 for odd lengths.
    expectValues(centredWindow(WindowKind::Hann, 4, 8), {0, 0, 0.0, 0.5, 1.0, 0.5, 0, 0});
    const std::vector<double> odd = centredWindow(WindowKind::Hann, 5, 8);
    EXPECT_EQ(odd[0], 0.0);
    EXPECT_EQ(odd[6], 0.0);
    EXPECT_EQ(odd[7], 0.0);
    EXPECT_NEAR(odd[1 + 2], 0.5 - 0.5 * std::cos(2.0 * std::acos(-1.0) * 2 / 5), 1e-12);
}

TEST(WindowTest, RejectsImpossibleLengths) {
    EXPECT_THROW(periodicWindow(WindowKind::Hann, 0), Error);
    EXPECT_THROW(centredWindow(WindowKind::Hann, 9, 8), Error);
}

}  // namespace
}  // namespace tm2::dsp
