#pragma once
// Uniform quantization as HAWQ-V3 and the paper use it: weights symmetric per
// output channel, activations per tensor (unsigned after ReLU), one bit width
// per layer for both. Fake quantization (quantize → dequantize in float) lets
// LibTorch evaluate and fine-tune the integer model; the straight-through
// estimator passes gradients through the rounding.

#include <cstdint>

#include <torch/torch.h>

namespace tm2::train {

// Per-output-channel scale for symmetric b-bit weights: max|W_c| / (2^(b-1) − 1).
torch::Tensor weightScales(const torch::Tensor& weight, int bits);

// The integer codes of Q_b(W), clamp(round(W / s_c), ±(2^(b-1) − 1)), in W's dtype;
// the exporter stores exactly these.
torch::Tensor weightCodes(const torch::Tensor& weight, int bits);

// Q_b(W): symmetric per-channel fake quantization (dim 0 = output channel).
torch::Tensor fakeQuantizeWeight(const torch::Tensor& weight, int bits);

// ‖Q_b(W) − W‖², the distance in Ω_i(b) = Tr(H_i)/n_i · ‖Q_b(W_i) − W_i‖².
double quantizationError(const torch::Tensor& weight, int bits);

// The activation grid on [lo, hi] (hi > lo) at `bits`: step (hi − lo) / (2^b − 1), zero point
// round(−lo / step), top code 2^b − 1. fakeQuantizeActivation, the integer-exact evaluation
// and the exporter all take it from here.
struct ActivationGrid {
    double scale = 0;
    std::int64_t zero_point = 0;
    std::int64_t levels = 255;
};
ActivationGrid activationGrid(double lo, double hi, int bits);

// Activation fake quantization on [lo, hi] with 2^b levels (unsigned when lo >= 0).
torch::Tensor fakeQuantizeActivation(const torch::Tensor& x, double lo, double hi, int bits);

// Bias as the integer runtime stores it: int32 codes round(b / (s_in · s_w,c)),
// computed in double so the exporter (core/export) gets the very same codes.
torch::Tensor fakeQuantizeBias(const torch::Tensor& bias, const torch::Tensor& weight_scales, double input_scale);

// Straight-through estimator: forward value of `quantized`, gradient of `x`.
inline torch::Tensor straightThrough(const torch::Tensor& x, const torch::Tensor& quantized) {
    return x + (quantized - x).detach();
}

}  // namespace tm2::train

namespace tm2::train {

// Fake-quantization state of one layer's output activations: off (identity),
// observing (recording the range on calibration data) or quantizing.
class ActivationQuantizerImpl : public torch::nn::Module {
public:
    enum class Mode { Off, Observe, Quantize };
    enum class Calibration { MinMax, Percentile };

    torch::Tensor forward(const torch::Tensor& x);

    void reset();  // forget observed ranges
    // Sets [lo, hi] from what was observed: min/max, or the given percentile of |x| values.
    void finishCalibration(Calibration method, double percentile = 99.99);

    // Step of the quantized values, (hi − lo) / (2^bits − 1); 0 when not quantizing.
    double scale() const;

    Mode mode = Mode::Off;
    int bits = 8;
    double lo = 0, hi = 0;  // quantization range (after calibration)

private:
    double seen_min_ = 0, seen_max_ = 0;
    bool seen_ = false;
    std::vector<float> sample_;  // strided sample of observed values for percentiles
};
TORCH_MODULE(ActivationQuantizer);

// Conv2d / Linear whose weights are fake-quantized to `bits` (0 = float) with
// the straight-through estimator, for evaluation and quantization-aware training.
class QuantConv2dImpl : public torch::nn::Conv2dImpl {
public:
    using torch::nn::Conv2dImpl::Conv2dImpl;
    torch::Tensor forward(const torch::Tensor& x);
    int bits = 0;
    // The quantizer of this layer's input (not a submodule): while it quantizes, the
    // bias is fake-quantized at s_in · s_w,c, as the integer runtime adds it.
    ActivationQuantizer input_quantizer{nullptr};
    // The quantizer of this layer's output (after the ReLU that may follow); null = none.
    ActivationQuantizer output_quantizer{nullptr};
    // Evaluate as the integer runtime does (integer_simulation.h) instead of in float.
    bool integer_exact = false;
};
TORCH_MODULE(QuantConv2d);

class QuantLinearImpl : public torch::nn::LinearImpl {
public:
    using torch::nn::LinearImpl::LinearImpl;
    torch::Tensor forward(const torch::Tensor& x);
    int bits = 0;
    ActivationQuantizer input_quantizer{nullptr};  // as QuantConv2dImpl's
    ActivationQuantizer output_quantizer{nullptr};  // null for a classifier (logits)
    bool integer_exact = false;
    // When the input is a fused concat: each segment's width and quantizer, in
    // order (the first is input_quantizer). Empty: one segment.
    struct Segment {
        int64_t width = 0;
        ActivationQuantizer quantizer{nullptr};
    };
    std::vector<Segment> segments;
};
TORCH_MODULE(QuantLinear);

}  // namespace tm2::train
