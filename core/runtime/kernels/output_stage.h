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
    // When > 0: no channel's Σ (x − in_zp) · w exceeds it in magnitude, for any input the op
    // can see (accumulatorBound() of its weights at load; Interpreter sets it). Lets the
    // NEON loops accumulate in int16 lanes when ≤ 32767. 0: unknown (the kernels assume none).
    std::int32_t acc_bound = 0;
};

}  // namespace tm2::runtime
