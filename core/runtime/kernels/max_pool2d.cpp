#include <algorithm>

#include "core/runtime/kernels/kernels.h"

namespace tm2::runtime {

namespace {
// The common 2×2 / stride 2 / no padding pool: no bounds checks, and a loop
// the compiler vectorises (max of the two rows, then of neighbouring columns).
void maxPool2x2(const ConvGeometry& g, const std::uint8_t* in, std::uint8_t* out) {
    for (int c = 0; c < g.out_c; ++c) {
        const std::uint8_t* plane = in + static_cast<std::ptrdiff_t>(c) * g.in_h * g.in_w;
        for (int oy = 0; oy < g.out_h; ++oy) {
            const std::uint8_t* r0 = plane + static_cast<std::ptrdiff_t>(2 * oy) * g.in_w;
            const std::uint8_t* r1 = r0 + g.in_w;
            for (int ox = 0; ox < g.out_w; ++ox) {
                const std::uint8_t a = std::max(r0[2 * ox], r1[2 * ox]);
                const std::uint8_t b = std::max(r0[2 * ox + 1], r1[2 * ox + 1]);
                out[ox] = std::max(a, b);
            }
            out += g.out_w;
        }
    }
}
}  // namespace

void maxPool2d(const ConvGeometry& g, const std::uint8_t* in, std::uint8_t* out, const SimdOps& ops) {
    if (g.kernel_h == 2 && g.kernel_w == 2 && g.stride == 2 && g.padding == 0) {
        if (ops.max_pool_2x2)
            ops.max_pool_2x2(in, g.out_c, g.in_h, g.in_w, out, g.out_h, g.out_w);
        else
            maxPool2x2(g, in, out);
        return;
    }
    for (int c = 0; c < g.out_c; ++c) {
        const std::uint8_t* plane = in + static_cast<std::ptrdiff_t>(c) * g.in_h * g.in_w;
        for (int oy = 0; oy < g.out_h; ++oy)
            for (int ox = 0; ox < g.out_w; ++ox) {
                int best = -1;
                for (int ky = 0; ky < g.kernel_h; ++ky) {
                    const int iy = oy * g.stride - g.padding + ky;
                    if (iy < 0 || iy >= g.in_h) continue;
                    for (int kx = 0; kx < g.kernel_w; ++kx) {
                        const int ix = ox * g.stride - g.padding + kx;
                        if (ix < 0 || ix >= g.in_w) continue;
                        const int v = plane[iy * g.in_w + ix];
                        if (v > best) best = v;
                    }
                }
                *out++ = static_cast<std::uint8_t>(best < 0 ? 0 : best);
            }
    }
}

}  // namespace tm2::runtime
