#pragma once
// Analysis windows as librosa uses them: periodic (scipy get_window with
// fftbins=True), zero-padded and centred inside the FFT frame.

#include <vector>

#include "core/runtime/frontend/mfcc_config.h"

namespace tm2::runtime {

// w[n] = a - (1 - a) cos(2πn / length), a = 0.5 (Hann) or 0.54 (Hamming).
std::vector<double> periodicWindow(WindowKind kind, int length);

// A `win_length` window centred in `n_fft` zeros, offset (n_fft - win_length) / 2
// (librosa.util.pad_center).
std::vector<double> centredWindow(WindowKind kind, int win_length, int n_fft);

}  // namespace tm2::runtime
