#include "core/train/gated_fusion.h"

#include "core/base/error.h"
#include "core/runtime/kernels/requantize.h"
#include "core/runtime/kernels/sigmoid_table.h"

namespace tm2::train {

namespace {

bool quantizing(const ActivationQuantizer& q) {
    return q && q->mode == ActivationQuantizerImpl::Mode::Quantize && q->hi > q->lo;
}

// The runtime's Lookup then Mul, on codes (int64), dequantized onto h's grid.
torch::Tensor integerGate(const torch::Tensor& u, const torch::Tensor& h, const ActivationQuantizer& gate,
                          const ActivationQuantizer& features) {
    if (!quantizing(gate) || !quantizing(features))
        throw Error("integer-exact evaluation needs calibrated gate and feature quantizers (quantize first)");
    torch::NoGradGuard no_grad;
    const ActivationGrid gu = activationGrid(gate->lo, gate->hi, gate->bits);
    const ActivationGrid gh = activationGrid(features->lo, features->hi, features->bits);
    const torch::Tensor u_codes =
        (torch::round(u.detach().to(torch::kFloat64) / gu.scale) + static_cast<double>(gu.zero_point))
            .clamp(0, static_cast<double>(gu.levels))
            .to(torch::kInt64);
    const std::vector<std::int32_t> table = runtime::sigmoidTable(
        gu.scale, static_cast<std::int32_t>(gu.zero_point), static_cast<int>(gu.levels));
    const torch::Tensor z =
        torch::tensor(std::vector<std::int64_t>(table.begin(), table.end()), torch::kInt64)
            .index({u_codes.reshape({-1})})
            .reshape(u_codes.sizes());
    return integerUnitScaled(h, z, gh);
}

}  // namespace

torch::Tensor integerUnitScaled(const torch::Tensor& h, const torch::Tensor& z, const ActivationGrid& gh) {
    const torch::Tensor h_centred = torch::round(h.detach().to(torch::kFloat64) / gh.scale).to(torch::kInt64);
    // runtime::applyDyadic on int64 tensors: round(v · m · 2^-shift), ties toward +∞.
    const runtime::Dyadic d = runtime::toDyadic(runtime::kSigmoidScale);
    const torch::Tensor product = h_centred * z * d.multiplier + (std::int64_t{1} << (d.shift - 1));
    const torch::Tensor scaled = torch::div(product, std::int64_t{1} << d.shift, "floor");
    const torch::Tensor codes = (scaled + gh.zero_point).clamp(0, gh.levels);
    return (codes - gh.zero_point).to(torch::kFloat32) * static_cast<float>(gh.scale);
}

torch::Tensor gateFeatures(const torch::Tensor& u, const torch::Tensor& h, const ActivationQuantizer& gate,
                           const ActivationQuantizer& features, bool integer_exact) {
    if (integer_exact) return integerGate(u, h, gate, features);
    torch::Tensor z = torch::sigmoid(u);
    if (quantizing(gate)) z = straightThrough(z, fakeQuantizeActivation(z, 0.0, 1.0, 8));
    torch::Tensor g = z * h;
    if (quantizing(features))
        g = straightThrough(g, fakeQuantizeActivation(g, features->lo, features->hi, features->bits));
    return g;
}

}  // namespace tm2::train
