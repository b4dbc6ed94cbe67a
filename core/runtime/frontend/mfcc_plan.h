#pragma once
// The tables the batched MFCC kernels read (mfcc_batch.h): the analysis window,
// the real FFT's twiddles and the sparse mel filterbank, computed once per
// MfccExtractor so a call only does arithmetic.

#include <vector>

#include "core/runtime/frontend/mfcc_config.h"

namespace tm2::runtime {

struct MfccPlan {
    int n_fft = 0;
    int half = 0;  // n_fft / 2: the complex FFT's length (the real signal packed as re/im pairs)
    int hop = 0;
    long long pad = 0;           // centred frames start n_fft / 2 before their hop
    int win_lo = 0, win_hi = 0;  // the window's nonzero span inside the frame
    std::vector<float> window;   // n_fft long, zero outside [win_lo, win_hi)
    // Stockham radix-4 stages of the half-length complex FFT, each p < n/4 of a stage
    // as w^p, w^2p, w^3p (re, im), w = e^(-2πi/n); then one radix-2 stage when needed.
    std::vector<float> stage_twiddles;
    // The real-FFT split: e^(-2πik/n_fft) for k in [0, half), (re, im).
    std::vector<float> split_twiddles;
    double power = 2.0;
    int n_mels = 0;
    // Filter m covers bins first[m] .. first[m]+count[m]-1, weights from weights[offset[m]].
    std::vector<int> first, count, offset;
    std::vector<float> weights;
};

// True when the batched kernels handle this FFT size (a power of two, at least 8);
// other sizes take the KissFFT path.
bool batchedFftSupports(int n_fft);

// Throws tm2::Error when !batchedFftSupports(config.n_fft). `window` is the centred
// analysis window, `filterbank` the dense n_mels × (n_fft/2 + 1) mel weights.
MfccPlan makeMfccPlan(const MfccConfig& config, const std::vector<float>& window,
                      const std::vector<float>& filterbank);

}  // namespace tm2::runtime
