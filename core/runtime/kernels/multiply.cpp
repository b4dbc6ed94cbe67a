#include "core/runtime/kernels/kernels.h"
#include "core/runtime/kernels/requantize.h"

namespace tm2::runtime {

// |(a − zp_a) · (b − zp_b)| ≤ 255 · 255, far inside the int32 applyDyadic needs.
void multiplyCodes(const std::uint8_t* a, std::int32_t a_zero_point, const std::uint8_t* b,
                   std::int32_t b_zero_point, int count, std::int32_t multiplier, std::int32_t shift,
                   std::int32_t out_zero_point, std::int32_t hi, std::uint8_t* out) {
    for (int i = 0; i < count; ++i) {
        const std::int64_t product = std::int64_t{a[i] - a_zero_point} * (b[i] - b_zero_point);
        out[i] = requantizeToCode(product, multiplier, shift, out_zero_point, 0, hi);
    }
}

void multiplyByCode(const std::uint8_t* a, std::int32_t a_zero_point, std::uint8_t b,
                    std::int32_t b_zero_point, int count, std::int32_t multiplier, std::int32_t shift,
                    std::int32_t out_zero_point, std::int32_t hi, std::uint8_t* out) {
    const std::int64_t factor = std::int64_t{b} - b_zero_point;
    for (int i = 0; i < count; ++i)
        out[i] = requantizeToCode((a[i] - a_zero_point) * factor, multiplier, shift, out_zero_point, 0, hi);
}

}  // namespace tm2::runtime
