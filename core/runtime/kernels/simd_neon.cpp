// The aarch64 inner loops (Cortex-A72, the Raspberry Pi 4: NEON, no dot product).
// Same design as simd_avx2.cpp: convolutions as a GEMM over int16 tap pairs, with
// SMLAL/SMLAL2 (16×16 → 32-bit widening multiply-accumulate) instead of pmaddwd,
// and the dyadic requantization fused, bit-exact with requantizeToCode().
#include "core/runtime/kernels/simd_ops.h"

#if defined(__aarch64__)
#include <arm_neon.h>

#include <algorithm>
#include <cstring>
#include <type_traits>
#include <utility>

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

// The GEMM: four output channels × 8 columns per step. LD2 splits 8 pair-columns
// into their first (x0) and second (x1) halves, so each half is multiplied by its
// own weight taken from a register lane (SMLAL/SMLAL2 by element) and both halves
// land in the same accumulator. A row's weight register holds four consecutive
// weight pairs, loaded once per four k. 8 accumulators, 2 column vectors and 4
// weight vectors: few enough registers that GCC neither spills nor shuffles
// (16 columns per step made it copy registers around the LD2 pairs, 75 moves per
// 128 multiply-accumulates; named accumulators, since an array stayed in memory).
struct Accumulators8 {
    int32x4_t a0, a1;  // columns 0-3, 4-7
};

// Adds x0 · w[kLane] + x1 · w[kLane + 1] for the 8 columns in c (x1 left out when
// kLowOnly: the zero-weight half of an odd K's last pair).
template <int kLane, bool kLowOnly>
TM2_NEON_INLINE void macPair(Accumulators8& a, const int16x8x2_t& c, int16x8_t w) {
    a.a0 = vmlal_laneq_s16(a.a0, vget_low_s16(c.val[0]), w, kLane);
    a.a1 = vmlal_high_laneq_s16(a.a1, c.val[0], w, kLane);
    if (kLowOnly) return;
    a.a0 = vmlal_laneq_s16(a.a0, vget_low_s16(c.val[1]), w, kLane + 1);
    a.a1 = vmlal_high_laneq_s16(a.a1, c.val[1], w, kLane + 1);
}

TM2_NEON_INLINE int16x8x2_t loadHalves(const std::int32_t* col) {
    return vld2q_s16(reinterpret_cast<const std::int16_t*>(col));
}
TM2_NEON_INLINE int16x8_t loadFourPairs(const std::int32_t* w) {
    return vld1q_s16(reinterpret_cast<const std::int16_t*>(w));
}
TM2_NEON_INLINE int16x8_t loadOnePair(const std::int32_t* w) {
    return vreinterpretq_s16_s32(vld1q_dup_s32(w));
}

