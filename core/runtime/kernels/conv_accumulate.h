#pragma once
// Shared by conv2d and depthwise: adds one weight's contribution to all output
// positions of a channel. Padding cells are x = zp (real 0), so they add
// nothing and are simply skipped; stride-1 rows go through the SIMD row loop.

#include "core/runtime/kernels/kernels.h"
#include "core/runtime/kernels/requantize.h"

namespace tm2::runtime::detail {

inline void accumulateTap(const ConvGeometry& g, const std::uint8_t* channel, std::int32_t zero_point,
                          std::int32_t w, int ky, int kx, std::int32_t* acc, const SimdOps& ops) {
    // Valid ox: 0 ≤ ox·s − p + kx < in_w.
    const int first = g.padding > kx ? (g.padding - kx + g.stride - 1) / g.stride : 0;
    int last = (g.in_w - 1 + g.padding - kx) / g.stride;  // inclusive; may be < first
    if (g.in_w - 1 + g.padding - kx < 0) return;
    if (last > g.out_w - 1) last = g.out_w - 1;
    if (last < first) return;
    for (int oy = 0; oy < g.out_h; ++oy) {
        const int iy = oy * g.stride - g.padding + ky;
        if (iy < 0 || iy >= g.in_h) continue;
        const std::uint8_t* row = channel + static_cast<std::ptrdiff_t>(iy) * g.in_w;
        std::int32_t* out = acc + static_cast<std::ptrdiff_t>(oy) * g.out_w;
        if (g.stride == 1) {
            ops.accumulate_row(out + first, row + first - g.padding + kx, zero_point, w, last - first + 1);
        } else {
            for (int ox = first; ox <= last; ++ox)
                out[ox] += w * (static_cast<std::int32_t>(row[ox * g.stride - g.padding + kx]) - zero_point);
        }
    }
}

inline void writeChannel(const ConvGeometry& g, const std::int32_t* acc, int oc, const OutputStage& s,
                         std::uint8_t* out) {
    const int n = g.out_h * g.out_w;
    const std::int32_t bias = s.bias ? s.bias[oc] : 0;
    std::uint8_t* dst = out + static_cast<std::ptrdiff_t>(oc) * n;
    for (int i = 0; i < n; ++i)
        dst[i] = requantizeToCode(std::int64_t{acc[i]} + bias, s.multiplier[oc], s.shift[oc], s.zero_point, s.lo,
                                  s.hi);
}

}  // namespace tm2::runtime::detail
