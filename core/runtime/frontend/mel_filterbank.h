#pragma once
// Mel filterbank exactly as librosa.filters.mel: triangles over the FFT bin
// frequencies linspace(0, sr/2, n_fft/2 + 1), corners at n_mels + 2 points
// evenly spaced in mel between fmin and fmax, optional Slaney area norm.

#include <vector>

#include "core/runtime/frontend/mfcc_config.h"

namespace tm2::runtime {

// Slaney (Auditory Toolbox): linear 3 mel per 200 Hz below 1 kHz, logarithmic
// above; HTK: 2595 log10(1 + f / 700).
double hzToMel(double hz, MelScale scale);
double melToHz(double mel, MelScale scale);

// Row-major n_mels × (n_fft/2 + 1), computed in double, stored as float (librosa's dtype).
std::vector<float> melFilterbankWeights(const MfccConfig& config);

// One triangle's nonzero bins: weights[i] applies to FFT bin first_bin + i.
struct SparseMelFilter {
    int first_bin = 0;
    std::vector<float> weights;
};

// Drops the zero bins at both ends of each row of a dense rows × cols filterbank.
std::vector<SparseMelFilter> sparseFilters(const std::vector<float>& filterbank, std::size_t rows,
                                           std::size_t cols);

}  // namespace tm2::runtime
