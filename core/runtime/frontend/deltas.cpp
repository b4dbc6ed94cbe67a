#include "core/runtime/frontend/deltas.h"

#include <cmath>
#include <string>
#include <utility>

#include "core/base/error.h"

namespace tm2::runtime {

namespace {

// Solves the small dense system m x = b in place (Gaussian elimination, partial pivoting).
std::vector<double> solve(std::vector<std::vector<double>> m, std::vector<double> b) {
    const std::size_t n = b.size();
    for (std::size_t col = 0; col < n; ++col) {
        std::size_t pivot = col;
        for (std::size_t r = col + 1; r < n; ++r)
            if (std::abs(m[r][col]) > std::abs(m[pivot][col])) pivot = r;
        std::swap(m[col], m[pivot]);
        std::swap(b[col], b[pivot]);
        for (std::size_t r = col + 1; r < n; ++r) {
            const double f = m[r][col] / m[col][col];
            for (std::size_t c = col; c < n; ++c) m[r][c] -= f * m[col][c];
            b[r] -= f * b[col];
        }
    }
    std::vector<double> x(n);
    for (std::size_t i = n; i-- > 0;) {
        double s = b[i];
        for (std::size_t c = i + 1; c < n; ++c) s -= m[i][c] * x[c];
        x[i] = s / m[i][i];
    }
    return x;
}

void applyWeights(const std::vector<double>& w, const float* in, int in_stride, int first_frame, int cols,
                  float* out_row) {
    for (int c = 0; c < cols; ++c) {
        double s = 0.0;
        for (std::size_t j = 0; j < w.size(); ++j)
            s += w[j] * in[static_cast<std::size_t>(first_frame + static_cast<int>(j)) * in_stride + c];
        out_row[c] = static_cast<float>(s);
    }
}

}  // namespace

std::vector<double> savgolWeights(int window, int polyorder, int deriv, double at) {
    if (window < 1 || polyorder < 0 || polyorder >= window || deriv < 0)
        throw Error("savgol: need 0 <= polyorder < window, got window " + std::to_string(window) +
                    ", polyorder " + std::to_string(polyorder));
    if (deriv > polyorder) return std::vector<double>(static_cast<std::size_t>(window), 0.0);
    // Positions centred on the window keep the normal equations well conditioned.
    const double mid = (window - 1) / 2.0;
    const std::size_t q = static_cast<std::size_t>(polyorder) + 1;
    std::vector<std::vector<double>> normal(q, std::vector<double>(q, 0.0));
    for (int j = 0; j < window; ++j) {
        const double t = j - mid;
        for (std::size_t a = 0; a < q; ++a)
            for (std::size_t b = 0; b < q; ++b) normal[a][b] += std::pow(t, static_cast<double>(a + b));
    }
    // d^deriv/dt^deriv of t^p at `at` is p!/(p-deriv)! at^(p-deriv).
    std::vector<double> row(q, 0.0);
    const double at_c = at - mid;
    for (std::size_t p = static_cast<std::size_t>(deriv); p < q; ++p) {
        double falling = 1.0;
        for (std::size_t i = 0; i < static_cast<std::size_t>(deriv); ++i)
            falling *= static_cast<double>(p - i);
        row[p] = falling * std::pow(at_c, static_cast<double>(p - static_cast<std::size_t>(deriv)));
    }
    const std::vector<double> z = solve(normal, row);  // normal is symmetric
    std::vector<double> w(static_cast<std::size_t>(window), 0.0);
    for (int j = 0; j < window; ++j) {
        const double t = j - mid;
        for (std::size_t p = 0; p < q; ++p) w[j] += z[p] * std::pow(t, static_cast<double>(p));
    }
    return w;
}

void timeDeltas(const float* in, int in_stride, int frames, int cols, int width, int order, float* out,
                int out_stride) {
    int w = width <= frames ? width : (frames % 2 == 1 ? frames : frames - 1);
    if (w <= order) {
        for (int t = 0; t < frames; ++t)
            for (int c = 0; c < cols; ++c) out[static_cast<std::size_t>(t) * out_stride + c] = 0.0f;
        return;
    }
    const int half = w / 2;
    const std::vector<double> centre = savgolWeights(w, order, order, half);
    for (int t = half; t < frames - half; ++t)
        applyWeights(centre, in, in_stride, t - half, cols, out + static_cast<std::size_t>(t) * out_stride);
    for (int t = 0; t < half; ++t) {
        applyWeights(savgolWeights(w, order, order, t), in, in_stride, 0, cols,
                     out + static_cast<std::size_t>(t) * out_stride);
        const int tail = frames - half + t;
        applyWeights(savgolWeights(w, order, order, w - half + t), in, in_stride, frames - w, cols,
                     out + static_cast<std::size_t>(tail) * out_stride);
    }
}

}  // namespace tm2::runtime
