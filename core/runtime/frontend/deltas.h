#pragma once
// Time derivatives of feature frames as librosa.feature.delta: a Savitzky–Golay
// filter (scipy.signal.savgol_filter, polyorder = deriv = order, mode "interp").

#include <vector>

namespace tm2::runtime {

// Weights w such that Σ_j w[j] x[j] is the `deriv`-th derivative, at position
// `at`, of the least-squares polynomial of degree `polyorder` through
// x[0..window-1] sampled at positions 0..window-1.
std::vector<double> savgolWeights(int window, int polyorder, int deriv, double at);

// Rows are frames. out[t][c] = order-th derivative of in[.][c] around frame t:
// interior frames use the centred window; the first and last width/2 frames
// evaluate the polynomial fitted to the first / last `width` frames ("interp").
// librosa refuses fewer frames than `width`; here the window shrinks to the
// largest odd size <= frames, and the output is zero when that is <= order.
void timeDeltas(const float* in, int in_stride, int frames, int cols, int width, int order, float* out,
                int out_stride);

}  // namespace tm2::runtime