// kRows (4 or 1) consecutive rows of w (row pitch pair_count) into as many output
// rows (pitch out_stride): one weight and one output pointer, since GCC spilled
// and shuffled registers when each row had its own.
template <int kRows, bool kLastLowOnly>
void gemmRowsNeon(const std::int32_t* pairs, int pair_count, int n, int ld, const std::int32_t* w,
                  const NeonRequant* q, std::uint8_t* out, int out_stride) {
    static_assert(kRows == 1 || kRows == 4, "four rows, or one");
    const std::ptrdiff_t stride = ld, wp = pair_count, os = out_stride;
    const int full = kLastLowOnly ? pair_count - 1 : pair_count;  // pairs with both halves
    // The fast requantization's constants as locals: stores through `out` (uint8_t,
    // which may alias anything) would otherwise make GCC reload them from q per row.
    const bool all_fast =
        q[0].fast && q[kRows - 1 < 1 ? 0 : 1].fast && q[kRows - 1 < 2 ? 0 : 2].fast && q[kRows - 1].fast;
    const int32x4_t m0 = q[0].multiplier, s0 = q[0].shift;
    const int32x4_t m1 = q[kRows - 1 < 1 ? 0 : 1].multiplier, s1 = q[kRows - 1 < 1 ? 0 : 1].shift;
    const int32x4_t m2 = q[kRows - 1 < 2 ? 0 : 2].multiplier, s2 = q[kRows - 1 < 2 ? 0 : 2].shift;
    const int32x4_t m3 = q[kRows - 1].multiplier, s3 = q[kRows - 1].shift;
    const int16x8_t zp = q[0].zero_point;  // the output stage's: the same for every row
    const uint8x8_t lo = q[0].lo, hi = q[0].hi;
    for (int j = 0; j < n; j += 8) {
        Accumulators8 r0{q[0].start, q[0].start}, r1 = r0, r2 = r0, r3 = r0;
        if (kRows == 4) {
            r1 = {q[1].start, q[1].start};
            r2 = {q[2].start, q[2].start};
            r3 = {q[3].start, q[3].start};
        }
        const std::int32_t* col = pairs + j;
        auto step = [&](auto lane, auto low_only, const std::int32_t* c, int16x8_t v0, int16x8_t v1,
                        int16x8_t v2, int16x8_t v3) {
            constexpr int kLane = decltype(lane)::value;
            constexpr bool kLow = decltype(low_only)::value;
            const int16x8x2_t halves = loadHalves(c);
            macPair<kLane, kLow>(r0, halves, v0);
            if (kRows == 4) {
                macPair<kLane, kLow>(r1, halves, v1);
                macPair<kLane, kLow>(r2, halves, v2);
                macPair<kLane, kLow>(r3, halves, v3);
            }
        };
        using Both = std::false_type;
        int k = 0;
        for (; k + 4 <= full; k += 4, col += 4 * stride) {
            const int16x8_t v0 = loadFourPairs(w + k);
            const int16x8_t v1 = kRows == 4 ? loadFourPairs(w + wp + k) : v0;
            const int16x8_t v2 = kRows == 4 ? loadFourPairs(w + 2 * wp + k) : v0;
            const int16x8_t v3 = kRows == 4 ? loadFourPairs(w + 3 * wp + k) : v0;
            step(std::integral_constant<int, 0>{}, Both{}, col, v0, v1, v2, v3);
            step(std::integral_constant<int, 2>{}, Both{}, col + stride, v0, v1, v2, v3);
            step(std::integral_constant<int, 4>{}, Both{}, col + 2 * stride, v0, v1, v2, v3);
            step(std::integral_constant<int, 6>{}, Both{}, col + 3 * stride, v0, v1, v2, v3);
        }
        for (; k < pair_count; ++k, col += stride) {
            const int16x8_t v0 = loadOnePair(w + k);
            const int16x8_t v1 = kRows == 4 ? loadOnePair(w + wp + k) : v0;
            const int16x8_t v2 = kRows == 4 ? loadOnePair(w + 2 * wp + k) : v0;
            const int16x8_t v3 = kRows == 4 ? loadOnePair(w + 3 * wp + k) : v0;
            if (kLastLowOnly && k == full)
                step(std::integral_constant<int, 0>{}, std::true_type{}, col, v0, v1, v2, v3);
            else
                step(std::integral_constant<int, 0>{}, Both{}, col, v0, v1, v2, v3);
        }
        const int count = n - j < 8 ? n - j : 8;
        std::uint8_t* dst = out + j;
        if (all_fast) {
            storeCodes(requantizeFast8(r0.a0, r0.a1, m0, s0, zp, lo, hi), dst, count);
            if (kRows == 4) {
                storeCodes(requantizeFast8(r1.a0, r1.a1, m1, s1, zp, lo, hi), dst + os, count);
                storeCodes(requantizeFast8(r2.a0, r2.a1, m2, s2, zp, lo, hi), dst + 2 * os, count);
                storeCodes(requantizeFast8(r3.a0, r3.a1, m3, s3, zp, lo, hi), dst + 3 * os, count);
            }
            continue;
        }
        storeCodes8(r0.a0, r0.a1, q[0], dst, count);
        if (kRows == 4) {
            storeCodes8(r1.a0, r1.a1, q[1], dst + os, count);
            storeCodes8(r2.a0, r2.a1, q[2], dst + 2 * os, count);
            storeCodes8(r3.a0, r3.a1, q[3], dst + 3 * os, count);
        }
    }
}

template <int kRows>
void gemmRowsNeon(const std::int32_t* pairs, int pair_count, int n, int ld, const std::int32_t* w,
                  const NeonRequant* q, std::uint8_t* out, int out_stride) {
    // An odd K leaves every row's last pair with a zero second weight (packWeightPairs).
    bool last_low_only = true;
    for (int r = 0; r < kRows; ++r)
        last_low_only =
            last_low_only &&
            (static_cast<std::uint32_t>(w[static_cast<std::ptrdiff_t>(r) * pair_count + pair_count - 1]) >>
             16) == 0;
    if (last_low_only)
        gemmRowsNeon<kRows, true>(pairs, pair_count, n, ld, w, q, out, out_stride);
    else
        gemmRowsNeon<kRows, false>(pairs, pair_count, n, ld, w, q, out, out_stride);
}

