#pragma once
// Gated fusion's elementwise part (GMU-style, one gate per feature):
//   g_b = σ(u_b) ⊙ h_b,  u_b = W_b·[h_1;…;h_B] + c_b (the gate fc "fusion.gate.<modality>").
// Chosen so the integer runtime computes it exactly: σ is a table on u_b's codes with
// 8-bit output codes on [0, 1] (scale 1/255; runtime Lookup), and the product is
// requantized back onto h_b's own grid (runtime Mul, dyadic 1/255). Since 0 ≤ σ ≤ 1,
// g_b stays in h_b's range, so no new activation range is calibrated and the head
// reads the gated features as it reads a concat: one segment per branch.

#include <torch/torch.h>

#include "core/train/fake_quant.h"

namespace tm2::train {

// `u`: the gate fc's output (after its quantizer); `h`: the branch's features; `gate` and
// `features`: their quantizers (may be null for float layers). Float while the quantizers
// are off, fake-quantized (straight-through) while they quantize, and with `integer_exact`
// the runtime's codes dequantized (throws tm2::Error if a quantizer is not calibrated).
torch::Tensor gateFeatures(const torch::Tensor& u, const torch::Tensor& h, const ActivationQuantizer& gate,
                           const ActivationQuantizer& features, bool integer_exact);

// The runtime's Mul by a weight on the grid 1/255 (gated and attention fusion): h (on
// grid `gh`) times z (int64 codes 0..255, broadcastable to h), requantized back onto
// gh by the dyadic 1/255 (ties toward +∞), dequantized.
torch::Tensor integerUnitScaled(const torch::Tensor& h, const torch::Tensor& z, const ActivationGrid& gh);

}  // namespace tm2::train
