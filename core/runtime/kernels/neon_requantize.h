#pragma once
// requantizeToCode() on eight int32 accumulators at a time, for the aarch64
// kernels (simd_neon.cpp), bit-exact with the scalar dyadic rounding
// round((acc + bias) · m · 2^-s) (ties up), + zero point, clamped to [lo, hi].
//
// Fast path, for 32 ≤ s ≤ 62, 0 ≤ m, an output zero point in 0..255 and
// accumulators that provably stay in int32 with the bias added (the caller's
// bound): with v = acc + bias and v·m = H·2^31 + L (0 ≤ L < 2^31),
// (v·m + 2^(s−1)) >> s = (H + 2^(t−1)) >> t for t = s − 31 ≥ 1, because H and
// 2^(t−1) are integers and L/2^31 < 1 cannot carry past a multiple of 2^t. H is
// SQDMULH (never saturating for m ≥ 0) and the rest SRSHL by −t (rounding shift
// right, which adds 2^(t−1)). The bias rides in the accumulators' starting value.
//
// Other channels take the 64-bit path: (acc·m, SMLAL) + (bias·m + 2^(s−1)), whose
// 64-bit two's-complement sum wraps like the scalar one and so equals it whenever
// the scalar int64 sum fits; SSHL by −s is its >> s, SQXTN its saturation to int32.
// Include only from aarch64 translation units.

#include <arm_neon.h>

#include <cstdint>
#include <cstring>

#include "core/runtime/kernels/output_stage.h"

// The aarch64 helpers are small and hot: GCC stopped inlining some once the
// translation unit grew, costing a call and reloads per eight outputs.
#define TM2_NEON_INLINE __attribute__((always_inline)) inline

