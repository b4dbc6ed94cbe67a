#include "core/train/fake_quant.h"

#include <algorithm>
#include <cmath>

#include "core/base/error.h"
#include "core/train/integer_simulation.h"

namespace tm2::train {

namespace {
void checkBits(int bits) {
    if (bits < 2 || bits > 8) throw Error("bit width " + std::to_string(bits) + " is outside 2..8");
}
}  // namespace

torch::Tensor weightScales(const torch::Tensor& weight, int bits) {
    checkBits(bits);
    const double qmax = std::pow(2.0, bits - 1) - 1.0;
    torch::Tensor max_abs = weight.detach().abs().reshape({weight.size(0), -1}).amax(1);
    // An all-zero channel keeps scale 1 (its values quantize to 0 either way).
    return torch::where(max_abs > 0, max_abs / qmax, torch::ones_like(max_abs));
}

namespace {
std::vector<int64_t> channelView(const torch::Tensor& weight) {
    std::vector<int64_t> view(static_cast<std::size_t>(weight.dim()), 1);
    view[0] = weight.size(0);
    return view;
}
}  // namespace

torch::Tensor weightCodes(const torch::Tensor& weight, int bits) {
    const double qmax = std::pow(2.0, bits - 1) - 1.0;
    return torch::clamp(torch::round(weight / weightScales(weight, bits).reshape(channelView(weight))), -qmax, qmax);
}

torch::Tensor fakeQuantizeWeight(const torch::Tensor& weight, int bits) {
    return weightCodes(weight, bits) * weightScales(weight, bits).reshape(channelView(weight));
}

double quantizationError(const torch::Tensor& weight, int bits) {
    torch::NoGradGuard no_grad;
    return (fakeQuantizeWeight(weight, bits) - weight).pow(2).sum().item<double>();
}

torch::Tensor fakeQuantizeBias(const torch::Tensor& bias, const torch::Tensor& weight_scales, double input_scale) {
    const torch::Tensor step = weight_scales.detach().to(torch::kFloat64) * input_scale;
    const torch::Tensor codes = torch::round(bias.detach().to(torch::kFloat64) / step);
    return (codes * step).to(bias.scalar_type());
}

ActivationGrid activationGrid(double lo, double hi, int bits) {
    ActivationGrid g;
    g.levels = (std::int64_t{1} << bits) - 1;
    g.scale = (hi - lo) / static_cast<double>(g.levels);
    g.zero_point = static_cast<std::int64_t>(std::round(-lo / g.scale));
    return g;
}

torch::Tensor fakeQuantizeActivation(const torch::Tensor& x, double lo, double hi, int bits) {
    checkBits(bits);
    if (!(hi > lo)) return x;
    const ActivationGrid g = activationGrid(lo, hi, bits);
    const auto zero = static_cast<double>(g.zero_point);
    const torch::Tensor q = torch::clamp(torch::round(x / g.scale) + zero, 0.0, static_cast<double>(g.levels));
    return (q - zero) * g.scale;
}

}  // namespace tm2::train

namespace tm2::train {

torch::Tensor ActivationQuantizerImpl::forward(const torch::Tensor& x) {
    switch (mode) {
        case Mode::Off:
            return x;
        case Mode::Observe: {
            torch::NoGradGuard no_grad;
            const double mn = x.min().item<double>(), mx = x.max().item<double>();
            seen_min_ = seen_ ? std::min(seen_min_, mn) : mn;
            seen_max_ = seen_ ? std::max(seen_max_, mx) : mx;
            seen_ = true;
            // Keep a bounded strided sample for percentile calibration.
            constexpr std::size_t kMaxSample = 1 << 18;
            const torch::Tensor flat = x.detach().reshape({-1}).contiguous();
            const int64_t stride = std::max<int64_t>(1, flat.numel() / 4096);
            const torch::Tensor picked = flat.slice(0, 0, flat.numel(), stride);
            const float* p = picked.data_ptr<float>();
            if (sample_.size() < kMaxSample) sample_.insert(sample_.end(), p, p + picked.numel());
            return x;
        }
        case Mode::Quantize:
            return straightThrough(x, fakeQuantizeActivation(x, lo, hi, bits));
    }
    return x;
}

void ActivationQuantizerImpl::reset() {
    seen_ = false;
    seen_min_ = seen_max_ = 0;
    sample_.clear();
}

void ActivationQuantizerImpl::finishCalibration(Calibration method, double percentile) {
    if (!seen_) throw Error("activation calibration: no data was observed");
    lo = std::min(0.0, seen_min_);
    hi = std::max(0.0, seen_max_);
    if (method == Calibration::Percentile && !sample_.empty()) {
        std::vector<float> v = sample_;
        auto at = [&v](double q) {
            const auto k = static_cast<std::size_t>(q / 100.0 * static_cast<double>(v.size() - 1));
            std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(k), v.end());
            return static_cast<double>(v[k]);
        };
        const double top = at(percentile), bottom = at(100.0 - percentile);
        hi = std::min(hi, std::max(0.0, top));
        lo = std::max(lo, std::min(0.0, bottom));
    }
    if (hi <= lo) hi = lo + 1e-8;  // a dead activation still gets a valid range
}

double ActivationQuantizerImpl::scale() const {
    if (mode != Mode::Quantize || !(hi > lo)) return 0;
    return activationGrid(lo, hi, bits).scale;
}

namespace {
// The bias the layer adds: float, or (input quantized) its int32 codes dequantized.
torch::Tensor effectiveBias(const torch::Tensor& bias, const torch::Tensor& weight, int bits,
                            const ActivationQuantizer& input) {
    if (!bias.defined() || !input) return bias;
    const double s_in = input->scale();
    if (s_in <= 0) return bias;
    return straightThrough(bias, fakeQuantizeBias(bias, weightScales(weight, bits), s_in));
}
}  // namespace

torch::Tensor QuantConv2dImpl::forward(const torch::Tensor& x) {
    if (bits == 0) return Conv2dImpl::forward(x);
    if (integer_exact) return integerConv2d(*this, x);
    const torch::Tensor w = straightThrough(weight, fakeQuantizeWeight(weight, bits));
    return torch::nn::functional::detail::conv2d(x, w, effectiveBias(bias, weight, bits, input_quantizer),
                                                  options.stride(), options.padding(), options.dilation(),
                                                  options.groups());
}

torch::Tensor QuantLinearImpl::forward(const torch::Tensor& x) {
    if (bits == 0) return LinearImpl::forward(x);
    if (integer_exact) return integerLinear(*this, x);
    return torch::nn::functional::linear(x, straightThrough(weight, fakeQuantizeWeight(weight, bits)),
                                         effectiveBias(bias, weight, bits, input_quantizer));
}

}  // namespace tm2::train
