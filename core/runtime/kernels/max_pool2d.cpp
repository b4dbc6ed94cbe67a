#include "core/runtime/kernels/kernels.h"

namespace tm2::runtime {

void maxPool2d(const ConvGeometry& g, const std::uint8_t* in, std::uint8_t* out) {
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
