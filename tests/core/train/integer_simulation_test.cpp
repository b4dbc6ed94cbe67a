#include "core/train/integer_simulation.h"

#include <gtest/gtest.h>

#include "core/base/error.h"
#include "core/runtime/kernels/requantize.h"

namespace tm2::train {
namespace {

// A quantizer on [0, hi] at 8 bits: scale hi / 255, zero point 0.
ActivationQuantizer grid(double hi) {
    ActivationQuantizer q;
    q->mode = ActivationQuantizerImpl::Mode::Quantize;
    q->bits = 8;
    q->lo = 0;
    q->hi = hi;
    return q;
}

// Linear 2 → 1 with weights (127, 1): weight scale 1, codes equal the weights.
QuantLinear layer(double in_hi, double out_hi) {
    QuantLinear fc(torch::nn::LinearOptions(2, 1).bias(false));
    torch::NoGradGuard no_grad;
    fc->weight.copy_(torch::tensor({{127.0f, 1.0f}}));
    fc->bits = 8;
    fc->input_quantizer = grid(in_hi);
    fc->output_quantizer = grid(out_hi);
    return fc;
}

TEST(IntegerSimulationTest, RoundsTiesUpLikeTheDyadicRequantizationNotToEven) {
    // s_in = 1, s_w = 1, s_out = 2: M = 0.5 exactly (m = 2^30, shift 31).
    QuantLinear fc = layer(255.0, 510.0);
    const torch::Tensor x = torch::tensor({{0.0f, 5.0f}, {0.0f, 7.0f}, {1.0f, 0.0f}});
    // Float fake quantization: 5 · 0.5 = 2.5 rounds half-to-even to code 2 (value 4).
    const torch::Tensor floating = fc->output_quantizer->forward(fc->forward(x));
    EXPECT_FLOAT_EQ(floating[0][0].item<float>(), 4.0f);
    // Integer: (5 · 2^30 + 2^30) >> 31 = 3 (value 6), as the runtime computes it.
    fc->integer_exact = true;
    const torch::Tensor exact = fc->forward(x);
    EXPECT_EQ(runtime::applyDyadic(5, 1 << 30, 31), 3);
    EXPECT_FLOAT_EQ(exact[0][0].item<float>(), 6.0f);
    EXPECT_FLOAT_EQ(exact[1][0].item<float>(), 8.0f);    // 3.5 → 4 either way
    EXPECT_FLOAT_EQ(exact[2][0].item<float>(), 128.0f);  // 127 · 0.5 = 63.5 → 64
}

TEST(IntegerSimulationTest, AddsTheBiasAsInt32CodesAndClampsToTheOutputRange) {
    QuantLinear fc(torch::nn::LinearOptions(2, 1));
    {
        torch::NoGradGuard no_grad;
        fc->weight.copy_(torch::tensor({{127.0f, 1.0f}}));
        fc->bias.fill_(2.4f);  // code round(2.4 / (1 · 1)) = 2
    }
    fc->bits = 8;
    fc->input_quantizer = grid(255.0);
    fc->output_quantizer = grid(255.0);  // M = 1
    fc->integer_exact = true;
    const torch::Tensor y = fc->forward(torch::tensor({{0.0f, 3.0f}, {3.0f, 0.0f}}));
    EXPECT_FLOAT_EQ(y[0][0].item<float>(), 5.0f);    // 3 + 2
    EXPECT_FLOAT_EQ(y[1][0].item<float>(), 255.0f);  // 381 + 2 clamps to code 255
}

TEST(IntegerSimulationTest, RescalesLaterConcatSegmentsInTheAccumulator) {
    // Weights (127, 1); segment 1 = feature 0 at scale 1, segment 2 = feature 1 at scale 2.
    QuantLinear fc = layer(255.0, 255.0);
    fc->segments = {{1, fc->input_quantizer}, {1, grid(510.0)}};
    fc->integer_exact = true;
    // Codes (1, 3): 127 · 1 + (1 · 3) · 2 = 133 at the first segment's scale.
    const torch::Tensor y = fc->forward(torch::tensor({{1.0f, 6.0f}}));
    EXPECT_FLOAT_EQ(y[0][0].item<float>(), 133.0f);
    fc->segments = {{1, fc->input_quantizer}, {2, grid(510.0)}};
    EXPECT_THROW(fc->forward(torch::tensor({{1.0f, 6.0f}})), Error);
}

TEST(IntegerSimulationTest, LogitsAreTheAccumulatorTimesTheStep) {
    QuantLinear fc = layer(2.55, 1.0);  // s_in = 0.01
    fc->output_quantizer = nullptr;     // a classifier
    fc->integer_exact = true;
    const torch::Tensor y = fc->forward(torch::tensor({{0.5f, 0.2f}}));  // codes 50, 20
    EXPECT_FLOAT_EQ(y[0][0].item<float>(), static_cast<float>(127 * 50 + 20) * static_cast<float>(0.01));
}

TEST(IntegerSimulationTest, ConvolutionNeedsCalibratedQuantizers) {
    QuantConv2d conv(torch::nn::Conv2dOptions(1, 1, 1));
    conv->bits = 8;
    conv->integer_exact = true;
    EXPECT_THROW(conv->forward(torch::zeros({1, 1, 2, 2})), Error);
}

}  // namespace
}  // namespace tm2::train
