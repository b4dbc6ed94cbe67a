// The aarch64 inner loops (Cortex-A72, the Raspberry Pi 4: NEON, no dot product).
// Same design as simd_avx2.cpp: convolutions as a GEMM over int16 tap pairs, with
// SMLAL/SMLAL2 (16×16 → 32-bit widening multiply-accumulate) instead of pmaddwd,
// and the dyadic requantization fused, bit-exact with requantizeToCode().
// This file: the row, dot, packing and pooling loops and the table; the GEMM is in
// simd_neon_gemm.cpp (its 4 × 16 SMLAL loop in neon_gemm16.h), the direct (depthwise,
// first-layer) loops in simd_neon_direct.cpp. Counts and method: docs/aarch64-work.md.
#include "core/runtime/kernels/neon_loops.h"
#include "core/runtime/kernels/simd_ops.h"

#if defined(__aarch64__)
#include <arm_neon.h>

#include <algorithm>
#include <cstring>
#include <type_traits>
#include <utility>

#include "core/runtime/kernels/int4.h"
#include "core/runtime/kernels/neon_requantize.h"
#include "core/runtime/kernels/requantize.h"
#endif

namespace tm2::runtime {

#if defined(__aarch64__)
namespace {
void accumulateRowNeon(std::int32_t* acc, const std::uint8_t* in, std::int32_t zero_point, std::int32_t w,
                       int n) {
    const int16x8_t zp = vdupq_n_s16(static_cast<std::int16_t>(zero_point));
    const int16x4_t weight = vdup_n_s16(static_cast<std::int16_t>(w));
    int i = 0;
    for (; i + 8 <= n; i += 8) {
        const int16x8_t x = vsubq_s16(vreinterpretq_s16_u16(vmovl_u8(vld1_u8(in + i))), zp);
        vst1q_s32(acc + i, vmlal_s16(vld1q_s32(acc + i), vget_low_s16(x), weight));
        vst1q_s32(acc + i + 4, vmlal_s16(vld1q_s32(acc + i + 4), vget_high_s16(x), weight));
    }
    for (; i < n; ++i) acc[i] += w * (static_cast<std::int32_t>(in[i]) - zero_point);
}

// Thirty-two products per step: (x − zp) as int16 straight from the bytes (USUBL,
// exact for a zp in 0..255: the modular uint16 difference is the int16 one),
// weights sign-extended, two accumulators so consecutive SMLALs do not wait on
// each other. Other zero points take the widen-then-subtract loop.
std::int32_t dotNeon(const std::uint8_t* in, std::int32_t zero_point, const std::int8_t* w, int n) {
    int32x4_t sum0 = vdupq_n_s32(0), sum1 = vdupq_n_s32(0);
    int i = 0;
    if (zero_point >= 0 && zero_point <= 255) {
        const uint8x16_t zp = vdupq_n_u8(static_cast<std::uint8_t>(zero_point));
        for (; i + 32 <= n; i += 32) {
            const uint8x16_t b0 = vld1q_u8(in + i), b1 = vld1q_u8(in + i + 16);
            const int8x16_t w0 = vld1q_s8(w + i), w1 = vld1q_s8(w + i + 16);
            const int16x8_t x0 = vreinterpretq_s16_u16(vsubl_u8(vget_low_u8(b0), vget_low_u8(zp)));
            const int16x8_t x1 = vreinterpretq_s16_u16(vsubl_high_u8(b0, zp));
            const int16x8_t x2 = vreinterpretq_s16_u16(vsubl_u8(vget_low_u8(b1), vget_low_u8(zp)));
            const int16x8_t x3 = vreinterpretq_s16_u16(vsubl_high_u8(b1, zp));
            const int16x8_t y0 = vmovl_s8(vget_low_s8(w0)), y1 = vmovl_high_s8(w0);
            const int16x8_t y2 = vmovl_s8(vget_low_s8(w1)), y3 = vmovl_high_s8(w1);
            sum0 = vmlal_s16(sum0, vget_low_s16(x0), vget_low_s16(y0));
            sum1 = vmlal_high_s16(sum1, x0, y0);
            sum0 = vmlal_s16(sum0, vget_low_s16(x1), vget_low_s16(y1));
            sum1 = vmlal_high_s16(sum1, x1, y1);
            sum0 = vmlal_s16(sum0, vget_low_s16(x2), vget_low_s16(y2));
            sum1 = vmlal_high_s16(sum1, x2, y2);
            sum0 = vmlal_s16(sum0, vget_low_s16(x3), vget_low_s16(y3));
            sum1 = vmlal_high_s16(sum1, x3, y3);
        }
    }
    const int16x8_t zp16 = vdupq_n_s16(static_cast<std::int16_t>(zero_point));
    for (; i + 8 <= n; i += 8) {
        const int16x8_t x = vsubq_s16(vreinterpretq_s16_u16(vmovl_u8(vld1_u8(in + i))), zp16);
        const int16x8_t y = vmovl_s8(vld1_s8(w + i));
        sum0 = vmlal_s16(sum0, vget_low_s16(x), vget_low_s16(y));
        sum1 = vmlal_high_s16(sum1, x, y);
    }
    std::int32_t total = vaddvq_s32(vaddq_s32(sum0, sum1));
    for (; i < n; ++i) total += (static_cast<std::int32_t>(in[i]) - zero_point) * w[i];
    return total;
}

// dotNeon for four weight rows: each 16 inputs loaded and widened (x − zp, USUBL)
// once for the four rows, each row's weights sign-extended and multiplied in. Other
// zero points and the last n % 16 inputs one at a time.
void dot4Neon(const std::uint8_t* in, std::int32_t zero_point, const std::int8_t* w, std::ptrdiff_t w_stride,
              int n, std::int32_t* sums) {
    const std::int8_t* w0 = w;
    const std::int8_t* w1 = w + w_stride;
    const std::int8_t* w2 = w + 2 * w_stride;
    const std::int8_t* w3 = w + 3 * w_stride;
    int32x4_t a0 = vdupq_n_s32(0), a1 = a0, a2 = a0, a3 = a0;
    int i = 0;
    if (zero_point >= 0 && zero_point <= 255) {
        const uint8x16_t zp = vdupq_n_u8(static_cast<std::uint8_t>(zero_point));
        for (; i + 16 <= n; i += 16) {
            const uint8x16_t b = vld1q_u8(in + i);
            const int16x8_t x0 = vreinterpretq_s16_u16(vsubl_u8(vget_low_u8(b), vget_low_u8(zp)));
            const int16x8_t x1 = vreinterpretq_s16_u16(vsubl_high_u8(b, zp));
            auto row = [&](int32x4_t & acc, const std::int8_t* weights) __attribute__((always_inline)) {
                const int8x16_t v = vld1q_s8(weights + i);
                const int16x8_t y0 = vmovl_s8(vget_low_s8(v)), y1 = vmovl_high_s8(v);
                acc = vmlal_s16(acc, vget_low_s16(x0), vget_low_s16(y0));
                acc = vmlal_high_s16(acc, x0, y0);
                acc = vmlal_s16(acc, vget_low_s16(x1), vget_low_s16(y1));
                acc = vmlal_high_s16(acc, x1, y1);
            };
            row(a0, w0);
            row(a1, w1);
            row(a2, w2);
            row(a3, w3);
        }
    }
    std::int32_t s0 = vaddvq_s32(a0), s1 = vaddvq_s32(a1), s2 = vaddvq_s32(a2), s3 = vaddvq_s32(a3);
    for (; i < n; ++i) {
        const std::int32_t x = static_cast<std::int32_t>(in[i]) - zero_point;
        s0 += x * w0[i];
        s1 += x * w1[i];
        s2 += x * w2[i];
        s3 += x * w3[i];
    }
    sums[0] = s0;
    sums[1] = s1;
    sums[2] = s2;
    sums[3] = s3;
}

// x − zp as the int16 the pair holds: the low 16 bits of the int32 difference,
// which is what vsubl_u8's modular uint16 result is for a zp in 0..255.
void packPairsNeon(std::int32_t* dst, const std::uint8_t* a, const std::uint8_t* b, std::int32_t zero_point,
                   int step, int n) {
    int i = 0;
    if (zero_point >= 0 && zero_point <= 255) {
        const uint8x16_t zp = vdupq_n_u8(static_cast<std::uint8_t>(zero_point));
        if (step == 1) {
            // ST2 interleaves the two rows into (a, b) pairs as it stores.
            for (; i + 16 <= n; i += 16) {
                const uint8x16_t x = vld1q_u8(a + i), y = vld1q_u8(b + i);
                int16x8x2_t lo, hi;
                lo.val[0] = vreinterpretq_s16_u16(vsubl_u8(vget_low_u8(x), vget_low_u8(zp)));
                lo.val[1] = vreinterpretq_s16_u16(vsubl_u8(vget_low_u8(y), vget_low_u8(zp)));
                hi.val[0] = vreinterpretq_s16_u16(vsubl_high_u8(x, zp));
                hi.val[1] = vreinterpretq_s16_u16(vsubl_high_u8(y, zp));
                vst2q_s16(reinterpret_cast<std::int16_t*>(dst + i), lo);
                vst2q_s16(reinterpret_cast<std::int16_t*>(dst + i + 8), hi);
            }
        } else if (step == 2) {
            // LD2 splits even and odd bytes; the 32-byte load reads one byte past the
            // last even one, so it stops while element 2·(i + 16) still exists.
            for (; i + 17 <= n; i += 16) {
                const uint8x16_t x = vld2q_u8(a + 2 * i).val[0], y = vld2q_u8(b + 2 * i).val[0];
                int16x8x2_t lo, hi;
                lo.val[0] = vreinterpretq_s16_u16(vsubl_u8(vget_low_u8(x), vget_low_u8(zp)));
                lo.val[1] = vreinterpretq_s16_u16(vsubl_u8(vget_low_u8(y), vget_low_u8(zp)));
                hi.val[0] = vreinterpretq_s16_u16(vsubl_high_u8(x, zp));
                hi.val[1] = vreinterpretq_s16_u16(vsubl_high_u8(y, zp));
                vst2q_s16(reinterpret_cast<std::int16_t*>(dst + i), lo);
                vst2q_s16(reinterpret_cast<std::int16_t*>(dst + i + 8), hi);
            }
        }
    }
    for (; i < n; ++i) {
        const auto x = static_cast<std::uint32_t>(a[static_cast<std::ptrdiff_t>(i) * step] - zero_point);
        const auto y = static_cast<std::uint32_t>(b[static_cast<std::ptrdiff_t>(i) * step] - zero_point);
        dst[i] = static_cast<std::int32_t>((x & 0xFFFFu) | (y << 16));
    }
}

// 32 weights (16 bytes) a step. With u = nibble ^ 8 = w + 8 in 0..15, unsigned
// widening multiply-accumulates (four products per 16-bit lane, ≤ 4 · 255 · 15) and
// Σ (x − zp) · w = Σ x·u − 8·Σ x − zp · (Σ u − 8·m) over the m weights so taken.
// kZeroPoint0: the input's zero point is 0 (a ReLU's output, the usual fc input), so Σ u is not needed.
template <bool kZeroPoint0>
std::int32_t dotInt4Rows(const std::uint8_t* in, std::int32_t zero_point, const std::uint8_t* packed,
                         int bytes) {
    const uint8x16_t mask = vdupq_n_u8(0x0F), flip = vdupq_n_u8(0x88);
    uint32x4_t sum_xu = vdupq_n_u32(0), sum_x = vdupq_n_u32(0), sum_u = vdupq_n_u32(0);
    int i = 0;
    for (; i + 16 <= bytes; i += 16) {
        const uint8x16_t b = veorq_u8(vld1q_u8(packed + i), flip);
        const uint8x16_t lo = vandq_u8(b, mask), hi = vshrq_n_u8(b, 4);
        const uint8x16_t u0 = vzip1q_u8(lo, hi), u1 = vzip2q_u8(lo, hi);
        const uint8x16_t x0 = vld1q_u8(in + 2 * i), x1 = vld1q_u8(in + 2 * i + 16);
        uint16x8_t p = vmull_u8(vget_low_u8(x0), vget_low_u8(u0));
        p = vmlal_high_u8(p, x0, u0);
        p = vmlal_u8(p, vget_low_u8(x1), vget_low_u8(u1));
        p = vmlal_high_u8(p, x1, u1);
        sum_xu = vpadalq_u16(sum_xu, p);
        sum_x = vpadalq_u16(sum_x, vaddq_u16(vpaddlq_u8(x0), vpaddlq_u8(x1)));
        if (!kZeroPoint0) sum_u = vpadalq_u16(sum_u, vaddq_u16(vpaddlq_u8(u0), vpaddlq_u8(u1)));
    }
    const std::int64_t m = 2 * static_cast<std::int64_t>(i);
    std::int64_t total = std::int64_t{vaddvq_u32(sum_xu)} - 8 * std::int64_t{vaddvq_u32(sum_x)};
    if (!kZeroPoint0) total -= zero_point * (std::int64_t{vaddvq_u32(sum_u)} - 8 * m);
    for (; i < bytes; ++i)
        total += int4Low(packed[i]) * (in[2 * i] - zero_point) +
                 int4High(packed[i]) * (in[2 * i + 1] - zero_point);
    return static_cast<std::int32_t>(total);
}

// Four rows: the input loaded and its Σ x taken once per 32 weights for the four.
template <bool kZeroPoint0>
void dot4Int4Rows(const std::uint8_t* in, std::int32_t zero_point, const std::uint8_t* packed,
                  std::ptrdiff_t row_stride, int bytes, std::int32_t* sums) {
    const uint8x16_t mask = vdupq_n_u8(0x0F), flip = vdupq_n_u8(0x88);
    uint32x4_t sum_xu[4], sum_u[4], sum_x = vdupq_n_u32(0);
    for (int r = 0; r < 4; ++r) sum_xu[r] = sum_u[r] = vdupq_n_u32(0);
    int i = 0;
    for (; i + 16 <= bytes; i += 16) {
        const uint8x16_t x0 = vld1q_u8(in + 2 * i), x1 = vld1q_u8(in + 2 * i + 16);
        sum_x = vpadalq_u16(sum_x, vaddq_u16(vpaddlq_u8(x0), vpaddlq_u8(x1)));
        for (int r = 0; r < 4; ++r) {
            const uint8x16_t b = veorq_u8(vld1q_u8(packed + r * row_stride + i), flip);
            const uint8x16_t lo = vandq_u8(b, mask), hi = vshrq_n_u8(b, 4);
            const uint8x16_t u0 = vzip1q_u8(lo, hi), u1 = vzip2q_u8(lo, hi);
            uint16x8_t p = vmull_u8(vget_low_u8(x0), vget_low_u8(u0));
            p = vmlal_high_u8(p, x0, u0);
            p = vmlal_u8(p, vget_low_u8(x1), vget_low_u8(u1));
            p = vmlal_high_u8(p, x1, u1);
            sum_xu[r] = vpadalq_u16(sum_xu[r], p);
            if (!kZeroPoint0) sum_u[r] = vpadalq_u16(sum_u[r], vaddq_u16(vpaddlq_u8(u0), vpaddlq_u8(u1)));
        }
    }
    const std::int64_t m = 2 * static_cast<std::int64_t>(i), sx = vaddvq_u32(sum_x);
    for (int r = 0; r < 4; ++r) {
        const std::uint8_t* row = packed + r * row_stride;
        std::int64_t total = std::int64_t{vaddvq_u32(sum_xu[r])} - 8 * sx;
        if (!kZeroPoint0) total -= zero_point * (std::int64_t{vaddvq_u32(sum_u[r])} - 8 * m);
        for (int j = i; j < bytes; ++j)
            total +=
                int4Low(row[j]) * (in[2 * j] - zero_point) + int4High(row[j]) * (in[2 * j + 1] - zero_point);
        sums[r] = static_cast<std::int32_t>(total);
    }
}

void dot4Int4Neon(const std::uint8_t* in, std::int32_t zero_point, const std::uint8_t* packed,
                  std::ptrdiff_t row_stride, int bytes, std::int32_t* sums) {
    if (zero_point == 0)
        dot4Int4Rows<true>(in, 0, packed, row_stride, bytes, sums);
    else
        dot4Int4Rows<false>(in, zero_point, packed, row_stride, bytes, sums);
}

std::int32_t dotInt4Neon(const std::uint8_t* in, std::int32_t zero_point, const std::uint8_t* packed,
                         int bytes) {
    return zero_point == 0 ? dotInt4Rows<true>(in, 0, packed, bytes)
                           : dotInt4Rows<false>(in, zero_point, packed, bytes);
}

// Sixteen bytes of packed int4 → sixteen weight pairs: the low nibble sign-extended
// by shifting it up and arithmetically back, the high one by the shift alone, each
// widened to int16, and ST2 interleaving the two as it stores (low half first).
inline void int4Pairs16(std::int32_t* dst, uint8x16_t bytes) {
    const int8x16_t b = vreinterpretq_s8_u8(bytes);
    const int8x16_t lo = vshrq_n_s8(vshlq_n_s8(b, 4), 4), hi = vshrq_n_s8(b, 4);
    int16x8x2_t first, second;
    first.val[0] = vmovl_s8(vget_low_s8(lo));
    first.val[1] = vmovl_s8(vget_low_s8(hi));
    second.val[0] = vmovl_high_s8(lo);
    second.val[1] = vmovl_high_s8(hi);
    vst2q_s16(reinterpret_cast<std::int16_t*>(dst), first);
    vst2q_s16(reinterpret_cast<std::int16_t*>(dst + 8), second);
}

// A row's pairs for rows starting mid-byte come from (high nibble of byte i, low nibble of
// byte i + 1), merged into one byte first. Runs of 16 pairs or more go in blocks of 16, the
// last one overlapping the previous one; shorter runs one pair at a time. Odd k with short
// rows (≤ 16 pairs, the 3×3 kernels' 5): one 16-pair block per row, its pairs past the row
// rewritten by the rows after it, then the row's last pair set to (last weight, 0); the last
// rows, whose block would leave the panel or read past the weights, take the exact loop.
inline uint8x16_t int4Bytes(const std::uint8_t* p, int odd) {
    const uint8x16_t a = vld1q_u8(p);
    return odd ? vorrq_u8(vshrq_n_u8(a, 4), vshlq_n_u8(vld1q_u8(p + 1), 4)) : a;
}

// n pairs of consecutive weights from p (starting at its high nibble when odd): 32 a step,
// then at most two blocks of 16, the last one overlapping the one before.
void int4Run(std::int32_t* dst, const std::uint8_t* p, int odd, int n) {
    if (n >= 16) {
        int i = 0;
        for (; i + 32 <= n; i += 32) {
            int4Pairs16(dst + i, int4Bytes(p + i, odd));
            int4Pairs16(dst + i + 16, int4Bytes(p + i + 16, odd));
        }
        if (n - i > 16) {
            int4Pairs16(dst + i, int4Bytes(p + i, odd));
            i += 16;
        }
        if (i < n) int4Pairs16(dst + n - 16, int4Bytes(p + n - 16, odd));
        return;
    }
    for (int i = 0; i < n; ++i)
        dst[i] = odd ? int16Pair(int4High(p[i]), int4Low(p[i + 1])) : int16Pair(int4Low(p[i]), int4High(p[i]));
}

// Odd k ≤ 15 (the 3×3 kernels' 9): two rows at a time, their 2k weights the k bytes from byte
// (r / 2)·k on (byte-aligned for even r). The bytes' nibbles sign-extended and interleaved
// into weights 0..31 (ZIP), a table lookup (TBL, index 255 for the zero that ends each row)
// lays out both rows' 2·(k + 1) int16 halves, widened and stored exactly. Returns the rows
// done: pairs of rows whose 16-byte load stays within the weights.
struct OddRowIndex {
    std::uint8_t at[8][32];  // [k / 2]: the TBL indices for odd k
    constexpr OddRowIndex() : at{} {
        for (int i = 0; i < 8; ++i) {
            const int k = 2 * i + 1;
            for (int j = 0; j < 32; ++j) {
                const int row = j / (k + 1), t = j % (k + 1);
                at[i][j] = j < 2 * (k + 1) && t < k ? static_cast<std::uint8_t>(row * k + t) : 0xFF;
            }
        }
    }
};
constexpr OddRowIndex kOddRowIndex{};

int int4PairsOddRows(std::int32_t* dst, const std::uint8_t* packed, int rows, int k, std::size_t bytes) {
    const int halves = 2 * (k + 1);  // int16 per two rows: 4..32, a multiple of 4
    const std::uint8_t* index = kOddRowIndex.at[k / 2];
    const uint8x16_t index0 = vld1q_u8(index), index1 = vld1q_u8(index + 16);
    int r = 0;
    for (; r + 2 <= rows && static_cast<std::size_t>(r / 2) * k + 16 <= bytes; r += 2) {
        const int8x16_t b = vreinterpretq_s8_u8(vld1q_u8(packed + static_cast<std::size_t>(r / 2) * k));
        const int8x16_t lo = vshrq_n_s8(vshlq_n_s8(b, 4), 4), hi = vshrq_n_s8(b, 4);
        const int8x16x2_t weights{{vzip1q_s8(lo, hi), vzip2q_s8(lo, hi)}};
        const int8x16_t w0 = vqtbl2q_s8(weights, index0);
        auto* out = reinterpret_cast<std::int16_t*>(dst + static_cast<std::ptrdiff_t>(r) * (k + 1) / 2);
        if (halves >= 8)
            vst1q_s16(out, vmovl_s8(vget_low_s8(w0)));
        else
            vst1_s16(out, vget_low_s16(vmovl_s8(vget_low_s8(w0))));
        if (halves >= 16)
            vst1q_s16(out + 8, vmovl_high_s8(w0));
        else if (halves > 8)
            vst1_s16(out + 8, vget_low_s16(vmovl_high_s8(w0)));
        if (halves > 16) {
            const int8x16_t w1 = vqtbl2q_s8(weights, index1);
            if (halves >= 24)
                vst1q_s16(out + 16, vmovl_s8(vget_low_s8(w1)));
            else
                vst1_s16(out + 16, vget_low_s16(vmovl_s8(vget_low_s8(w1))));
            if (halves == 32)
                vst1q_s16(out + 24, vmovl_high_s8(w1));
            else if (halves > 24)
                vst1_s16(out + 24, vget_low_s16(vmovl_high_s8(w1)));
        }
    }
    return r;
}

void int4PairsNeon(std::int32_t* dst, const std::uint8_t* packed, int rows, int k) {
    const int count = (k + 1) / 2;
    if (k % 2 == 0) {
        int4Run(dst, packed, 0, rows * count);
        return;
    }
    const std::size_t bytes = (static_cast<std::size_t>(rows) * k + 1) / 2;
    const std::size_t total = static_cast<std::size_t>(rows) * count;
    const int done = k <= 15 ? int4PairsOddRows(dst, packed, rows, k, bytes) : 0;
    dst += static_cast<std::ptrdiff_t>(done) * count;
    for (int r = done; r < rows; ++r, dst += count) {
        const std::size_t first = static_cast<std::size_t>(r) * k;
        const std::uint8_t* p = packed + first / 2;
        const int odd = static_cast<int>(first % 2);
        if (count <= 16 && static_cast<std::size_t>(r) * count + 16 <= total && first / 2 + 17 <= bytes)
            int4Pairs16(dst, int4Bytes(p, odd));
        else
            int4Run(dst, p, odd, count - 1);
        dst[count - 1] = int16Pair(int4At(packed, first + static_cast<std::size_t>(k) - 1), 0);
    }
}

// Vertical max of the two rows, then UMAXP (max of neighbouring bytes) packs 32
// input columns into 16 outputs; a row's last block overlaps the previous one.
// A row narrower than 16 outputs is one step: 16 (8 or fewer outputs) or 32 input
// bytes of each row and an 8- or 16-byte store, the bytes past the row landing in the
// rows after it, which are pooled later and rewrite them. Rows whose reads or store
// would leave the tensors (the last ones) take the exact blocks.
void maxPool2x2Neon(const std::uint8_t* in, int planes, int in_h, int in_w, std::uint8_t* out, int out_h,
                    int out_w) {
    const std::uint8_t* const in_end = in + static_cast<std::ptrdiff_t>(planes) * in_h * in_w;
    const std::uint8_t* const out_end = out + static_cast<std::ptrdiff_t>(planes) * out_h * out_w;
    for (int c = 0; c < planes; ++c) {
        const std::uint8_t* plane = in + static_cast<std::ptrdiff_t>(c) * in_h * in_w;
        for (int oy = 0; oy < out_h; ++oy, out += out_w) {
            const std::uint8_t* r0 = plane + static_cast<std::ptrdiff_t>(2 * oy) * in_w;
            const std::uint8_t* r1 = r0 + in_w;
            if (out_w < 16 && out_w > 8 && in_end - r1 >= 32 && out_end - out >= 16) {
                const uint8x16_t v0 = vmaxq_u8(vld1q_u8(r0), vld1q_u8(r1));
                const uint8x16_t v1 = vmaxq_u8(vld1q_u8(r0 + 16), vld1q_u8(r1 + 16));
                vst1q_u8(out, vpmaxq_u8(v0, v1));
            } else if (out_w <= 8 && in_end - r1 >= 16 && out_end - out >= 8) {
                const uint8x16_t v = vmaxq_u8(vld1q_u8(r0), vld1q_u8(r1));
                vst1_u8(out, vget_low_u8(vpmaxq_u8(v, v)));
            } else if (out_w >= 16) {
                for (int ox = 0;; ox += 16) {
                    if (ox > out_w - 16) ox = out_w - 16;
                    const uint8x16_t v0 = vmaxq_u8(vld1q_u8(r0 + 2 * ox), vld1q_u8(r1 + 2 * ox));
                    const uint8x16_t v1 = vmaxq_u8(vld1q_u8(r0 + 2 * ox + 16), vld1q_u8(r1 + 2 * ox + 16));
                    vst1q_u8(out + ox, vpmaxq_u8(v0, v1));
                    if (ox == out_w - 16) break;
                }
            } else if (out_w >= 8) {
                for (int ox = 0;; ox += 8) {
                    if (ox > out_w - 8) ox = out_w - 8;
                    const uint8x16_t v = vmaxq_u8(vld1q_u8(r0 + 2 * ox), vld1q_u8(r1 + 2 * ox));
                    vst1_u8(out + ox, vget_low_u8(vpmaxq_u8(v, v)));
                    if (ox == out_w - 8) break;
                }
            } else if (out_w >= 4) {
                // Four outputs from 8 bytes of each row, the last block overlapping.
                for (int ox = 0;; ox += 4) {
                    if (ox > out_w - 4) ox = out_w - 4;
                    const uint8x8_t v = vmax_u8(vld1_u8(r0 + 2 * ox), vld1_u8(r1 + 2 * ox));
                    const std::uint32_t codes = vget_lane_u32(vreinterpret_u32_u8(vpmax_u8(v, v)), 0);
                    std::memcpy(out + ox, &codes, 4);
                    if (ox == out_w - 4) break;
                }
            } else {
                for (int ox = 0; ox < out_w; ++ox)
                    out[ox] =
                        std::max(std::max(r0[2 * ox], r0[2 * ox + 1]), std::max(r1[2 * ox], r1[2 * ox + 1]));
            }
        }
    }
}
}  // namespace

const SimdOps* neonSimdOps() {
    using namespace neon;
    static const SimdOps ops{"neon",      accumulateRowNeon, dotNeon,       packPairsNeon,
                             gemmPairs,   directPairs,       directRows,    maxPool2x2Neon,
                             dotInt4Neon, dot4Neon,          int4PairsNeon, dot4Int4Neon};
    return &ops;
}
#else
const SimdOps* neonSimdOps() { return nullptr; }
#endif

}  // namespace tm2::runtime
