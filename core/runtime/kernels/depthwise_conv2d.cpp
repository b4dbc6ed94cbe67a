#include <algorithm>

#include "core/runtime/kernels/conv_accumulate.h"
#include "core/runtime/kernels/pair_conv.h"
#include "core/runtime/kernels/requantize.h"

namespace tm2::runtime {

std::size_t depthwiseConv2dScratchBytes(const ConvGeometry& g, const SimdOps& ops) {
    std::size_t bytes = static_cast<std::size_t>(g.out_h) * g.out_w * 4;
    if (ops.direct_pairs && detail::depthwiseDirectFits(g))
        bytes = std::max(bytes, detail::depthwiseDirectScratchBytes(g));
    else if (detail::usesPairConv(g, 1, ops))
        bytes = std::max(bytes, detail::pairConvScratchBytes(g, 1));
    return bytes;
}

bool depthwiseConv2dUsesPairs(const ConvGeometry& g, const SimdOps& ops) {
    return ops.gemm_pairs &&
           ((ops.direct_pairs && detail::depthwiseDirectFits(g)) || detail::usesPairConv(g, 1, ops));
}

void depthwiseConv2d(const ConvGeometry& g, const std::uint8_t* in, std::int32_t in_zero_point,
                     WeightCodes weights, const OutputStage& out_stage, std::uint8_t* out,
                     std::int32_t* scratch, const SimdOps& ops, const std::int32_t* weight_pairs) {
    const std::ptrdiff_t plane = static_cast<std::ptrdiff_t>(g.in_h) * g.in_w;
    const int taps = g.kernel_h * g.kernel_w;
    if (weight_pairs && ops.direct_pairs && detail::depthwiseDirectFits(g)) {
        detail::depthwiseDirect(g, in, in_zero_point, weight_pairs, out_stage, out, scratch, ops);
        return;
    }
    if (weight_pairs && detail::usesPairConv(g, 1, ops)) {
        // One channel at a time: a 1-row GEMM over that channel's tap pairs.
        const int pairs = weightPairCount(taps);
        for (int c = 0; c < g.out_c; ++c)
            detail::pairConv(g, in + c * plane, 1, in_zero_point,
                             weight_pairs + static_cast<std::ptrdiff_t>(c) * pairs, 1, c, out_stage, out,
                             scratch, ops);
        return;
    }
    for (int c = 0; c < g.out_c; ++c) {
        std::fill(scratch, scratch + static_cast<std::ptrdiff_t>(g.out_h) * g.out_w, 0);
        const std::size_t w = static_cast<std::size_t>(c) * static_cast<std::size_t>(taps);
        for (int ky = 0; ky < g.kernel_h; ++ky)
            for (int kx = 0; kx < g.kernel_w; ++kx) {
                const std::int32_t wv = weights[w + static_cast<std::size_t>(ky * g.kernel_w + kx)];
                if (wv != 0)
                    detail::accumulateTap(g, in + c * plane, in_zero_point, wv, ky, kx, scratch, ops);
            }
        detail::writeChannel(g, scratch, c, out_stage, out);
    }
}

}  // namespace tm2::runtime