// Rows in fours, the rest one at a time.
void gemmPairsNeon(const std::int32_t* pairs, int pair_count, int n, int ld, const std::int32_t* w_pairs,
                   int rows, const OutputStage& s, int first_channel, std::uint8_t* out, int out_stride) {
    const std::int64_t bound = pairAccBound(pair_count);
    int r = 0;
    for (; r + 4 <= rows; r += 4) {
        const NeonRequant q[4] = {
            neonRequant(s, first_channel + r, bound), neonRequant(s, first_channel + r + 1, bound),
            neonRequant(s, first_channel + r + 2, bound), neonRequant(s, first_channel + r + 3, bound)};
        gemmRowsNeon<4>(pairs, pair_count, n, ld, w_pairs + static_cast<std::ptrdiff_t>(r) * pair_count, q,
                        out + static_cast<std::ptrdiff_t>(r) * out_stride, out_stride);
    }
    for (; r < rows; ++r) {
        const NeonRequant q = neonRequant(s, first_channel + r, bound);
        gemmRowsNeon<1>(pairs, pair_count, n, ld, w_pairs + static_cast<std::ptrdiff_t>(r) * pair_count, &q,
                        out + static_cast<std::ptrdiff_t>(r) * out_stride, out_stride);
    }
}

// Adds the tap pair `kPair` (x0 = rows at offsets[2·kPair], x1 at offsets[2·kPair + 1],
// both − zp) times its weights, lanes 2·kPair and 2·kPair + 1 of w, to 16 outputs.
struct DirectAccumulators {
    int32x4_t a0, a1, a2, a3;
};
template <int kPair, bool kSkipHigh>
TM2_NEON_INLINE void directPair(DirectAccumulators& acc, const std::uint8_t* base, const int* offset,
                                uint8x16_t zp, int16x8_t w) {
    constexpr int kLane = 2 * (kPair % 4);
    const uint8x16_t a = vld1q_u8(base + offset[2 * kPair]);
    const int16x8_t a0 = vreinterpretq_s16_u16(vsubl_u8(vget_low_u8(a), vget_low_u8(zp)));
    const int16x8_t a1 = vreinterpretq_s16_u16(vsubl_high_u8(a, zp));
    acc.a0 = vmlal_laneq_s16(acc.a0, vget_low_s16(a0), w, kLane);
    acc.a1 = vmlal_high_laneq_s16(acc.a1, a0, w, kLane);
    acc.a2 = vmlal_laneq_s16(acc.a2, vget_low_s16(a1), w, kLane);
    acc.a3 = vmlal_high_laneq_s16(acc.a3, a1, w, kLane);
    if (kSkipHigh) return;
    const uint8x16_t b = vld1q_u8(base + offset[2 * kPair + 1]);
    const int16x8_t b0 = vreinterpretq_s16_u16(vsubl_u8(vget_low_u8(b), vget_low_u8(zp)));
    const int16x8_t b1 = vreinterpretq_s16_u16(vsubl_high_u8(b, zp));
    acc.a0 = vmlal_laneq_s16(acc.a0, vget_low_s16(b0), w, kLane + 1);
    acc.a1 = vmlal_high_laneq_s16(acc.a1, b0, w, kLane + 1);
    acc.a2 = vmlal_laneq_s16(acc.a2, vget_low_s16(b1), w, kLane + 1);
    acc.a3 = vmlal_high_laneq_s16(acc.a3, b1, w, kLane + 1);
}

