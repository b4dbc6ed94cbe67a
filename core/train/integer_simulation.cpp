#include "core/train/integer_simulation.h"

#include <cmath>
#include <string>
#include <vector>

#include "core/base/error.h"
#include "core/runtime/kernels/requantize.h"

namespace tm2::train {

namespace {

constexpr double kInt32Min = -2147483648.0, kInt32Max = 2147483647.0;

using Grid = ActivationGrid;

Grid gridOf(const ActivationQuantizer& q, const char* role) {
    if (!q || q->mode != ActivationQuantizerImpl::Mode::Quantize || !(q->hi > q->lo))
        throw Error(std::string("integer-exact evaluation needs a calibrated ") + role + " quantizer (quantize first)");
    return activationGrid(q->lo, q->hi, q->bits);
}

// x holds (q − zp) · s in float; the integer q − zp, exactly, as float64.
torch::Tensor centredCodes(const torch::Tensor& x, const Grid& g) {
    return torch::round(x.detach().to(torch::kFloat64) / g.scale);
}

// Per output channel of a weight: s_in · s_w,c (float64 of the float32 scales, as exported).
std::vector<double> accumulatorScales(const torch::Tensor& weight, int bits, double s_in) {
    const torch::Tensor s = weightScales(weight.detach(), bits).to(torch::kFloat64).contiguous();
    std::vector<double> out(static_cast<std::size_t>(s.numel()));
    for (std::size_t c = 0; c < out.size(); ++c) out[c] = s_in * s.data_ptr<double>()[c];
    return out;
}

// Per-channel bias codes round(b / (s_in · s_w,c)); zeros without a bias.
torch::Tensor biasCodes(const torch::Tensor& bias, const std::vector<double>& acc_scale) {
    std::vector<double> codes(acc_scale.size(), 0.0);
    if (bias.defined()) {
        const torch::Tensor b = bias.detach().to(torch::kFloat64).contiguous();
        for (std::size_t c = 0; c < codes.size(); ++c) codes[c] = std::round(b.data_ptr<double>()[c] / acc_scale[c]);
    }
    return torch::tensor(codes, torch::kFloat64);
}

// round(v · m · 2^-shift) with ties toward +∞, saturated to int32 — runtime::applyDyadic
// on int64 tensors, per channel along dim 1 (or one factor for all).
torch::Tensor applyDyadic(const torch::Tensor& v, const std::vector<runtime::Dyadic>& d) {
    std::vector<std::int64_t> m, half, pow2;
    for (const auto& f : d) {
        m.push_back(f.multiplier);
        pow2.push_back(std::int64_t{1} << f.shift);
        half.push_back(std::int64_t{1} << (f.shift - 1));
    }
    std::vector<int64_t> view(static_cast<std::size_t>(v.dim()), 1);
    if (d.size() > 1) view[1] = static_cast<int64_t>(d.size());
    auto column = [&view](const std::vector<std::int64_t>& values) {
        return torch::tensor(values, torch::kInt64).reshape(view);
    };
    const torch::Tensor rounded = torch::div(v * column(m) + column(half), column(pow2), "floor");
    return rounded.clamp(static_cast<int64_t>(kInt32Min), static_cast<int64_t>(kInt32Max));
}

// Accumulator + bias (int64, N × C × …) → the output's codes, dequantized.
torch::Tensor outputStage(const torch::Tensor& total, const std::vector<double>& acc_scale, const Grid& out) {
    std::vector<runtime::Dyadic> d;
    for (double s : acc_scale) d.push_back(runtime::toDyadic(s / out.scale));
    const torch::Tensor codes = (applyDyadic(total, d) + out.zero_point).clamp(0, out.levels);
    return (codes - out.zero_point).to(torch::kFloat32) * static_cast<float>(out.scale);
}

// The classifier's logits: the saturated int32 accumulator times float32(s_in · s_w,c).
torch::Tensor logits(const torch::Tensor& total, const std::vector<double>& acc_scale) {
    std::vector<float> scale(acc_scale.begin(), acc_scale.end());
    return total.clamp(static_cast<int64_t>(kInt32Min), static_cast<int64_t>(kInt32Max)).to(torch::kFloat32) *
           torch::tensor(scale, torch::kFloat32).reshape({1, -1});
}

}  // namespace

torch::Tensor integerConv2d(QuantConv2dImpl& layer, const torch::Tensor& x) {
    torch::NoGradGuard no_grad;
    const Grid in = gridOf(layer.input_quantizer, "input");
    const Grid out = gridOf(layer.output_quantizer, "output");
    const std::vector<double> acc_scale = accumulatorScales(layer.weight, layer.bits, in.scale);
    const torch::Tensor w = weightCodes(layer.weight.detach(), layer.bits).to(torch::kFloat64);
    const auto& o = layer.options;
    const torch::Tensor acc = torch::nn::functional::detail::conv2d(centredCodes(x, in), w, {}, o.stride(), o.padding(),
                                                                    o.dilation(), o.groups());
    const torch::Tensor total = (acc + biasCodes(layer.bias, acc_scale).reshape({1, -1, 1, 1})).to(torch::kInt64);
    return outputStage(total, acc_scale, out);
}

torch::Tensor integerLinear(QuantLinearImpl& layer, const torch::Tensor& x) {
    torch::NoGradGuard no_grad;
    std::vector<QuantLinearImpl::Segment> segments = layer.segments;
    if (segments.empty()) segments.push_back({x.size(1), layer.input_quantizer});
    const Grid first = gridOf(segments[0].quantizer, "input");
    const torch::Tensor w = weightCodes(layer.weight.detach(), layer.bits).to(torch::kFloat64);
    torch::Tensor total;
    int64_t offset = 0;
    for (std::size_t k = 0; k < segments.size(); ++k) {
        const Grid g = k == 0 ? first : gridOf(segments[k].quantizer, "fused input");
        const int64_t width = segments[k].width;
        if (offset + width > x.size(1)) throw Error("integer-exact evaluation: fused segments exceed the input width");
        const torch::Tensor acc = torch::mm(centredCodes(x.narrow(1, offset, width), g), w.narrow(1, offset, width).t())
                                      .to(torch::kInt64);
        // Later segments come to the first's scale in the accumulator domain, as the runtime does.
        total = k == 0 ? acc : total + applyDyadic(acc, {runtime::toDyadic(g.scale / first.scale)});
        offset += width;
    }
    if (offset != x.size(1)) throw Error("integer-exact evaluation: fused segments do not cover the input");
    const std::vector<double> acc_scale = accumulatorScales(layer.weight, layer.bits, first.scale);
    total = total + biasCodes(layer.bias, acc_scale).to(torch::kInt64).reshape({1, -1});
    if (!layer.output_quantizer) return logits(total, acc_scale);
    return outputStage(total, acc_scale, gridOf(layer.output_quantizer, "output"));
}

}  // namespace tm2::train
