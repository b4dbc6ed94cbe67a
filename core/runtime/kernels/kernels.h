#pragma once
// Integer reference kernels, one file per operator (TFLite Micro's layout).
// Tensors are CHW, activations unsigned codes with a zero point; weights int8
// (int4 weights are unpacked to int8 at load). Every kernel accumulates
// Σ w · (x − zp_in) in int32, adds the int32 bias, requantizes per output
// channel with a dyadic multiplier and clamps to the output's code range.
// `ops` picks the inner loops (portable / AVX2 / NEON); the result is the same.

#include <cstdint>

#include "core/runtime/kernels/simd_ops.h"

namespace tm2::runtime {

struct ConvGeometry {
    int in_c = 1, in_h = 1, in_w = 1;
    int out_c = 1, out_h = 1, out_w = 1;
    int kernel_h = 1, kernel_w = 1, stride = 1, padding = 0;
};

// Per-output-channel requantization and the output code range.
struct OutputStage {
    const std::int32_t* bias = nullptr;  // may be null (no bias)
    const std::int32_t* multiplier = nullptr;
    const std::int32_t* shift = nullptr;
    std::int32_t zero_point = 0;
    std::int32_t lo = 0, hi = 255;  // lo = zero_point for a fused ReLU
};

// Output spatial size of a conv / pool; 0 when the window does not fit.
int convOutputSize(int in, int kernel, int stride, int padding);

// `scratch` holds out_h · out_w int32 accumulators.
void conv2d(const ConvGeometry& g, const std::uint8_t* in, std::int32_t in_zero_point, const std::int8_t* weights,
            const OutputStage& out_stage, std::uint8_t* out, std::int32_t* scratch, const SimdOps& ops);
// in_c == out_c, weights out_c × kh × kw.
void depthwiseConv2d(const ConvGeometry& g, const std::uint8_t* in, std::int32_t in_zero_point,
                     const std::int8_t* weights, const OutputStage& out_stage, std::uint8_t* out,
                     std::int32_t* scratch, const SimdOps& ops);
// 1×1, stride 1, no padding; weights out_c × in_c.
void pointwiseConv2d(const ConvGeometry& g, const std::uint8_t* in, std::int32_t in_zero_point,
                     const std::int8_t* weights, const OutputStage& out_stage, std::uint8_t* out,
                     std::int32_t* scratch, const SimdOps& ops);

// One input segment of a fully connected layer (a fused concat): its codes, zero
// point, length, and the dyadic factor taking its accumulator to the first segment's scale.
struct FcSegment {
    const std::uint8_t* data = nullptr;
    std::int32_t zero_point = 0;
    int length = 0;
    std::int32_t multiplier = 1 << 30, shift = 30;
};
// weights out × Σ lengths (row-major). Writes codes to `out` or, when `out_int32`
// is given, the raw accumulator + bias (logits) there instead.
void fullyConnected(const FcSegment* segments, int segment_count, int out_features, const std::int8_t* weights,
                    const OutputStage& out_stage, std::uint8_t* out, std::int32_t* out_int32, const SimdOps& ops);

// Padding cells never win (as PyTorch pads max-pooling with −∞).
void maxPool2d(const ConvGeometry& g, const std::uint8_t* in, std::uint8_t* out);

// Requantizes `count` codes to another scale: q' = round((q − zp_in) · m · 2^-shift) + zp_out, clamped.
void requantizeCodes(const std::uint8_t* in, int count, std::int32_t in_zero_point, std::int32_t multiplier,
                     std::int32_t shift, std::int32_t out_zero_point, std::int32_t hi, std::uint8_t* out);

}  // namespace tm2::runtime
