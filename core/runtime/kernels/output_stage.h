#pragma once
// Per-output-channel requantization and the output code range, shared by the
// kernels (kernels.h) and the inner loops that fuse requantization (simd_ops.h).

#include <cstdint>

namespace tm2::runtime {

struct OutputStage {
    const std::int32_t* bias = nullptr;  // may be null (no bias)
    const std::int32_t* multiplier = nullptr;
    const std::int32_t* shift = nullptr;
    std::int32_t zero_point = 0;
    std::int32_t lo = 0, hi = 255;  // lo = zero_point for a fused ReLU
};

}  // namespace tm2::runtime
