#pragma once
// Integer-exact evaluation of a fake-quantized layer (HAWQ-V3's "integer-only"
// simulation): the layer's input becomes its unsigned codes, weights and bias
// their integer codes, the accumulation is exact (float64 holds every int32
// sum), and the output is requantized with the same dyadic multiplier, shift,
// rounding and clamping the integer runtime uses. The result is the very codes
// the runtime computes, dequantized; float fake quantization instead rounds
// the float product, which differs from the dyadic rounding on near-ties.
//
// Only for inference (no gradient); the layer's input and output quantizers
// must be calibrated and quantizing.

#include <torch/torch.h>

#include "core/train/fake_quant.h"

namespace tm2::train {

// Conv2d (standard, depthwise or pointwise) on `x`, the dequantized codes of
// its input quantizer. Returns the output codes dequantized at the output
// quantizer's scale; values below the zero point are kept (a ReLU module follows).
torch::Tensor integerConv2d(QuantConv2dImpl& layer, const torch::Tensor& x);

// Linear on `x` (N × features). Segments of a fused concat are each
// accumulated on their own grid and rescaled to the first's as the runtime
// does. Without an output quantizer the result is the logits: the int32
// accumulator times s_in · s_w,c in float32.
torch::Tensor integerLinear(QuantLinearImpl& layer, const torch::Tensor& x);

}  // namespace tm2::train
