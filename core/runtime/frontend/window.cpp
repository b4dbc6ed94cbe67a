#include "core/runtime/frontend/window.h"

#include <cmath>

#include "core/base/error.h"

namespace tm2::runtime {

std::vector<double> periodicWindow(WindowKind kind, int length) {
    if (length <= 0) throw Error("window: length must be > 0, got " + std::to_string(length));
    const double a = kind == WindowKind::Hann ? 0.5 : 0.54;
    const double pi = std::acos(-1.0);
    std::vector<double> w(static_cast<std::size_t>(length));
    for (int n = 0; n < length; ++n) w[n] = a - (1.0 - a) * std::cos(2.0 * pi * n / length);
    return w;
}

std::vector<double> centredWindow(WindowKind kind, int win_length, int n_fft) {
    if (win_length > n_fft)
        throw Error("window: win_length " + std::to_string(win_length) + " exceeds n_fft " +
                    std::to_string(n_fft));
    const std::vector<double> w = periodicWindow(kind, win_length);
    std::vector<double> out(static_cast<std::size_t>(n_fft), 0.0);
    const int offset = (n_fft - win_length) / 2;
    for (int n = 0; n < win_length; ++n) out[offset + n] = w[n];
    return out;
}

}  // namespace tm2::runtime
