// The aarch64 pair GEMM (pointwise and general convolutions): see simd_neon.cpp
// for the design and neon_loops.h for the contract.
#include "core/runtime/kernels/neon_loops.h"

#if defined(__aarch64__)
#include <arm_neon.h>

#include <algorithm>
#include <type_traits>
#include <utility>

#include "core/runtime/kernels/neon_gemm16.h"
#include "core/runtime/kernels/neon_requantize.h"
#include "core/runtime/kernels/requantize.h"
#endif

namespace tm2::runtime {

#if defined(__aarch64__)
namespace {
// The GEMM: four output channels × 16 columns per block through the assembly loop
// of neon_gemm16.h (which GCC could not allocate), then × 8 columns per step in
// intrinsics for the last ≤ 8 columns (and for single rows). LD2 splits 8 pair-columns
// into their first (x0) and second (x1) halves, so each half is multiplied by its
// own weight taken from a register lane (SMLAL/SMLAL2 by element) and both halves
// land in the same accumulator. A row's weight register holds four consecutive
// weight pairs, loaded once per four k. The 8-column step's 8 accumulators, 2 column
// vectors and 4 weight vectors are few enough registers that GCC neither spills nor
// shuffles (named accumulators, since an array stayed in memory).
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

// One k pair of a 4 × 16 block's row outside the assembly loop (a K tail): columns
// 0-7 (h0) and 8-15 (h1) times the pair's weights in lanes 0 and 1 of v (the second
// half left out when kLowOnly).
template <bool kLowOnly>
TM2_NEON_INLINE void macPair16(int32x4_t& c0, int32x4_t& c1, int32x4_t& c2, int32x4_t& c3,
                               const int16x8x2_t& h0, const int16x8x2_t& h1, int16x8_t v) {
    c0 = vmlal_laneq_s16(c0, vget_low_s16(h0.val[0]), v, 0);
    c1 = vmlal_high_laneq_s16(c1, h0.val[0], v, 0);
    c2 = vmlal_laneq_s16(c2, vget_low_s16(h1.val[0]), v, 0);
    c3 = vmlal_high_laneq_s16(c3, h1.val[0], v, 0);
    if (kLowOnly) return;
    c0 = vmlal_laneq_s16(c0, vget_low_s16(h0.val[1]), v, 1);
    c1 = vmlal_high_laneq_s16(c1, h0.val[1], v, 1);
    c2 = vmlal_laneq_s16(c2, vget_low_s16(h1.val[1]), v, 1);
    c3 = vmlal_high_laneq_s16(c3, h1.val[1], v, 1);
}

// The first `count` (≤ 16) codes at dst.
TM2_NEON_INLINE void storeCodes16(uint8x16_t codes, std::uint8_t* dst, int count) {
    if (count == 16) {
        vst1q_u8(dst, codes);
        return;
    }
    storeCodes(vget_low_u8(codes), dst, count < 8 ? count : 8);
    if (count > 8) storeCodes(vget_high_u8(codes), dst + 8, count - 8);
}

// kRows (4 or 1) consecutive rows of w (row pitch pair_count) into as many output
// rows (pitch out_stride): one weight and one output pointer, since GCC spilled
// and shuffled registers when each row had its own.
// kMode (RequantMode): the requantization every row of the call takes. Not inlined:
// each instantiation gets its own register allocation (inlined into one function,
// GCC kept the accumulators and output pointers on the stack).
template <int kRows, bool kLastLowOnly, int kMode, bool kNarrow = false>
__attribute__((noinline)) void gemmRowsNeon(const std::int32_t* pairs, int pair_count, int n, int ld,
                                            const std::int32_t* w, const NeonRequant* q, std::uint8_t* out,
                                            int out_stride) {
    static_assert(kRows == 1 || kRows == 4, "four rows, or one");
    const std::ptrdiff_t stride = ld, wp = pair_count, os = out_stride;
    const int full = kLastLowOnly ? pair_count - 1 : pair_count;  // pairs with both halves
    // The fast requantization's constants as locals: stores through `out` (uint8_t,
    // which may alias anything) would otherwise make GCC reload them from q per row.
    const int32x4_t m0 = q[0].multiplier, s0 = q[0].shift;
    const int32x4_t m1 = q[kRows - 1 < 1 ? 0 : 1].multiplier, s1 = q[kRows - 1 < 1 ? 0 : 1].shift;
    const int32x4_t m2 = q[kRows - 1 < 2 ? 0 : 2].multiplier, s2 = q[kRows - 1 < 2 ? 0 : 2].shift;
    const int32x4_t m3 = q[kRows - 1].multiplier, s3 = q[kRows - 1].shift;
    const int16x8_t zp = q[0].zero_point;  // the output stage's: the same for every row
    const uint8x8_t lo = q[0].lo, hi = q[0].hi;
    int first8 = 0;  // where the 8-column blocks start
    if constexpr (kRows == 4) {
        // 16 columns a block (gemm16Quads) while more than 8 of them are wanted: the
        // pairs matrix's rows run to ld, a multiple of 16, so a block may read past n.
        for (; first8 + 8 < n; first8 += 16) {
            const int j = first8;
            const int32x4_t t0 = q[0].start, t1 = q[1].start, t2 = q[2].start, t3 = q[3].start;
            const int quads = full / 4;
            const std::int32_t* col = pairs + j;
            Accumulators4x16 a{t0, t0, t0, t0, t1, t1, t1, t1, t2, t2, t2, t2, t3, t3, t3, t3};
            if (quads > 0) {
                constexpr auto kBytes = static_cast<std::ptrdiff_t>(sizeof(std::int32_t));
                if constexpr (kNarrow) {
                    // int16 sums (narrowAccumulates) widened onto the bias; a K tail adds in int32.
                    const Narrow4x16 m = gemm16QuadsNarrow(col, stride * kBytes, w, wp * kBytes, quads);
                    a = {vaddw_s16(t0, vget_low_s16(m.n00)), vaddw_high_s16(t0, m.n00),
                         vaddw_s16(t0, vget_low_s16(m.n01)), vaddw_high_s16(t0, m.n01),
                         vaddw_s16(t1, vget_low_s16(m.n10)), vaddw_high_s16(t1, m.n10),
                         vaddw_s16(t1, vget_low_s16(m.n11)), vaddw_high_s16(t1, m.n11),
                         vaddw_s16(t2, vget_low_s16(m.n20)), vaddw_high_s16(t2, m.n20),
                         vaddw_s16(t2, vget_low_s16(m.n21)), vaddw_high_s16(t2, m.n21),
                         vaddw_s16(t3, vget_low_s16(m.n30)), vaddw_high_s16(t3, m.n30),
                         vaddw_s16(t3, vget_low_s16(m.n31)), vaddw_high_s16(t3, m.n31)};
                } else {
                    a = gemm16Quads(t0, t1, t2, t3, col, stride * kBytes, w, wp * kBytes, quads);
                }
                col += 4 * quads * stride;
            }
            for (int k = 4 * quads; k < pair_count; ++k, col += stride) {
                const int16x8x2_t h0 = loadHalves(col), h1 = loadHalves(col + 8);
                const int16x8_t v0 = loadOnePair(w + k), v1 = loadOnePair(w + wp + k);
                const int16x8_t v2 = loadOnePair(w + 2 * wp + k), v3 = loadOnePair(w + 3 * wp + k);
                if (kLastLowOnly && k == full) {
                    macPair16<true>(a.a00, a.a01, a.a02, a.a03, h0, h1, v0);
                    macPair16<true>(a.a10, a.a11, a.a12, a.a13, h0, h1, v1);
                    macPair16<true>(a.a20, a.a21, a.a22, a.a23, h0, h1, v2);
                    macPair16<true>(a.a30, a.a31, a.a32, a.a33, h0, h1, v3);
                } else {
                    macPair16<false>(a.a00, a.a01, a.a02, a.a03, h0, h1, v0);
                    macPair16<false>(a.a10, a.a11, a.a12, a.a13, h0, h1, v1);
                    macPair16<false>(a.a20, a.a21, a.a22, a.a23, h0, h1, v2);
                    macPair16<false>(a.a30, a.a31, a.a32, a.a33, h0, h1, v3);
                }
            }
            const int count = n - j < 16 ? n - j : 16;
            std::uint8_t* dst = out + j;
            if constexpr (kMode != kRequantWide) {
                constexpr bool kLo = kMode == kRequantFastClamp;
                constexpr bool kHi = kMode == kRequantFastClamp || kMode == kRequantFastNoZeroPointClampHi;
                constexpr bool kZp = kMode == kRequantFastClamp || kMode == kRequantFast;
                // 16 codes a row, clamped once for the 16.
                const uint8x16_t lo16 = vcombine_u8(lo, lo), hi16 = vcombine_u8(hi, hi);
                auto codes = [&](int32x4_t c0, int32x4_t c1, int32x4_t c2, int32x4_t c3, int32x4_t m,
                                 int32x4_t sh) {
                    return requantizeFast16<kLo, kHi, kZp>(c0, c1, m, sh, c2, c3, m, sh, zp, lo16, hi16);
                };
                storeCodes16(codes(a.a00, a.a01, a.a02, a.a03, m0, s0), dst, count);
                storeCodes16(codes(a.a10, a.a11, a.a12, a.a13, m1, s1), dst + os, count);
                storeCodes16(codes(a.a20, a.a21, a.a22, a.a23, m2, s2), dst + 2 * os, count);
                storeCodes16(codes(a.a30, a.a31, a.a32, a.a33, m3, s3), dst + 3 * os, count);
            } else {
                auto store = [&](int32x4_t c0, int32x4_t c1, int32x4_t c2, int32x4_t c3,
                                 const NeonRequant& qr, std::uint8_t* d) {
                    storeCodes8(c0, c1, qr, d, count < 8 ? count : 8);
                    if (count > 8) storeCodes8(c2, c3, qr, d + 8, count - 8);
                };
                store(a.a00, a.a01, a.a02, a.a03, q[0], dst);
                store(a.a10, a.a11, a.a12, a.a13, q[1], dst + os);
                store(a.a20, a.a21, a.a22, a.a23, q[2], dst + 2 * os);
                store(a.a30, a.a31, a.a32, a.a33, q[3], dst + 3 * os);
            }
        }
    }
    for (int j = first8; j < n; j += 8) {
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
        if (kMode != kRequantWide) {
            constexpr bool kLo = kMode == kRequantFastClamp;
            constexpr bool kHi = kMode == kRequantFastClamp || kMode == kRequantFastNoZeroPointClampHi;
            constexpr bool kZp = kMode == kRequantFastClamp || kMode == kRequantFast;
            storeCodes(requantizeFast8<kLo, kHi, kZp>(r0.a0, r0.a1, m0, s0, zp, lo, hi), dst, count);
            if (kRows == 4) {
                storeCodes(requantizeFast8<kLo, kHi, kZp>(r1.a0, r1.a1, m1, s1, zp, lo, hi), dst + os, count);
                storeCodes(requantizeFast8<kLo, kHi, kZp>(r2.a0, r2.a1, m2, s2, zp, lo, hi), dst + 2 * os,
                           count);
                storeCodes(requantizeFast8<kLo, kHi, kZp>(r3.a0, r3.a1, m3, s3, zp, lo, hi), dst + 3 * os,
                           count);
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

// kNarrow: the op's sums fit int16 lanes (narrowAccumulates), chosen once per call.
template <int kRows, bool kNarrow>
void gemmRowsDispatch(const std::int32_t* pairs, int pair_count, int n, int ld, const std::int32_t* w,
                      const NeonRequant* q, std::uint8_t* out, int out_stride) {
    // An odd K leaves every row's last pair with a zero second weight (packWeightPairs).
    bool last_low_only = true;
    for (int r = 0; r < kRows; ++r)
        last_low_only =
            last_low_only &&
            (static_cast<std::uint32_t>(w[static_cast<std::ptrdiff_t>(r) * pair_count + pair_count - 1]) >>
             16) == 0;
    const RequantMode mode = requantMode(q, kRows);
    if constexpr (kRows == 4 && kNarrow) {
        // Only the 4 × 16 blocks' quads run narrow: the requantization modes the int4 models take.
        if (pair_count >= 4 && (mode == kRequantFastNoZeroPoint || mode == kRequantFastNoZeroPointClampHi)) {
            if (mode == kRequantFastNoZeroPoint)
                return last_low_only ? gemmRowsNeon<4, true, kRequantFastNoZeroPoint, true>(
                                           pairs, pair_count, n, ld, w, q, out, out_stride)
                                     : gemmRowsNeon<4, false, kRequantFastNoZeroPoint, true>(
                                           pairs, pair_count, n, ld, w, q, out, out_stride);
            return last_low_only ? gemmRowsNeon<4, true, kRequantFastNoZeroPointClampHi, true>(
                                       pairs, pair_count, n, ld, w, q, out, out_stride)
                                 : gemmRowsNeon<4, false, kRequantFastNoZeroPointClampHi, true>(
                                       pairs, pair_count, n, ld, w, q, out, out_stride);
        }
    }
    switch (mode + (last_low_only ? 5 : 0)) {
#define TM2_NEON_GEMM_ROWS(LOW, MODE) \
    case MODE + (LOW ? 5 : 0):        \
        return gemmRowsNeon<kRows, LOW, MODE>(pairs, pair_count, n, ld, w, q, out, out_stride);
        TM2_NEON_GEMM_ROWS(false, kRequantWide)
        TM2_NEON_GEMM_ROWS(false, kRequantFastClamp)
        TM2_NEON_GEMM_ROWS(false, kRequantFast)
        TM2_NEON_GEMM_ROWS(false, kRequantFastNoZeroPoint)
        TM2_NEON_GEMM_ROWS(false, kRequantFastNoZeroPointClampHi)
        TM2_NEON_GEMM_ROWS(true, kRequantWide)
        TM2_NEON_GEMM_ROWS(true, kRequantFastClamp)
        TM2_NEON_GEMM_ROWS(true, kRequantFast)
        TM2_NEON_GEMM_ROWS(true, kRequantFastNoZeroPoint)
        TM2_NEON_GEMM_ROWS(true, kRequantFastNoZeroPointClampHi)
#undef TM2_NEON_GEMM_ROWS
        default:
            return;
    }
}

template <bool kNarrow>
void gemmPairsRows(const std::int32_t* pairs, int pair_count, int n, int ld, const std::int32_t* w_pairs,
                   int rows, const OutputStage& s, int first_channel, std::uint8_t* out, int out_stride) {
    const std::int64_t bound = pairAccBound(pair_count);
    int r = 0;
    for (; r + 4 <= rows; r += 4) {
        const NeonRequant q[4] = {
            neonRequant(s, first_channel + r, bound), neonRequant(s, first_channel + r + 1, bound),
            neonRequant(s, first_channel + r + 2, bound), neonRequant(s, first_channel + r + 3, bound)};
        gemmRowsDispatch<4, kNarrow>(pairs, pair_count, n, ld,
                                     w_pairs + static_cast<std::ptrdiff_t>(r) * pair_count, q,
                                     out + static_cast<std::ptrdiff_t>(r) * out_stride, out_stride);
    }
    for (; r < rows; ++r) {
        const NeonRequant q = neonRequant(s, first_channel + r, bound);
        gemmRowsDispatch<1, false>(pairs, pair_count, n, ld,
                                   w_pairs + static_cast<std::ptrdiff_t>(r) * pair_count, &q,
                                   out + static_cast<std::ptrdiff_t>(r) * out_stride, out_stride);
    }
}

}  // namespace

namespace neon {

// Rows in fours, the rest one at a time; the int16 choice made once per call.
void gemmPairs(const std::int32_t* pairs, int pair_count, int n, int ld, const std::int32_t* w_pairs,
               int rows, const OutputStage& s, int first_channel, std::uint8_t* out, int out_stride) {
    if (narrowAccumulates(s))
        gemmPairsRows<true>(pairs, pair_count, n, ld, w_pairs, rows, s, first_channel, out, out_stride);
    else
        gemmPairsRows<false>(pairs, pair_count, n, ld, w_pairs, rows, s, first_channel, out, out_stride);
}
}  // namespace neon
#endif

}  // namespace tm2::runtime
