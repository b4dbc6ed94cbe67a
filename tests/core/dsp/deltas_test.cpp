#include "core/dsp/deltas.h"

#include <gtest/gtest.h>

#include <vector>

namespace tm2::dsp {
namespace {

// One column of `frames` values f(t), deltas of the given order.
std::vector<float> deltasOf(const std::vector<float>& column, int width, int order) {
    std::vector<float> out(column.size(), -1.0f);
    timeDeltas(column.data(), 1, static_cast<int>(column.size()), 1, width, order, out.data(), 1);
    return out;
}

TEST(DeltasTest, CentredWeightsAreTheLeastSquaresSlope) {
    // Linear fit over k = -4..4: slope = Σ k x_k / Σ k², Σ k² = 60.
    const std::vector<double> w = savgolWeights(9, 1, 1, 4.0);
    ASSERT_EQ(w.size(), 9u);
    for (int k = -4; k <= 4; ++k) EXPECT_NEAR(w[k + 4], k / 60.0, 1e-12);
}

TEST(DeltasTest, RampHasConstantDeltaIncludingEdges) {
    std::vector<float> ramp(20);
    for (int t = 0; t < 20; ++t) ramp[t] = 3.0f * t + 1.0f;
    for (float d : deltasOf(ramp, 9, 1)) EXPECT_NEAR(d, 3.0f, 1e-4);
    for (float d : deltasOf(ramp, 9, 2)) EXPECT_NEAR(d, 0.0f, 1e-4);
}

TEST(DeltasTest, QuadraticFollowsInterpModeAtTheEdges) {
    // f = t²: interior delta is the centred slope 2t; the first 4 frames use the
    // line fitted to t = 0..8, slope 2·4 = 8 ("interp"), the last 4 the line over
    // t = 11..19, slope 2·15 = 30. The quadratic fit gives delta2 = 2 everywhere.
    std::vector<float> sq(20);
    for (int t = 0; t < 20; ++t) sq[t] = static_cast<float>(t * t);
    const std::vector<float> d1 = deltasOf(sq, 9, 1);
    for (int t = 0; t < 4; ++t) EXPECT_NEAR(d1[t], 8.0f, 1e-3) << t;
    for (int t = 4; t < 16; ++t) EXPECT_NEAR(d1[t], 2.0f * t, 1e-3) << t;
    for (int t = 16; t < 20; ++t) EXPECT_NEAR(d1[t], 30.0f, 1e-3) << t;
    for (float d : deltasOf(sq, 9, 2)) EXPECT_NEAR(d, 2.0f, 1e-3);
}

TEST(DeltasTest, MatchesSavgolOnIrregularData) {
    // scipy.signal.savgol_filter(x, 5, polyorder=1, deriv=1, mode="interp") on
    // x = [0, 1, 4, 2, 5, 3, 8] gives [1.1, 1.1, 1.1, 0.5, 0.9, 0.9, 0.9]. By hand,
    // Σ k x / Σ k² with Σ k² = 10: t=2 (0·-2 + 1·-1 + 2·1 + 5·2)/10 = 1.1 (and the
    // first two frames share t=2's window), t=3 (-2 - 4 + 5 + 6)/10 = 0.5.
    const std::vector<float> x = {0, 1, 4, 2, 5, 3, 8};
    const std::vector<float> want = {1.1f, 1.1f, 1.1f, 0.5f, 0.9f, 0.9f, 0.9f};
    const std::vector<float> d = deltasOf(x, 5, 1);
    for (std::size_t t = 0; t < want.size(); ++t) EXPECT_NEAR(d[t], want[t], 1e-5) << t;
}

TEST(DeltasTest, ShortInputShrinksTheWindow) {
    // 5 frames < width 9: a 5-frame window still recovers the ramp's slope;
    // 2 frames leave no odd window above order 1, so the deltas are zero.
    EXPECT_NEAR(deltasOf({1, 3, 5, 7, 9}, 9, 1)[0], 2.0f, 1e-5);
    EXPECT_NEAR(deltasOf({1, 3, 5, 7}, 9, 1)[3], 2.0f, 1e-5);
    for (float d : deltasOf({1, 3}, 9, 1)) EXPECT_EQ(d, 0.0f);
}

}  // namespace
}  // namespace tm2::dsp