// Up to eight tap pairs (kernels up to 16 taps, the 3×3 one among them), unrolled:
// weights and offsets loaded once per channel, not per step. kSkipLastHigh drops the
// last pair's second half, a repeated tap with weight 0 for an odd tap count.
template <bool kSkipLastHigh, int... kPairs>
void directPairsUnrolled(std::integer_sequence<int, kPairs...>, const std::uint8_t* plane, const int* offsets,
                         int n, uint8x16_t zp, const std::int32_t* w_pairs, const NeonRequant& q,
                         std::uint8_t* out) {
    constexpr int kCount = sizeof...(kPairs);
    std::int32_t padded[8] = {};
    int offset[2 * kCount];
    for (int p = 0; p < kCount; ++p) {
        padded[p] = w_pairs[p];
        offset[2 * p] = offsets[2 * p];
        offset[2 * p + 1] = offsets[2 * p + 1];
    }
    const int16x8_t w0 = vld1q_s16(reinterpret_cast<const std::int16_t*>(padded));
    const int16x8_t w1 = vld1q_s16(reinterpret_cast<const std::int16_t*>(padded + 4));
    // Constants as locals, as in the GEMM: stores through `out` would make GCC reload them.
    const bool fast = q.fast;
    const int32x4_t multiplier = q.multiplier, shift = q.shift, start = q.start;
    const int16x8_t out_zp = q.zero_point;
    const uint8x8_t lo = q.lo, hi = q.hi;
    constexpr int kLast = kCount - 1;
    for (int j = 0;; j += 16) {
        if (j > n - 16) j = n - 16;
        DirectAccumulators acc{start, start, start, start};
        const std::uint8_t* base = plane + j;
        (directPair<kPairs, (kSkipLastHigh && kPairs == kLast)>(acc, base, offset, zp, kPairs < 4 ? w0 : w1),
         ...);
        if (fast) {
            vst1_u8(out + j, requantizeFast8(acc.a0, acc.a1, multiplier, shift, out_zp, lo, hi));
            vst1_u8(out + j + 8, requantizeFast8(acc.a2, acc.a3, multiplier, shift, out_zp, lo, hi));
        } else {
            storeCodes8(acc.a0, acc.a1, q, out + j, 8);
            storeCodes8(acc.a2, acc.a3, q, out + j + 8, 8);
        }
        if (j == n - 16) break;
    }
}

template <int kCount>
void directPairsFixed(const std::uint8_t* plane, const int* offsets, int n, uint8x16_t zp,
                      const std::int32_t* w_pairs, const NeonRequant& q, std::uint8_t* out) {
    if ((static_cast<std::uint32_t>(w_pairs[kCount - 1]) >> 16) == 0)
        directPairsUnrolled<true>(std::make_integer_sequence<int, kCount>{}, plane, offsets, n, zp, w_pairs,
                                  q, out);
    else
        directPairsUnrolled<false>(std::make_integer_sequence<int, kCount>{}, plane, offsets, n, zp, w_pairs,
                                   q, out);
}

