#include <algorithm>

#include "core/runtime/kernels/conv_accumulate.h"
#include "core/runtime/kernels/requantize.h"

namespace tm2::runtime {

void depthwiseConv2d(const ConvGeometry& g, const std::uint8_t* in, std::int32_t in_zero_point,
                     const std::int8_t* weights, const OutputStage& out_stage, std::uint8_t* out,
                     std::int32_t* scratch, const SimdOps& ops) {
    const std::ptrdiff_t plane = static_cast<std::ptrdiff_t>(g.in_h) * g.in_w;
    const int taps = g.kernel_h * g.kernel_w;
    for (int c = 0; c < g.out_c; ++c) {
        std::fill(scratch, scratch + static_cast<std::ptrdiff_t>(g.out_h) * g.out_w, 0);
        const std::int8_t* w = weights + static_cast<std::ptrdiff_t>(c) * taps;
        for (int ky = 0; ky < g.kernel_h; ++ky)
            for (int kx = 0; kx < g.kernel_w; ++kx) {
                const std::int32_t wv = w[ky * g.kernel_w + kx];
                if (wv != 0) detail::accumulateTap(g, in + c * plane, in_zero_point, wv, ky, kx, scratch, ops);
            }
        detail::writeChannel(g, scratch, c, out_stage, out);
    }
}

}  // namespace tm2::runtime
