#include "core/runtime/kernels/kernels.h"
#include "core/runtime/kernels/requantize.h"

namespace tm2::runtime {

void fullyConnected(const FcSegment* segments, int segment_count, int out_features, const std::int8_t* weights,
                    const OutputStage& s, std::uint8_t* out, std::int32_t* out_int32, const SimdOps& ops) {
    int in_features = 0;
    for (int k = 0; k < segment_count; ++k) in_features += segments[k].length;
    for (int o = 0; o < out_features; ++o) {
        const std::int8_t* row = weights + static_cast<std::ptrdiff_t>(o) * in_features;
        std::int64_t total = 0;
        for (int k = 0; k < segment_count; ++k) {
            const FcSegment& seg = segments[k];
            const std::int32_t acc = ops.dot(seg.data, seg.zero_point, row, seg.length);
            // Later segments of a fused concat have their own scale: bring them to the
            // first's, rounding in the accumulator domain (far finer than an output step).
            total += k == 0 ? acc : applyDyadic(acc, seg.multiplier, seg.shift);
            row += seg.length;
        }
        if (s.bias) total += s.bias[o];
        if (out_int32) {
            out_int32[o] = static_cast<std::int32_t>(total < INT32_MIN ? INT32_MIN : total > INT32_MAX ? INT32_MAX : total);
        } else {
            out[o] = requantizeToCode(total, s.multiplier[o], s.shift[o], s.zero_point, s.lo, s.hi);
        }
    }
}

}  // namespace tm2::runtime
