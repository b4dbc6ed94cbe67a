#include <algorithm>

#include "core/runtime/kernels/conv_accumulate.h"
#include "core/runtime/kernels/pair_conv.h"
#include "core/runtime/kernels/requantize.h"

namespace tm2::runtime {

int convOutputSize(int in, int kernel, int stride, int padding) {
    const int span = in + 2 * padding - kernel;
    return span < 0 || stride <= 0 ? 0 : span / stride + 1;
}

int weightPairCount(int k) { return (k + 1) / 2; }

void packWeightPairs(WeightCodes weights, int rows, int k, std::int32_t* pairs, const SimdOps& ops) {
    const int count = weightPairCount(k);
    if (weights.int4 && ops.int4_pairs) {
        ops.int4_pairs(pairs, weights.int4, rows, k);
        return;
    }
    for (int r = 0; r < rows; ++r) {
        const std::size_t row = static_cast<std::size_t>(r) * static_cast<std::size_t>(k);
        for (int p = 0; p < count; ++p) {
            const std::size_t first = row + static_cast<std::size_t>(2 * p);
            const auto low = static_cast<std::uint16_t>(weights[first]);
            const auto high = static_cast<std::uint16_t>(2 * p + 1 < k ? weights[first + 1] : 0);
            *pairs++ = static_cast<std::int32_t>(static_cast<std::uint32_t>(low) |
                                                 (static_cast<std::uint32_t>(high) << 16));
        }
    }
}

std::int32_t accumulatorBound(WeightCodes weights, int rows, int k, int reach) {
    std::int64_t best = 0;
    for (int r = 0; r < rows; ++r) {
        std::int64_t sum = 0;
        const std::size_t row = static_cast<std::size_t>(r) * static_cast<std::size_t>(k);
        for (int i = 0; i < k; ++i) {
            const std::int32_t w = weights[row + static_cast<std::size_t>(i)];
            sum += w < 0 ? -w : w;
        }
        best = std::max(best, sum * reach);
    }
    return static_cast<std::int32_t>(std::min<std::int64_t>(best, 0x7FFFFFFF));
}

std::size_t conv2dScratchBytes(const ConvGeometry& g, const SimdOps& ops) {
    const std::size_t taps = static_cast<std::size_t>(g.out_h) * g.out_w * 4;
    if (detail::usesDirectConv(g, ops)) return std::max(taps, detail::directConvScratchBytes(g));
    return detail::usesPairConv(g, g.in_c, ops) ? std::max(taps, detail::pairConvScratchBytes(g, g.in_c))
                                                : taps;
}

bool conv2dUsesPairs(const ConvGeometry& g, const SimdOps& ops) {
    return ops.gemm_pairs && (detail::usesDirectConv(g, ops) || detail::usesPairConv(g, g.in_c, ops));
}

void conv2d(const ConvGeometry& g, const std::uint8_t* in, std::int32_t in_zero_point, WeightCodes weights,
            const OutputStage& out_stage, std::uint8_t* out, std::int32_t* scratch, const SimdOps& ops,
            const std::int32_t* weight_pairs) {
    if (weight_pairs && detail::usesDirectConv(g, ops)) {
        detail::directConv(g, in, in_zero_point, weight_pairs, out_stage, out, scratch, ops);
        return;
    }
    if (weight_pairs && detail::usesPairConv(g, g.in_c, ops)) {
        detail::pairConv(g, in, g.in_c, in_zero_point, weight_pairs, g.out_c, 0, out_stage, out, scratch,
                         ops);
        return;
    }
    const std::ptrdiff_t plane = static_cast<std::ptrdiff_t>(g.in_h) * g.in_w;
    const int taps = g.kernel_h * g.kernel_w;
    for (int oc = 0; oc < g.out_c; ++oc) {
        std::fill(scratch, scratch + static_cast<std::ptrdiff_t>(g.out_h) * g.out_w, 0);
        for (int ic = 0; ic < g.in_c; ++ic) {
            const std::size_t w = (static_cast<std::size_t>(oc) * g.in_c + ic) * taps;
            for (int ky = 0; ky < g.kernel_h; ++ky)
                for (int kx = 0; kx < g.kernel_w; ++kx) {
                    const std::int32_t wv = weights[w + static_cast<std::size_t>(ky * g.kernel_w + kx)];
                    if (wv != 0)  // low-bit weights are often 0
                        detail::accumulateTap(g, in + ic * plane, in_zero_point, wv, ky, kx, scratch, ops);
                }
        }
        detail::writeChannel(g, scratch, oc, out_stage, out);
    }
}

}  // namespace tm2::runtime
