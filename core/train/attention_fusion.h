#pragma once
// Attention fusion's weighting: one score per branch from every branch's features,
//   s = W·[h_1;…;h_B] + c  (the score fc "fusion.attention.score", ΣD → B),
//   α = softmax(s) per sample,  the head reads [α_1·h_1; …; α_B·h_B].
// Chosen so the integer runtime computes it exactly: α is the runtime's Softmax on
// the score codes (runtime/kernels/softmax_table.h: an exp table per code distance,
// 8-bit weights on [0, 1], scale 1/255), and each product is requantized back onto
// h_b's own grid (runtime Mul, broadcast form, dyadic 1/255) as gated fusion does.
// Since 0 ≤ α_b ≤ 1, α_b·h_b stays in h_b's range: no new range is calibrated.

#include <torch/torch.h>

#include <vector>

#include "core/train/fake_quant.h"

namespace tm2::train {

// `scores`: N × B, the score fc's output (after its quantizer `score`); `features[b]`:
// N × D_b with quantizer `feature_quantizers[b]` (null: float). Float while the
// quantizers are off; fake-quantized while they quantize (α rounded to 1/255, each
// product to h_b's grid, straight-through gradients); with `integer_exact` the runtime's
// codes dequantized (throws tm2::Error if a quantizer is not calibrated).
// `weights` (optional) receives α (N × B).
std::vector<torch::Tensor> attendFeatures(const torch::Tensor& scores,
                                          const std::vector<torch::Tensor>& features,
                                          const ActivationQuantizer& score,
                                          const std::vector<ActivationQuantizer>& feature_quantizers,
                                          bool integer_exact, torch::Tensor* weights = nullptr);

// The runtime's Softmax on score codes (N × B, int64): weights as int64 codes 0..255.
torch::Tensor integerSoftmaxCodes(const torch::Tensor& codes, double scale, int levels);

}  // namespace tm2::train