namespace tm2::runtime {
namespace {

struct NeonRequant {
    bool fast;
    // Fast path: whether [lo, hi] is narrower than [0, 255] (a ReLU with a zero point
    // above 0, fewer than 8 output bits); else SQXTUN's saturation is the whole clamp.
    bool clamp;
    bool zero_point_is_zero;  // fast path: the output zero point is 0
    bool lo_is_zero;          // fast path: lo is 0 (only hi may clamp)
    int32x4_t start;          // accumulators' first value: the bias on the fast path, else 0
    // Fast path.
    int32x4_t multiplier, shift;  // m, −(s − 31)
    int16x8_t zero_point;
    uint8x8_t lo, hi;
    // 64-bit path.
    int32x2_t multiplier2;
    int64x2_t constant, shift64;  // bias·m + 2^(s−1), −s
    int32x4_t zero_point4, lo4, hi4;
};

// `max_abs_acc` bounds |accumulator| before the bias: pairAccBound() for pair sums.
// |Σ over pair_count pairs| of (code − zp) · int8 weight: 2 · pair_count · 255 · 128
// (simd_ops.h: pairs hold code − zero point, weight pairs int8 weights).
inline std::int64_t pairAccBound(int pair_count) { return std::int64_t{pair_count} * 2 * 255 * 128; }

// Whether the op's sums Σ (x − zp) · w fit int16 lanes (MUL / MLA: eight products an instruction
// instead of SMLAL's four), by the bound its caller gives (OutputStage::acc_bound: Σ |w| ·
// max |x − zp| per channel, which bounds every partial sum too, so no lane wraps). The int4
// models' layers pass (|w| ≤ 8, narrow activations); int8 ones do not.
inline bool narrowAccumulates(const OutputStage& s) { return s.acc_bound > 0 && s.acc_bound <= 32767; }

inline NeonRequant neonRequant(const OutputStage& s, int ch, std::int64_t max_abs_acc) {
    const std::int64_t m = s.multiplier[ch];
    const std::int32_t shift = s.shift[ch];
    const std::int64_t bias = s.bias ? s.bias[ch] : 0;
    NeonRequant q{};
    q.fast = shift >= 32 && shift <= 62 && m >= 0 && s.zero_point >= 0 && s.zero_point <= 255 && s.lo >= 0 &&
             s.hi <= 255 && max_abs_acc + (bias < 0 ? -bias : bias) < (std::int64_t{1} << 31);
    if (q.fast) {
        q.start = vdupq_n_s32(static_cast<std::int32_t>(bias));
        q.multiplier = vdupq_n_s32(static_cast<std::int32_t>(m));
        q.shift = vdupq_n_s32(31 - shift);
        q.zero_point = vdupq_n_s16(static_cast<std::int16_t>(s.zero_point));
        q.lo = vdup_n_u8(static_cast<std::uint8_t>(s.lo));
        q.hi = vdup_n_u8(static_cast<std::uint8_t>(s.hi));
        q.clamp = s.lo > 0 || s.hi < 255;
        q.zero_point_is_zero = s.zero_point == 0;
        q.lo_is_zero = s.lo == 0;
        return q;
    }
    q.start = vdupq_n_s32(0);
    q.multiplier2 = vdup_n_s32(static_cast<std::int32_t>(m));
    // Unsigned arithmetic: wraps like the vector sums, never undefined.
    q.constant = vdupq_n_s64(
        static_cast<std::int64_t>(static_cast<std::uint64_t>(bias) * static_cast<std::uint64_t>(m) +
                                  (std::uint64_t{1} << ((shift - 1) & 63))));
    q.shift64 = vdupq_n_s64(-static_cast<std::int64_t>(shift));
    q.zero_point4 = vdupq_n_s32(s.zero_point);
    q.lo4 = vdupq_n_s32(s.lo);
    q.hi4 = vdupq_n_s32(s.hi);
    return q;
}

TM2_NEON_INLINE int32x4_t requantizeWide4(int32x4_t acc, const NeonRequant& q) {
    int64x2_t low = vmlal_s32(q.constant, vget_low_s32(acc), q.multiplier2);
    int64x2_t high = vmlal_high_s32(q.constant, acc, vcombine_s32(q.multiplier2, q.multiplier2));
    low = vshlq_s64(low, q.shift64);
    high = vshlq_s64(high, q.shift64);
    const int32x4_t value = vqaddq_s32(vcombine_s32(vqmovn_s64(low), vqmovn_s64(high)), q.zero_point4);
    return vminq_s32(vmaxq_s32(value, q.lo4), q.hi4);
}

// The fast path on its own, with its constants as values (kernels that keep them
// in registers pass them here instead of a NeonRequant in memory). kClampLo false
// (lo 0) leaves out the UMAX, kClampHi false (hi 255) the UMIN, kAddZeroPoint false
// (a zero point of 0) the SQADD: steps that could not change a code.
template <bool kClampLo = true, bool kClampHi = true, bool kAddZeroPoint = true>
TM2_NEON_INLINE uint8x8_t requantizeFast8(int32x4_t acc0, int32x4_t acc1, int32x4_t multiplier,
                                          int32x4_t shift, int16x8_t zero_point, uint8x8_t lo, uint8x8_t hi) {
    const int32x4_t r0 = vrshlq_s32(vqdmulhq_s32(acc0, multiplier), shift);
    const int32x4_t r1 = vrshlq_s32(vqdmulhq_s32(acc1, multiplier), shift);
    // Saturating steps: a value pushed to a bound lies outside [0, 255] either way.
    int16x8_t words = vcombine_s16(vqmovn_s32(r0), vqmovn_s32(r1));
    if (kAddZeroPoint) words = vqaddq_s16(words, zero_point);
    uint8x8_t codes = vqmovun_s16(words);
    if (kClampLo) codes = vmax_u8(codes, lo);
    if (kClampHi) codes = vmin_u8(codes, hi);
    return codes;
}

// requantizeFast8 for 16 codes at once, a0/a1 (multiplier ma, shift sa) into the low 8 and
// b0/b1 (mb, sb) into the high 8 (SQXTUN2), so the clamps take one UMAX / UMIN for the 16.
template <bool kClampLo, bool kClampHi, bool kAddZeroPoint>
TM2_NEON_INLINE uint8x16_t requantizeFast16(int32x4_t a0, int32x4_t a1, int32x4_t ma, int32x4_t sa,
                                            int32x4_t b0, int32x4_t b1, int32x4_t mb, int32x4_t sb,
                                            int16x8_t zero_point, uint8x16_t lo, uint8x16_t hi) {
    int16x8_t a = vcombine_s16(vqmovn_s32(vrshlq_s32(vqdmulhq_s32(a0, ma), sa)),
                               vqmovn_s32(vrshlq_s32(vqdmulhq_s32(a1, ma), sa)));
    int16x8_t b = vcombine_s16(vqmovn_s32(vrshlq_s32(vqdmulhq_s32(b0, mb), sb)),
                               vqmovn_s32(vrshlq_s32(vqdmulhq_s32(b1, mb), sb)));
    if (kAddZeroPoint) {
        a = vqaddq_s16(a, zero_point);
        b = vqaddq_s16(b, zero_point);
    }
    uint8x16_t codes = vqmovun_high_s16(vqmovun_s16(a), b);
    if (kClampLo) codes = vmaxq_u8(codes, lo);
    if (kClampHi) codes = vminq_u8(codes, hi);
    return codes;
}

// How a kernel requantizes, fixed per call so the choice is made once, not per step:
// the 64-bit path; the fast path with the [lo, hi] clamp, without it (lo 0, hi 255);
// for a zero point and lo of 0 (a ReLU's output) with no clamp (hi 255) or only the
// upper one (fewer than 8 output bits).
enum RequantMode : int {
    kRequantWide = 0,
    kRequantFastClamp = 1,
    kRequantFast = 2,
    kRequantFastNoZeroPoint = 3,
    kRequantFastNoZeroPointClampHi = 4
};

inline RequantMode requantMode(const NeonRequant* q, int count) {
    bool fast = true, clamp = false;
    for (int i = 0; i < count; ++i) {
        fast = fast && q[i].fast;
        clamp = clamp || q[i].clamp;
    }
    if (!fast) return kRequantWide;
    // One zero point and one [lo, hi] per output stage: q[0] speaks for every row.
    if (q[0].zero_point_is_zero && q[0].lo_is_zero)
        return clamp ? kRequantFastNoZeroPointClampHi : kRequantFastNoZeroPoint;
    return clamp ? kRequantFastClamp : kRequantFast;
}

// The first `count` (≤ 8) codes at dst: 4, 2 and 1 bytes from the low lanes, shifted
// down after each (a byte loop compiled to a memcpy call per row).
TM2_NEON_INLINE void storeCodes(uint8x8_t codes, std::uint8_t* dst, int count) {
    if (count == 8) {
        vst1_u8(dst, codes);
        return;
    }
    if (count & 4) {
        const std::uint32_t four = vget_lane_u32(vreinterpret_u32_u8(codes), 0);
        std::memcpy(dst, &four, 4);
        codes = vext_u8(codes, codes, 4);
        dst += 4;
    }
    if (count & 2) {
        const std::uint16_t two = vget_lane_u16(vreinterpret_u16_u8(codes), 0);
        std::memcpy(dst, &two, 2);
        codes = vext_u8(codes, codes, 2);
        dst += 2;
    }
    if (count & 1) vst1_lane_u8(dst, codes, 0);
}

// Eight accumulators (columns 0-3, 4-7; started at q.start) → eight codes.
TM2_NEON_INLINE uint8x8_t requantize8(int32x4_t acc0, int32x4_t acc1, const NeonRequant& q) {
    if (q.fast && !q.clamp)
        return requantizeFast8<false, false>(acc0, acc1, q.multiplier, q.shift, q.zero_point, q.lo, q.hi);
    if (q.fast) return requantizeFast8(acc0, acc1, q.multiplier, q.shift, q.zero_point, q.lo, q.hi);
    const int16x8_t words =
        vcombine_s16(vmovn_s32(requantizeWide4(acc0, q)), vmovn_s32(requantizeWide4(acc1, q)));
    return vmovn_u16(vreinterpretq_u16_s16(words));
}

// The first `count` (≤ 8) codes of eight accumulators at dst.
TM2_NEON_INLINE void storeCodes8(int32x4_t acc0, int32x4_t acc1, const NeonRequant& q, std::uint8_t* dst,
                                 int count) {
    storeCodes(requantize8(acc0, acc1, q), dst, count);
}

}  // namespace
}  // namespace tm2::runtime
