#include "core/train/attention_fusion.h"

#include "core/base/error.h"
#include "core/runtime/kernels/softmax_table.h"
#include "core/train/gated_fusion.h"

namespace tm2::train {

namespace {

bool quantizing(const ActivationQuantizer& q) {
    return q && q->mode == ActivationQuantizerImpl::Mode::Quantize && q->hi > q->lo;
}

ActivationGrid calibratedGrid(const ActivationQuantizer& q) {
    if (!quantizing(q))
        throw Error(
            "integer-exact evaluation needs calibrated attention score and feature quantizers "
            "(quantize first)");
    return activationGrid(q->lo, q->hi, q->bits);
}

}  // namespace

torch::Tensor integerSoftmaxCodes(const torch::Tensor& codes, double scale, int levels) {
    const std::vector<std::int32_t> table = runtime::softmaxTable(scale, levels);
    const torch::Tensor top = std::get<0>(codes.max(1, true));
    const torch::Tensor e =
        torch::tensor(std::vector<std::int64_t>(table.begin(), table.end()), torch::kInt64)
            .index({(top - codes).reshape({-1})})
            .reshape(codes.sizes());
    const torch::Tensor sum = e.sum(1, true);
    // runtime::softmaxWeight: floor((510 · e + Σe) / (2 · Σe)), all terms ≥ 0.
    return torch::div(510 * e + sum, 2 * sum, "floor");
}

std::vector<torch::Tensor> attendFeatures(const torch::Tensor& scores,
                                          const std::vector<torch::Tensor>& features,
                                          const ActivationQuantizer& score,
                                          const std::vector<ActivationQuantizer>& feature_quantizers,
                                          bool integer_exact, torch::Tensor* weights) {
    std::vector<torch::Tensor> out;
    if (integer_exact) {
        torch::NoGradGuard no_grad;
        const ActivationGrid gs = calibratedGrid(score);
        const torch::Tensor codes = (torch::round(scores.detach().to(torch::kFloat64) / gs.scale) +
                                     static_cast<double>(gs.zero_point))
                                        .clamp(0, static_cast<double>(gs.levels))
                                        .to(torch::kInt64);
        const torch::Tensor alpha = integerSoftmaxCodes(codes, gs.scale, static_cast<int>(gs.levels));
        if (weights) *weights = alpha.to(torch::kFloat32) * static_cast<float>(runtime::kSoftmaxScale);
        for (std::size_t b = 0; b < features.size(); ++b) {
            const ActivationGrid gh = calibratedGrid(feature_quantizers[b]);
            out.push_back(integerUnitScaled(features[b],
                                            alpha.select(1, static_cast<std::int64_t>(b)).unsqueeze(1), gh));
        }
        return out;
    }
    torch::Tensor alpha = torch::softmax(scores, 1);
    if (quantizing(score)) alpha = straightThrough(alpha, fakeQuantizeActivation(alpha, 0.0, 1.0, 8));
    if (weights) *weights = alpha;
    for (std::size_t b = 0; b < features.size(); ++b) {
        torch::Tensor g = alpha.select(1, static_cast<std::int64_t>(b)).unsqueeze(1) * features[b];
        const ActivationQuantizer& q = feature_quantizers[b];
        if (quantizing(q)) g = straightThrough(g, fakeQuantizeActivation(g, q->lo, q->hi, q->bits));
        out.push_back(g);
    }
    return out;
}

}  // namespace tm2::train
