#include "core/runtime/frontend/mel_filterbank.h"

#include <algorithm>
#include <cmath>

namespace tm2::runtime {

namespace {
// Slaney's constants (librosa.hz_to_mel with htk=False).
constexpr double kLinearHzPerMel = 200.0 / 3.0;
constexpr double kLogStartHz = 1000.0;
constexpr double kLogStartMel = kLogStartHz / kLinearHzPerMel;
const double kLogStep = std::log(6.4) / 27.0;
}  // namespace

double hzToMel(double hz, MelScale scale) {
    if (scale == MelScale::Htk) return 2595.0 * std::log10(1.0 + hz / 700.0);
    if (hz >= kLogStartHz) return kLogStartMel + std::log(hz / kLogStartHz) / kLogStep;
    return hz / kLinearHzPerMel;
}

double melToHz(double mel, MelScale scale) {
    if (scale == MelScale::Htk) return 700.0 * (std::pow(10.0, mel / 2595.0) - 1.0);
    if (mel >= kLogStartMel) return kLogStartHz * std::exp(kLogStep * (mel - kLogStartMel));
    return kLinearHzPerMel * mel;
}

std::vector<float> melFilterbankWeights(const MfccConfig& config) {
    const int n_mels = config.n_mels;
    const int n_bins = config.n_fft / 2 + 1;
    const MelScale scale = config.mel_scale;

    // Corner frequencies: np.linspace over mel, mapped back to Hz.
    const double mel_lo = hzToMel(config.fmin, scale);
    const double mel_hi = hzToMel(config.effectiveFmax(), scale);
    std::vector<double> corners(static_cast<std::size_t>(n_mels) + 2);
    const int n_corners = n_mels + 2;
    for (int i = 0; i < n_corners; ++i)
        corners[i] = melToHz(mel_lo + (mel_hi - mel_lo) * i / (n_corners - 1), scale);

    std::vector<float> fb(static_cast<std::size_t>(n_mels) * n_bins);
    const double nyquist = config.sample_rate / 2.0;
    for (int m = 0; m < n_mels; ++m) {
        const double left_width = corners[m + 1] - corners[m];
        const double right_width = corners[m + 2] - corners[m + 1];
        const double norm = config.slaney_norm ? 2.0 / (corners[m + 2] - corners[m]) : 1.0;
        for (int k = 0; k < n_bins; ++k) {
            const double f = nyquist * k / (n_bins - 1);  // np.linspace(0, sr/2, n_bins)
            // librosa's ramps: rising edge (f - lo) / width, falling (hi - f) / width.
            const double rising = (f - corners[m]) / left_width;
            const double falling = (corners[m + 2] - f) / right_width;
            fb[static_cast<std::size_t>(m) * n_bins + k] =
                static_cast<float>(std::max(0.0, std::min(rising, falling)) * norm);
        }
    }
    return fb;
}

std::vector<SparseMelFilter> sparseFilters(const std::vector<float>& filterbank, std::size_t rows,
                                           std::size_t cols) {
    std::vector<SparseMelFilter> filters(rows);
    for (std::size_t m = 0; m < rows; ++m) {
        const float* row = filterbank.data() + m * cols;
        std::size_t lo = 0;
        while (lo < cols && row[lo] == 0.0f) ++lo;
        std::size_t hi = cols;
        while (hi > lo && row[hi - 1] == 0.0f) --hi;
        filters[m].first_bin = static_cast<int>(lo);
        filters[m].weights.assign(row + lo, row + hi);
    }
    return filters;
}

}  // namespace tm2::runtime
