#include "core/runtime/kernels/kernels.h"
#include "core/runtime/kernels/requantize.h"

namespace tm2::runtime {

void addCodes(const FcSegment& a, const FcSegment& b, std::int32_t out_zero_point, std::int32_t hi,
              std::uint8_t* out) {
    for (int i = 0; i < a.length; ++i) {
        const std::int64_t sum = std::int64_t{applyDyadic(a.data[i] - a.zero_point, a.multiplier, a.shift)} +
                                 applyDyadic(b.data[i] - b.zero_point, b.multiplier, b.shift) +
                                 out_zero_point;
        out[i] = static_cast<std::uint8_t>(sum < 0 ? 0 : sum > hi ? hi : sum);
    }
}

}  // namespace tm2::runtime