// Sixteen outputs per step straight from the padded plane: each tap pair's two
// rows widened (x − zp) and multiplied by their own weight (SMLAL by lane), the
// last step overlapping the previous one instead of a scalar tail.
void directPairsNeon(const std::uint8_t* plane, const int* offsets, int pair_count, int n,
                     std::int32_t zero_point, const std::int32_t* w_pairs, const OutputStage& s, int ch,
                     std::uint8_t* out) {
    if (n < 16 || zero_point < 0 || zero_point > 255) {
        const std::int64_t bias = s.bias ? s.bias[ch] : 0;
        for (int j = 0; j < n; ++j) {
            std::int32_t acc = 0;
            for (int p = 0; p < pair_count; ++p) {
                const auto w = static_cast<std::uint32_t>(w_pairs[p]);
                acc += (plane[offsets[2 * p] + j] - zero_point) * static_cast<std::int16_t>(w & 0xFFFFu) +
                       (plane[offsets[2 * p + 1] + j] - zero_point) * static_cast<std::int16_t>(w >> 16);
            }
            out[j] = requantizeToCode(acc + bias, s.multiplier[ch], s.shift[ch], s.zero_point, s.lo, s.hi);
        }
        return;
    }
    const NeonRequant q = neonRequant(s, ch, pairAccBound(pair_count));
    const uint8x16_t zp = vdupq_n_u8(static_cast<std::uint8_t>(zero_point));
    switch (pair_count) {
        case 1:
            return directPairsFixed<1>(plane, offsets, n, zp, w_pairs, q, out);
        case 2:
            return directPairsFixed<2>(plane, offsets, n, zp, w_pairs, q, out);
        case 3:
            return directPairsFixed<3>(plane, offsets, n, zp, w_pairs, q, out);
        case 4:
            return directPairsFixed<4>(plane, offsets, n, zp, w_pairs, q, out);
        case 5:
            return directPairsFixed<5>(plane, offsets, n, zp, w_pairs, q, out);
        case 6:
            return directPairsFixed<6>(plane, offsets, n, zp, w_pairs, q, out);
        case 7:
            return directPairsFixed<7>(plane, offsets, n, zp, w_pairs, q, out);
        case 8:
            return directPairsFixed<8>(plane, offsets, n, zp, w_pairs, q, out);
        default:
            break;
    }
    for (int j = 0;; j += 16) {
        if (j > n - 16) j = n - 16;
        int32x4_t acc0 = q.start, acc1 = acc0, acc2 = acc0, acc3 = acc0;
        for (int p = 0; p < pair_count; ++p) {
            const uint8x16_t a = vld1q_u8(plane + offsets[2 * p] + j);
            const uint8x16_t b = vld1q_u8(plane + offsets[2 * p + 1] + j);
            const int16x4_t w = vreinterpret_s16_s32(vld1_dup_s32(w_pairs + p));
            const int16x8_t a0 = vreinterpretq_s16_u16(vsubl_u8(vget_low_u8(a), vget_low_u8(zp)));
            const int16x8_t a1 = vreinterpretq_s16_u16(vsubl_high_u8(a, zp));
            const int16x8_t b0 = vreinterpretq_s16_u16(vsubl_u8(vget_low_u8(b), vget_low_u8(zp)));
            const int16x8_t b1 = vreinterpretq_s16_u16(vsubl_high_u8(b, zp));
            acc0 = vmlal_lane_s16(acc0, vget_low_s16(a0), w, 0);
            acc1 = vmlal_high_lane_s16(acc1, a0, w, 0);
            acc2 = vmlal_lane_s16(acc2, vget_low_s16(a1), w, 0);
            acc3 = vmlal_high_lane_s16(acc3, a1, w, 0);
            acc0 = vmlal_lane_s16(acc0, vget_low_s16(b0), w, 1);
            acc1 = vmlal_high_lane_s16(acc1, b0, w, 1);
            acc2 = vmlal_lane_s16(acc2, vget_low_s16(b1), w, 1);
            acc3 = vmlal_high_lane_s16(acc3, b1, w, 1);
        }
        storeCodes8(acc0, acc1, q, out + j, 8);
        storeCodes8(acc2, acc3, q, out + j + 8, 8);
        if (j == n - 16) break;
    }
}

// direct_rows: four output channels per step over the same plane, each tap's 16
// bytes loaded and widened once for all four (the networks' first layer: one input
// plane, 9 taps, 16 channels). Kernels up to 16 taps, unrolled like directPairs.
struct FourRowWeights {
    int16x8_t lo0, lo1, lo2, lo3;  // taps 0-7 of each row
    int16x8_t hi0, hi1, hi2, hi3;  // taps 8-15
};

template <int kTap>
TM2_NEON_INLINE void directTapFourRows(DirectAccumulators& c0, DirectAccumulators& c1, DirectAccumulators& c2,
                                       DirectAccumulators& c3, const std::uint8_t* base, const int* offset,
                                       uint8x16_t zp, const FourRowWeights& w) {
    constexpr int kLane = kTap % 8;
    const uint8x16_t a = vld1q_u8(base + offset[kTap]);
    const int16x8_t x0 = vreinterpretq_s16_u16(vsubl_u8(vget_low_u8(a), vget_low_u8(zp)));
    const int16x8_t x1 = vreinterpretq_s16_u16(vsubl_high_u8(a, zp));
    auto mac = [&](DirectAccumulators& c, int16x8_t weights) {
        c.a0 = vmlal_laneq_s16(c.a0, vget_low_s16(x0), weights, kLane);
        c.a1 = vmlal_high_laneq_s16(c.a1, x0, weights, kLane);
        c.a2 = vmlal_laneq_s16(c.a2, vget_low_s16(x1), weights, kLane);
        c.a3 = vmlal_high_laneq_s16(c.a3, x1, weights, kLane);
    };
    mac(c0, kTap < 8 ? w.lo0 : w.hi0);
    mac(c1, kTap < 8 ? w.lo1 : w.hi1);
    mac(c2, kTap < 8 ? w.lo2 : w.hi2);
    mac(c3, kTap < 8 ? w.lo3 : w.hi3);
}

