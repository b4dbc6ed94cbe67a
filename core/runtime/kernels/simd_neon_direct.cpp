// The aarch64 direct convolution loops, straight from a padded plane without a
// pairs matrix: depthwise (one channel per plane) and the first layer (several
// channels over one plane). See neon_loops.h for the contract.
#include "core/runtime/kernels/neon_loops.h"

#if defined(__aarch64__)
#include <arm_neon.h>

#include <algorithm>
#include <type_traits>
#include <utility>

#include "core/runtime/kernels/neon_requantize.h"
#include "core/runtime/kernels/requantize.h"
#endif

namespace tm2::runtime {

#if defined(__aarch64__)
namespace {
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
template <bool kSkipLastHigh, bool kClamp, int... kPairs>
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
    const uint8x16_t lo16 = vcombine_u8(q.lo, q.lo), hi16 = vcombine_u8(q.hi, q.hi);
    constexpr int kLast = kCount - 1;
    for (int j = 0;; j += 16) {
        if (j > n - 16) j = n - 16;
        DirectAccumulators acc{start, start, start, start};
        const std::uint8_t* base = plane + j;
        (directPair<kPairs, (kSkipLastHigh && kPairs == kLast)>(acc, base, offset, zp, kPairs < 4 ? w0 : w1),
         ...);
        if (fast) {  // 16 codes in one register: the clamp once for the 16
            vst1q_u8(out + j, requantizeFast16<kClamp, kClamp, true>(acc.a0, acc.a1, multiplier, shift, acc.a2,
                                                                      acc.a3, multiplier, shift, out_zp, lo16, hi16));
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
    constexpr auto kPairs = std::make_integer_sequence<int, kCount>{};
    const bool skip = (static_cast<std::uint32_t>(w_pairs[kCount - 1]) >> 16) == 0;
    // The 64-bit path clamps on its own: only the fast one drops an idle clamp.
    const bool clamp = !q.fast || q.clamp;
    if (skip && clamp)
        directPairsUnrolled<true, true>(kPairs, plane, offsets, n, zp, w_pairs, q, out);
    else if (skip)
        directPairsUnrolled<true, false>(kPairs, plane, offsets, n, zp, w_pairs, q, out);
    else if (clamp)
        directPairsUnrolled<false, true>(kPairs, plane, offsets, n, zp, w_pairs, q, out);
    else
        directPairsUnrolled<false, false>(kPairs, plane, offsets, n, zp, w_pairs, q, out);
}

}  // namespace

namespace neon {

// Sixteen outputs per step straight from the padded plane: each tap pair's two
// rows widened (x − zp) and multiplied by their own weight (SMLAL by lane), the
// last step overlapping the previous one instead of a scalar tail.
void directPairs(const std::uint8_t* plane, const int* offsets, int pair_count, int n,
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

}  // namespace neon

namespace {
// direct_rows: four output channels per step over the same plane, each tap's 8
// bytes loaded and widened once for all four (the networks' first layer: one input
// plane, 9 taps, 16 channels). Kernels up to 16 taps, unrolled like directPairs.
struct FourRowWeights {
    int16x8_t lo0, lo1, lo2, lo3;  // taps 0-7 of each row
    int16x8_t hi0, hi1, hi2, hi3;  // taps 8-15 (more than 10 taps)
    // Up to 10 taps: taps 8 and 9 of all four rows in one register (lane 4·(t − 8) + row),
    // so the 3×3 kernel's ninth tap takes one register instead of four (GCC kept those
    // on the stack and reloaded them every step).
    int16x8_t hi_rows;
};
struct FourRowAccumulators {
    int32x4_t a0, a1;  // columns 0-3, 4-7
};

// One tap for 8 outputs of four rows.
template <int kTap, bool kHiRows>
TM2_NEON_INLINE void directTapFourRows(FourRowAccumulators& c0, FourRowAccumulators& c1,
                                       FourRowAccumulators& c2, FourRowAccumulators& c3,
                                       const std::uint8_t* base, const int* offset, uint8x8_t zp,
                                       const FourRowWeights& w) {
    const int16x8_t x = vreinterpretq_s16_u16(vsubl_u8(vld1_u8(base + offset[kTap]), zp));
    auto mac = [&](FourRowAccumulators& c, int16x8_t weights, auto lane) {
        constexpr int kLane = decltype(lane)::value;
        c.a0 = vmlal_laneq_s16(c.a0, vget_low_s16(x), weights, kLane);
        c.a1 = vmlal_high_laneq_s16(c.a1, x, weights, kLane);
    };
    if constexpr (kTap >= 8 && kHiRows) {
        constexpr int kBase = 4 * (kTap - 8);
        mac(c0, w.hi_rows, std::integral_constant<int, kBase>{});
        mac(c1, w.hi_rows, std::integral_constant<int, kBase + 1>{});
        mac(c2, w.hi_rows, std::integral_constant<int, kBase + 2>{});
        mac(c3, w.hi_rows, std::integral_constant<int, kBase + 3>{});
    } else {
        constexpr auto kLane = std::integral_constant<int, kTap % 8>{};
        mac(c0, kTap < 8 ? w.lo0 : w.hi0, kLane);
        mac(c1, kTap < 8 ? w.lo1 : w.hi1, kLane);
        mac(c2, kTap < 8 ? w.lo2 : w.hi2, kLane);
        mac(c3, kTap < 8 ? w.lo3 : w.hi3, kLane);
    }
}

// directTapFourRows in int16 lanes (narrowAccumulates): one MUL (the first tap) or MLA per
// row for 8 outputs instead of two SMLALs; the bias is added as the lanes are widened.
struct FourRowNarrow {
    int16x8_t c0, c1, c2, c3;
};
// MUL / MLA by element in assembly: GCC turns the intrinsics into a DUP of every weight
// lane hoisted out of the loop (36 registers for a 3×3 kernel's four rows) and spills them.
// The weight register is constrained to v0-v15 ("x"), as the 16-bit element form needs.
template <int kLane>
TM2_NEON_INLINE int16x8_t mulLane(int16x8_t x, int16x8_t w) {
    int16x8_t c;
    asm("mul %0.8h, %1.8h, %2.h[%3]" : "=w"(c) : "w"(x), "x"(w), "i"(kLane));
    return c;
}
template <int kLane>
TM2_NEON_INLINE void mlaLane(int16x8_t& c, int16x8_t x, int16x8_t w) {
    asm("mla %0.8h, %1.8h, %2.h[%3]" : "+w"(c) : "w"(x), "x"(w), "i"(kLane));
}
template <int kTap, bool kHiRows>
TM2_NEON_INLINE void directTapFourRowsNarrow(FourRowNarrow& n, const std::uint8_t* base, const int* offset,
                                             uint8x8_t zp, const FourRowWeights& w) {
    const int16x8_t x = vreinterpretq_s16_u16(vsubl_u8(vld1_u8(base + offset[kTap]), zp));
    auto mac = [&](int16x8_t& c, int16x8_t weights, auto lane) {
        constexpr int kLane = decltype(lane)::value;
        if (kTap == 0)
            c = mulLane<kLane>(x, weights);
        else
            mlaLane<kLane>(c, x, weights);
    };
    if constexpr (kTap >= 8 && kHiRows) {
        constexpr int kBase = 4 * (kTap - 8);
        mac(n.c0, w.hi_rows, std::integral_constant<int, kBase>{});
        mac(n.c1, w.hi_rows, std::integral_constant<int, kBase + 1>{});
        mac(n.c2, w.hi_rows, std::integral_constant<int, kBase + 2>{});
        mac(n.c3, w.hi_rows, std::integral_constant<int, kBase + 3>{});
    } else {
        constexpr auto kLane = std::integral_constant<int, kTap % 8>{};
        mac(n.c0, kTap < 8 ? w.lo0 : w.hi0, kLane);
        mac(n.c1, kTap < 8 ? w.lo1 : w.hi1, kLane);
        mac(n.c2, kTap < 8 ? w.lo2 : w.hi2, kLane);
        mac(n.c3, kTap < 8 ? w.lo3 : w.hi3, kLane);
    }
}

// kTaps: the taps with a weight (2 · pairs, or one less when the last pair's second
// weight is the odd tap count's zero). kPlain 1: every row on the fast requantization
// without a clamp or zero point (a ReLU at 0, the usual first layer), 2: the same but
// for the upper clamp (fewer than 8 output bits); 0: the fast one with its clamp and
// zero point, or the 64-bit one, chosen per call.
// Steps of 8 outputs, each line's last one overlapping the one before (width ≥ 8):
// 16-wide steps (16 accumulators) made GCC spill and copy the weight registers around
// the lane-indexed SMLALs (their weight operand must sit in v0-v15), 30 % more
// instructions per output than these. kNarrow: int16 lanes (narrowAccumulates holds).
template <int kPlain, bool kNarrow, int... kTaps>
void directRowsUnrolled(std::integer_sequence<int, kTaps...>, const std::uint8_t* plane, const int* offsets,
                        int pair_count, int width, int height, int in_pitch, uint8x8_t zp,
                        const std::int32_t* w_pairs, const NeonRequant* q, std::uint8_t* out,
                        int out_stride) {
    std::int32_t padded[4][8] = {};
    for (int r = 0; r < 4; ++r)
        for (int p = 0; p < pair_count; ++p)
            padded[r][p] = w_pairs[static_cast<std::ptrdiff_t>(r) * pair_count + p];
    auto at = [&](int r, int half) {
        return vld1q_s16(reinterpret_cast<const std::int16_t*>(padded[r] + 4 * half));
    };
    constexpr bool kHiRows = sizeof...(kTaps) <= 10;
    std::int16_t hi_rows[8] = {};
    for (int r = 0; r < 4; ++r)
        for (int t = 8; t < 10 && t < 2 * pair_count; ++t)
            hi_rows[4 * (t - 8) + r] = static_cast<std::int16_t>(
                static_cast<std::uint32_t>(padded[r][t / 2]) >> (t % 2 == 0 ? 0 : 16));
    const FourRowWeights w{at(0, 0), at(1, 0), at(2, 0), at(3, 0),          at(0, 1),
                           at(1, 1), at(2, 1), at(3, 1), vld1q_s16(hi_rows)};
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
    auto store = [&](const FourRowAccumulators& c, int32x4_t m, int32x4_t s, const NeonRequant& qr,
                     std::uint8_t* d) __attribute__((always_inline)) {
        if (kPlain == 1)
            vst1_u8(d, requantizeFast8<false, false, false>(c.a0, c.a1, m, s, out_zp, lo, hi));
        else if (kPlain == 2)
            vst1_u8(d, requantizeFast8<false, true, false>(c.a0, c.a1, m, s, out_zp, lo, hi));
        else if (all_fast)
            vst1_u8(d, requantizeFast8(c.a0, c.a1, m, s, out_zp, lo, hi));
        else
            storeCodes8(c.a0, c.a1, qr, d, 8);
    };
    for (int y = 0; y < height; ++y) {
        const std::uint8_t* line = plane + static_cast<std::ptrdiff_t>(y) * in_pitch;
        std::uint8_t* dst = out + static_cast<std::ptrdiff_t>(y) * width;
        for (int x = 0; x < width; x += 8) {
            if (x > width - 8) x = width - 8;  // the last step overlaps the one before
            FourRowAccumulators c0{start0, start0}, c1{start1, start1}, c2{start2, start2},
                c3{start3, start3};
            if constexpr (kNarrow) {
                FourRowNarrow n;
                (directTapFourRowsNarrow<kTaps, kHiRows>(n, line + x, offset, zp, w), ...);
                c0 = {vaddw_s16(start0, vget_low_s16(n.c0)), vaddw_high_s16(start0, n.c0)};
                c1 = {vaddw_s16(start1, vget_low_s16(n.c1)), vaddw_high_s16(start1, n.c1)};
                c2 = {vaddw_s16(start2, vget_low_s16(n.c2)), vaddw_high_s16(start2, n.c2)};
                c3 = {vaddw_s16(start3, vget_low_s16(n.c3)), vaddw_high_s16(start3, n.c3)};
            } else {
                (directTapFourRows<kTaps, kHiRows>(c0, c1, c2, c3, line + x, offset, zp, w), ...);
            }
            store(c0, m0, s0, q[0], dst + x);
            store(c1, m1, s1, q[1], dst + x + os);
            store(c2, m2, s2, q[2], dst + x + 2 * os);
            store(c3, m3, s3, q[3], dst + x + 3 * os);
        }
    }
}

}  // namespace

namespace neon {
// Rows in fours through the shared-tap loop where it applies (width ≥ 8, a zp in
// 0..255, up to 8 pairs), the rest one line at a time through directPairs.
void directRows(const std::uint8_t* plane, const int* offsets, int pair_count, int width, int height,
                int in_pitch, std::int32_t zero_point, const std::int32_t* w_pairs, int rows,
                const OutputStage& s, int first_channel, std::uint8_t* out, int out_stride) {
    int r = 0;
    if (width >= 8 && zero_point >= 0 && zero_point <= 255 && pair_count <= 8) {
        const uint8x8_t zp = vdup_n_u8(static_cast<std::uint8_t>(zero_point));
        const std::int64_t bound = pairAccBound(pair_count);
        const bool narrow = narrowAccumulates(s);
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
            const RequantMode mode = requantMode(q, 4);
            const int plain = mode == kRequantFastNoZeroPoint          ? 1
                              : mode == kRequantFastNoZeroPointClampHi ? 2
                                                                       : 0;
            std::uint8_t* dst = out + static_cast<std::ptrdiff_t>(r) * out_stride;
            switch (6 * (2 * pair_count - (last_low_only ? 1 : 0)) + 3 * narrow + plain) {
#define TM2_NEON_DIRECT_ROWS_MODE(T, N, P)                                                                \
    case 6 * T + 3 * N + P:                                                                               \
        directRowsUnrolled<P, N>(std::make_integer_sequence<int, T>{}, plane, offsets, pair_count, width, \
                                 height, in_pitch, zp, w, q, dst, out_stride);                            \
        break;
#define TM2_NEON_DIRECT_ROWS(T)                                                                              \
    TM2_NEON_DIRECT_ROWS_MODE(T, 0, 0)                                                                       \
    TM2_NEON_DIRECT_ROWS_MODE(T, 0, 1) TM2_NEON_DIRECT_ROWS_MODE(T, 0, 2) TM2_NEON_DIRECT_ROWS_MODE(T, 1, 0) \
        TM2_NEON_DIRECT_ROWS_MODE(T, 1, 1) TM2_NEON_DIRECT_ROWS_MODE(T, 1, 2)
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
#undef TM2_NEON_DIRECT_ROWS_MODE
                default:
                    break;
            }
        }
    }
    for (; r < rows; ++r)
        for (int y = 0; y < height; ++y)
            directPairs(
                plane + static_cast<std::ptrdiff_t>(y) * in_pitch, offsets, pair_count, width, zero_point,
                w_pairs + static_cast<std::ptrdiff_t>(r) * pair_count, s, first_channel + r,
                out + static_cast<std::ptrdiff_t>(r) * out_stride + static_cast<std::ptrdiff_t>(y) * width);
}
}  // namespace neon
#endif

}  // namespace tm2::runtime
