#pragma once
// Fixed-point requantization: a real multiplier M > 0 as m · 2^-shift with a
// 31-bit m (HAWQ-V3's dyadic numbers, gemmlowp's quantized multiplier), so a
// device needs only integer multiply, add and shift.

#include <cstdint>

namespace tm2::runtime {

struct Dyadic {
    std::int32_t multiplier = 0;  // in [2^30, 2^31) unless the value is 0
    std::int32_t shift = 0;       // total right shift, 1..62
};

// Nearest dyadic to `real` (relative error ≤ 2^-31); 0 and values too small
// for a 62-bit shift become {0, 62}. Throws tm2::Error for negatives, NaN or ≥ 2^30.
Dyadic toDyadic(double real);

// round(value · m · 2^-shift), ties toward +∞, saturated to int32. Needs
// |value| < 2^31 (an int32 accumulator) and shift in 1..62.
inline std::int32_t applyDyadic(std::int64_t value, std::int32_t multiplier, std::int32_t shift) {
    const std::int64_t product = value * multiplier;  // |.| < 2^62: no overflow
    const std::int64_t rounded = (product + (std::int64_t{1} << (shift - 1))) >> shift;
    if (rounded > INT32_MAX) return INT32_MAX;
    if (rounded < INT32_MIN) return INT32_MIN;
    return static_cast<std::int32_t>(rounded);
}

// Accumulator + bias → output code: requantize, add the zero point, clamp to
// [lo, hi] (lo = zero point for a fused ReLU, hi = 2^bits − 1).
inline std::uint8_t requantizeToCode(std::int64_t acc, std::int32_t multiplier, std::int32_t shift,
                                     std::int32_t zero_point, std::int32_t lo, std::int32_t hi) {
    std::int64_t v = std::int64_t{applyDyadic(acc, multiplier, shift)} + zero_point;
    if (v < lo) v = lo;
    if (v > hi) v = hi;
    return static_cast<std::uint8_t>(v);
}

}  // namespace tm2::runtime