// kTaps: the taps with a weight (2 · pairs, or one less when the last pair's second
// weight is the odd tap count's zero).
template <int... kTaps>
void directRowsUnrolled(std::integer_sequence<int, kTaps...>, const std::uint8_t* plane, const int* offsets,
                        int pair_count, int n, uint8x16_t zp, const std::int32_t* w_pairs,
                        const NeonRequant* q, std::uint8_t* out, int out_stride) {
    std::int32_t padded[4][8] = {};
    for (int r = 0; r < 4; ++r)
        for (int p = 0; p < pair_count; ++p)
            padded[r][p] = w_pairs[static_cast<std::ptrdiff_t>(r) * pair_count + p];
    auto at = [&](int r, int half) {
        return vld1q_s16(reinterpret_cast<const std::int16_t*>(padded[r] + 4 * half));
    };
    const FourRowWeights w{at(0, 0), at(1, 0), at(2, 0), at(3, 0), at(0, 1), at(1, 1), at(2, 1), at(3, 1)};
    int offset[16] = {};
    for (int t = 0; t < 2 * pair_count; ++t) offset[t] = offsets[t];
    const std::ptrdiff_t os = out_stride;
    // Constants as locals, as in the GEMM: stores through `out` would make GCC reload them.
    const bool all_fast = q[0].fast && q[1].fast && q[2].fast && q[3].fast;
    const int32x4_t m0 = q[0].multiplier, s0 = q[0].shift, m1 = q[1].multiplier, s1 = q[1].shift;
    const int32x4_t m2 = q[2].multiplier, s2 = q[2].shift, m3 = q[3].multiplier, s3 = q[3].shift;
    const int32x4_t start0 = q[0].start, start1 = q[1].start, start2 = q[2].start, start3 = q[3].start;
    const int16x8_t out_zp = q[0].zero_point;
    const uint8x8_t lo = q[0].lo, hi = q[0].hi;
    for (int j = 0;; j += 16) {
        if (j > n - 16) j = n - 16;
        DirectAccumulators c0{start0, start0, start0, start0}, c1{start1, start1, start1, start1};
        DirectAccumulators c2{start2, start2, start2, start2}, c3{start3, start3, start3, start3};
        const std::uint8_t* base = plane + j;
        (directTapFourRows<kTaps>(c0, c1, c2, c3, base, offset, zp, w), ...);
        std::uint8_t* dst = out + j;
        if (all_fast) {
            vst1_u8(dst, requantizeFast8(c0.a0, c0.a1, m0, s0, out_zp, lo, hi));
            vst1_u8(dst + 8, requantizeFast8(c0.a2, c0.a3, m0, s0, out_zp, lo, hi));
            vst1_u8(dst + os, requantizeFast8(c1.a0, c1.a1, m1, s1, out_zp, lo, hi));
            vst1_u8(dst + os + 8, requantizeFast8(c1.a2, c1.a3, m1, s1, out_zp, lo, hi));
            vst1_u8(dst + 2 * os, requantizeFast8(c2.a0, c2.a1, m2, s2, out_zp, lo, hi));
            vst1_u8(dst + 2 * os + 8, requantizeFast8(c2.a2, c2.a3, m2, s2, out_zp, lo, hi));
            vst1_u8(dst + 3 * os, requantizeFast8(c3.a0, c3.a1, m3, s3, out_zp, lo, hi));
            vst1_u8(dst + 3 * os + 8, requantizeFast8(c3.a2, c3.a3, m3, s3, out_zp, lo, hi));
        } else {
            storeCodes8(c0.a0, c0.a1, q[0], dst, 8);
            storeCodes8(c0.a2, c0.a3, q[0], dst + 8, 8);
            storeCodes8(c1.a0, c1.a1, q[1], dst + os, 8);
            storeCodes8(c1.a2, c1.a3, q[1], dst + os + 8, 8);
            storeCodes8(c2.a0, c2.a1, q[2], dst + 2 * os, 8);
            storeCodes8(c2.a2, c2.a3, q[2], dst + 2 * os + 8, 8);
            storeCodes8(c3.a0, c3.a1, q[3], dst + 3 * os, 8);
            storeCodes8(c3.a2, c3.a3, q[3], dst + 3 * os + 8, 8);
        }
        if (j == n - 16) break;
    }
}

