#pragma once
// The inner loops every hot kernel is built from, as a table of function
// pointers: a portable version, and AVX2 (x86-64) / NEON (aarch64) versions
// where the build and the CPU have them. Kernels take the table as a
// parameter so tests can run the portable and the optimised twins side by side.

#include <cstddef>
#include <cstdint>

#include "core/runtime/kernels/output_stage.h"

namespace tm2::runtime {

// One int32 of a pair panel: `low` in its low 16 bits and `high` in its high 16 bits, each
// as int16 (the layout every pair kernel reads, whichever table built it).
inline std::int32_t int16Pair(std::int32_t low, std::int32_t high) {
    return static_cast<std::int32_t>((static_cast<std::uint32_t>(low) & 0xFFFFu) |
                                     (static_cast<std::uint32_t>(high) << 16));
}

// Pair GEMM, the convolutions' common core (gemmlowp / XNNPACK style, but with
// 16-bit pairs so no step saturates): the K = Σ taps × input channels reduction
// is cut into pairs, each int32 of the "pairs" matrix holding two int16
// (x − zp) values (low half first) and each int32 of the weight matrix the two
// matching int8 weights. One pmaddwd / smlal then does two exact MACs per lane.
struct SimdOps {
    const char* name;
    // acc[i] += w · (in[i] − zero_point) for i < n.
    void (*accumulate_row)(std::int32_t* acc, const std::uint8_t* in, std::int32_t zero_point, std::int32_t w,
                           int n);
    // Σ (in[i] − zero_point) · w[i] for i < n.
    std::int32_t (*dot)(const std::uint8_t* in, std::int32_t zero_point, const std::int8_t* w, int n);
    // dst[i] = pair (a[i·step] − zero_point, b[i·step] − zero_point) for i < n. May be null
    // (with gemm_pairs): the kernels then use accumulate_row.
    void (*pack_pairs)(std::int32_t* dst, const std::uint8_t* a, const std::uint8_t* b,
                       std::int32_t zero_point, int step, int n);
    // For r < rows, j < n: out[r·out_stride + j] = output code of channel first_channel + r of
    // Σ_k pairs[k·ld + j] · w_pairs[r·pair_count + k] (both halves), + bias, requantized.
    // ld ≥ n rounded up to 16; columns n..ld−1 are read but their results dropped.
    void (*gemm_pairs)(const std::int32_t* pairs, int pair_count, int n, int ld, const std::int32_t* w_pairs,
                       int rows, const OutputStage& stage, int first_channel, std::uint8_t* out,
                       int out_stride);
    // Depthwise core, one channel, no packing: for j < n, out[j] = output code of channel
    // `channel` of Σ_p pair(plane[offsets[2p] + j] − zp, plane[offsets[2p+1] + j] − zp) ·
    // w_pairs[p] + bias. May be null (the kernel then uses gemm_pairs).
    void (*direct_pairs)(const std::uint8_t* plane, const int* offsets, int pair_count, int n,
                         std::int32_t zero_point, const std::int32_t* w_pairs, const OutputStage& stage,
                         int channel, std::uint8_t* out);
    // direct_pairs for `rows` output channels over the same plane (a conv with one input
    // plane), on `height` lines of `width` outputs: for r < rows and y < height,
    // out + r·out_stride + y·width gets direct_pairs(plane + y·in_pitch, offsets, pair_count,
    // width, zero_point, w_pairs + r·pair_count, stage, first_channel + r). One line
    // (height 1) is a flat run; lines let a padded plane's junk columns go uncomputed
    // and unstored. May be null.
    void (*direct_rows)(const std::uint8_t* plane, const int* offsets, int pair_count, int width, int height,
                        int in_pitch, std::int32_t zero_point, const std::int32_t* w_pairs, int rows,
                        const OutputStage& stage, int first_channel, std::uint8_t* out, int out_stride);
    // 2×2 max pooling, stride 2, no padding, of `planes` in_h × in_w planes into
    // out_h × out_w (floor sizes). May be null: maxPool2d's own loop runs then.
    void (*max_pool_2x2)(const std::uint8_t* in, int planes, int in_h, int in_w, std::uint8_t* out, int out_h,
                         int out_w);
    // Σ (in[i] − zero_point) · w[i] for i < 2·bytes, w the int4 weights packed two per byte
    // in `packed` (low nibble first), as a model read in place keeps them. May be null:
    // fullyConnectedPackedInt4 then uses its portable nibble loop.
    std::int32_t (*dot_int4)(const std::uint8_t* in, std::int32_t zero_point, const std::uint8_t* packed,
                             int bytes);
    // dot over four weight rows at once (the input loaded and widened once for the four):
    // sums[r] = Σ (in[i] − zero_point) · w[r·w_stride + i] for r < 4, i < n. May be null:
    // fullyConnected then takes dot row by row.
    void (*dot4)(const std::uint8_t* in, std::int32_t zero_point, const std::int8_t* w,
                 std::ptrdiff_t w_stride, int n, std::int32_t* sums) = nullptr;
    // packWeightPairs for int4 weights packed two per byte (low nibble first; row r starts at
    // weight r·k, mid-byte when r·k is odd), the pair paths' panels built per call: `rows` ×
    // (k + 1) / 2 int32 at dst, each two weights as int16 (low half first; an odd k's last
    // high half 0). Reads only the (rows·k + 1) / 2 bytes, writes only the panel. May be
    // null: packWeightPairs then decodes one weight at a time.
    void (*int4_pairs)(std::int32_t* dst, const std::uint8_t* packed, int rows, int k) = nullptr;
    // dot_int4 over four weight rows at once (the input loaded once for the four): sums[r] =
    // Σ (in[i] − zero_point) · w_r[i] for i < 2·bytes, row r's packed int4 weights starting at
    // packed + r·row_stride (bytes, low nibble first). May be null: dot_int4 row by row.
    void (*dot4_int4)(const std::uint8_t* in, std::int32_t zero_point, const std::uint8_t* packed,
                      std::ptrdiff_t row_stride, int bytes, std::int32_t* sums) = nullptr;
};

const SimdOps& portableSimdOps();
const SimdOps& portablePairSimdOps();  // portable too, but through the pair GEMM (the AVX2 path's twin)
const SimdOps* avx2SimdOps();          // null unless built with AVX2 support and the CPU has it
const SimdOps* neonSimdOps();          // null unless built for aarch64
const SimdOps* neonDotprodSimdOps();   // null unless aarch64 and the CPU has SDOT (HWCAP_ASIMDDP)
const SimdOps& bestSimdOps();          // NEON dot product, else NEON, else AVX2, else portable

}  // namespace tm2::runtime
