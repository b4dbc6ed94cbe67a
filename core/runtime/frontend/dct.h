#pragma once
// Orthonormal DCT-II (scipy.fft.dct(type=2, norm="ortho")) as a matrix, the
// cepstral step of librosa.feature.mfcc.

#include <vector>

namespace tm2::runtime {

// Row-major n_out × n_in: y[k] = Σ_n x[n] c_k cos(πk(2n+1) / 2N), with
// c_0 = sqrt(1/N), c_k = sqrt(2/N); only the first n_out rows are kept.
std::vector<float> orthoDctMatrix(int n_out, int n_in);

}  // namespace tm2::runtime
