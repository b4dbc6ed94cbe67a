#include "core/dsp/mel_filterbank.h"

#include <gtest/gtest.h>

#include <cmath>

namespace tm2::dsp {
namespace {

MfccConfig tinyConfig(MelScale scale) {
    MfccConfig c;
    c.sample_rate = 8000;
    c.n_fft = 16;
    c.n_mels = 4;
    c.n_mfcc = 4;
    c.mel_scale = scale;
    return c;
}

void expectFilterbank(const Tensor& fb, const double (&want)[4][9]) {
    ASSERT_EQ(fb.shape, (std::vector<std::size_t>{4, 9}));
    for (int m = 0; m < 4; ++m)
        for (int k = 0; k < 9; ++k)
            EXPECT_NEAR(fb.at(m, k), want[m][k], 1e-6 * std::abs(want[m][k]) + 1e-12)
                << "filter " << m << " bin " << k;
}

TEST(MelFilterbankTest, SlaneyMatchesLibrosaOnTinyConfig) {
    // `/usr/bin/python3 bench/mfcc_peers.py filterbank`: librosa.filters.mel(sr=8000,
    // n_fft=16, n_mels=4) re-implemented in float64 (Slaney scale, norm="slaney").
    const double want[4][9] = {
        {0, 0.00199117176, 0, 0, 0, 0, 0, 0, 0},
        {0, 0.000126310239, 0.00169804267, 6.79575099e-05, 0, 0, 0, 0, 0},
        {0, 0, 0.000139766584, 0.00126149372, 0.000645340572, 0, 0, 0, 0},
        {0, 0, 0, 0, 0.00040878252, 0.000789077745, 0.00052605183, 0.000263025915, 0},
    };
    expectFilterbank(melFilterbank(tinyConfig(MelScale::Slaney)), want);
}

TEST(MelFilterbankTest, HtkMatchesLibrosaOnTinyConfig) {
    // Same script, librosa.filters.mel(sr=8000, n_fft=16, n_mels=4, htk=True).
    const double want[4][9] = {
        {0, 0.00157719664, 0, 0, 0, 0, 0, 0, 0},
        {0, 0.00063196139, 0.00121599321, 0, 0, 0, 0, 0, 0},
        {0, 0, 0.000337294274, 0.00116162537, 0.000587373978, 1.31225824e-05, 0, 0, 0},
        {0, 0, 0, 4.46543972e-06, 0.000396841133, 0.000789216826, 0.000536206566, 0.000268103283, 0},
    };
    expectFilterbank(melFilterbank(tinyConfig(MelScale::Htk)), want);
}

TEST(MelFilterbankTest, WithoutSlaneyNormTrianglesPeakAtOne) {
    // Unnormalised triangles: each peak is 1 at its centre; a bin lying exactly on
    // a centre gets 1, the others less. With 128 mels over 4 kHz some bins are close.
    MfccConfig c;
    c.slaney_norm = false;
    const Tensor fb = melFilterbank(c);
    for (std::size_t m = 0; m < fb.shape[0]; ++m) {
        float peak = 0.0f;
        for (std::size_t k = 0; k < fb.shape[1]; ++k) peak = std::max(peak, fb.at(m, k));
        EXPECT_LE(peak, 1.0f + 1e-6f);
        EXPECT_GT(peak, 0.4f) << "filter " << m;  // 40 mels over 257 bins: every triangle spans a bin
    }
}

TEST(MelFilterbankTest, SlaneyScaleIsLinearBelowOneKilohertz) {
    // 3 mel per 200 Hz up to 1 kHz (15 mel), then 27 mel per factor 6.4.
    EXPECT_DOUBLE_EQ(hzToMel(200.0, MelScale::Slaney), 3.0);
    EXPECT_DOUBLE_EQ(hzToMel(1000.0, MelScale::Slaney), 15.0);
    EXPECT_NEAR(hzToMel(6400.0, MelScale::Slaney), 42.0, 1e-12);
    EXPECT_NEAR(melToHz(42.0, MelScale::Slaney), 6400.0, 1e-9);
}

TEST(MelFilterbankTest, HtkScaleUsesTheLogFormula) {
    // 2595 log10(1 + 700/700) = 2595 log10 2.
    EXPECT_NEAR(hzToMel(700.0, MelScale::Htk), 2595.0 * std::log10(2.0), 1e-9);
    for (double hz : {0.0, 123.0, 999.0, 4321.0})
        EXPECT_NEAR(melToHz(hzToMel(hz, MelScale::Htk), MelScale::Htk), hz, 1e-9);
}

TEST(MelFilterbankTest, SparseFiltersKeepOnlyTheNonzeroRun) {
    const Tensor fb = melFilterbank(tinyConfig(MelScale::Slaney));
    const std::vector<SparseMelFilter> sparse = sparseFilters(fb);
    ASSERT_EQ(sparse.size(), 4u);
    EXPECT_EQ(sparse[0].first_bin, 1);
    EXPECT_EQ(sparse[0].weights.size(), 1u);
    EXPECT_EQ(sparse[3].first_bin, 4);
    EXPECT_EQ(sparse[3].weights.size(), 4u);
    for (std::size_t m = 0; m < 4; ++m)
        for (std::size_t i = 0; i < sparse[m].weights.size(); ++i)
            EXPECT_EQ(sparse[m].weights[i], fb.at(m, sparse[m].first_bin + i));
}

}  // namespace
}  // namespace tm2::dsp
