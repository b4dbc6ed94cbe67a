#include "core/runtime/kernels/kernels.h"
#include "core/runtime/kernels/requantize.h"

namespace tm2::runtime {

// Concat itself is a copy; this is the per-input part: each input moves to the
// output's scale and zero point (identity when they already match).
void requantizeCodes(const std::uint8_t* in, int count, std::int32_t in_zero_point, std::int32_t multiplier,
                     std::int32_t shift, std::int32_t out_zero_point, std::int32_t hi, std::uint8_t* out) {
    for (int i = 0; i < count; ++i)
        out[i] = requantizeToCode(static_cast<std::int32_t>(in[i]) - in_zero_point, multiplier, shift, out_zero_point,
                                  0, hi);
}

}  // namespace tm2::runtime