// Rows in fours through the shared-tap loop where it applies (n ≥ 16, a zp in 0..255,
// up to 8 pairs), the rest one at a time through directPairsNeon.
void directRowsNeon(const std::uint8_t* plane, const int* offsets, int pair_count, int n,
                    std::int32_t zero_point, const std::int32_t* w_pairs, int rows, const OutputStage& s,
                    int first_channel, std::uint8_t* out, int out_stride) {
    int r = 0;
    if (n >= 16 && zero_point >= 0 && zero_point <= 255 && pair_count <= 8) {
        const uint8x16_t zp = vdupq_n_u8(static_cast<std::uint8_t>(zero_point));
        const std::int64_t bound = pairAccBound(pair_count);
        for (; r + 4 <= rows; r += 4) {
            const std::int32_t* w = w_pairs + static_cast<std::ptrdiff_t>(r) * pair_count;
            // An odd tap count: every row's last second weight is 0 (packWeightPairs).
            bool last_low_only = true;
            for (int i = 1; i <= 4; ++i)
                last_low_only =
                    last_low_only && (static_cast<std::uint32_t>(w[i * pair_count - 1]) >> 16) == 0;
            const NeonRequant q[4] = {
                neonRequant(s, first_channel + r, bound), neonRequant(s, first_channel + r + 1, bound),
                neonRequant(s, first_channel + r + 2, bound), neonRequant(s, first_channel + r + 3, bound)};
            std::uint8_t* dst = out + static_cast<std::ptrdiff_t>(r) * out_stride;
            switch (2 * pair_count - (last_low_only ? 1 : 0)) {
#define TM2_NEON_DIRECT_ROWS(T)                                                                           \
    case T:                                                                                               \
        directRowsUnrolled(std::make_integer_sequence<int, T>{}, plane, offsets, pair_count, n, zp, w, q, \
                           dst, out_stride);                                                              \
        break;
                TM2_NEON_DIRECT_ROWS(1)
                TM2_NEON_DIRECT_ROWS(2)
                TM2_NEON_DIRECT_ROWS(3)
                TM2_NEON_DIRECT_ROWS(4)
                TM2_NEON_DIRECT_ROWS(5)
                TM2_NEON_DIRECT_ROWS(6)
                TM2_NEON_DIRECT_ROWS(7)
                TM2_NEON_DIRECT_ROWS(8)
                TM2_NEON_DIRECT_ROWS(9)
                TM2_NEON_DIRECT_ROWS(10)
                TM2_NEON_DIRECT_ROWS(11)
                TM2_NEON_DIRECT_ROWS(12)
                TM2_NEON_DIRECT_ROWS(13)
                TM2_NEON_DIRECT_ROWS(14)
                TM2_NEON_DIRECT_ROWS(15)
                TM2_NEON_DIRECT_ROWS(16)
#undef TM2_NEON_DIRECT_ROWS
                default:
                    break;
            }
        }
    }
    for (; r < rows; ++r)
        directPairsNeon(plane, offsets, pair_count, n, zero_point,
                        w_pairs + static_cast<std::ptrdiff_t>(r) * pair_count, s, first_channel + r,
                        out + static_cast<std::ptrdiff_t>(r) * out_stride);
}

// Vertical max of the two rows, then UMAXP (max of neighbouring bytes) packs 32
// input columns into 16 outputs; a row's last block overlaps the previous one.
void maxPool2x2Neon(const std::uint8_t* in, int planes, int in_h, int in_w, std::uint8_t* out, int out_h,
                    int out_w) {
    for (int c = 0; c < planes; ++c) {
        const std::uint8_t* plane = in + static_cast<std::ptrdiff_t>(c) * in_h * in_w;
        for (int oy = 0; oy < out_h; ++oy, out += out_w) {
            const std::uint8_t* r0 = plane + static_cast<std::ptrdiff_t>(2 * oy) * in_w;
            const std::uint8_t* r1 = r0 + in_w;
            if (out_w >= 16) {
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
    static const SimdOps ops{"neon",        accumulateRowNeon, dotNeon,        packPairsNeon,
                             gemmPairsNeon, directPairsNeon,   directRowsNeon, maxPool2x2Neon};
    return &ops;
}
#else
const SimdOps* neonSimdOps() { return nullptr; }
#endif

}  // namespace tm2::runtime
