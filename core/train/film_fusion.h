#pragma once
// FiLM fusion's elementwise part: the first branch's features h_1 condition each
// other branch b by a feature-wise affine map (Perez et al., FiLM, 2018):
//   f_b = γ_b ⊙ h_b + β_b,  γ_b = W_γ·h_1 + c_γ ("fusion.film.<m>.scale"),
//                            β_b = W_β·h_1 + c_β ("fusion.film.<m>.shift").
// In integers (runtime Mul then Add): the product γ ⊙ h is requantized onto its
// own calibrated grid p, then p and β are each brought to the output's grid f by
// a dyadic factor and summed. Both grids are ordinary activation quantizers
// (the network's fusionQuantizers()), calibrated with the others.

#include <torch/torch.h>

#include "core/train/fake_quant.h"

namespace tm2::train {

struct FilmQuantizers {
    ActivationQuantizer scale, shift;  // γ's and β's (the fcs' output quantizers)
    ActivationQuantizer features;      // h_b's (may be null: float)
    ActivationQuantizer product;       // γ ⊙ h
    ActivationQuantizer output;        // γ ⊙ h + β: the head reads f_b on this grid
};

// Float / fake-quantized / observing as the quantizers' modes say; with
// `integer_exact` the runtime's codes dequantized (throws tm2::Error when a
// quantizer is not calibrated).
torch::Tensor filmFeatures(const torch::Tensor& gamma, const torch::Tensor& beta, const torch::Tensor& h,
                           const FilmQuantizers& q, bool integer_exact);

}  // namespace tm2::train
