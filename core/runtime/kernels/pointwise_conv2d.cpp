#include <algorithm>

#include "core/runtime/kernels/conv_accumulate.h"
#include "core/runtime/kernels/pair_conv.h"
#include "core/runtime/kernels/requantize.h"

namespace tm2::runtime {

std::size_t pointwiseConv2dScratchBytes(const ConvGeometry& g, const SimdOps& ops) {
    const std::size_t planes = static_cast<std::size_t>(g.in_h) * g.in_w * 4;
    return detail::usesPairConv(g, g.in_c, ops) ? std::max(planes, detail::pairConvScratchBytes(g, g.in_c))
                                                : planes;
}

bool pointwiseConv2dUsesPairs(const ConvGeometry& g, const SimdOps& ops) {
    return detail::usesPairConv(g, g.in_c, ops);
}

// A 1×1 conv is a matrix product over whole channel planes: the pair GEMM
// pairs up input channels; the fallback adds one contiguous plane per weight.
void pointwiseConv2d(const ConvGeometry& g, const std::uint8_t* in, std::int32_t in_zero_point,
                     WeightCodes weights, const OutputStage& out_stage, std::uint8_t* out,
                     std::int32_t* scratch, const SimdOps& ops, const std::int32_t* weight_pairs) {
    if (weight_pairs && detail::usesPairConv(g, g.in_c, ops)) {
        detail::pairConv(g, in, g.in_c, in_zero_point, weight_pairs, g.out_c, 0, out_stage, out, scratch,
                         ops);
        return;
    }
    const int plane = g.in_h * g.in_w;
    for (int oc = 0; oc < g.out_c; ++oc) {
        std::fill(scratch, scratch + plane, 0);
        const std::size_t w = static_cast<std::size_t>(oc) * static_cast<std::size_t>(g.in_c);
        for (int ic = 0; ic < g.in_c; ++ic) {
            const std::int32_t wv = weights[w + static_cast<std::size_t>(ic)];
            if (wv != 0)
                ops.accumulate_row(scratch, in + static_cast<std::ptrdiff_t>(ic) * plane, in_zero_point, wv,
                                   plane);
        }
        detail::writeChannel(g, scratch, oc, out_stage, out);
    }
}

}  // namespace tm2::runtime
