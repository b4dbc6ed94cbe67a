// Quantization-aware fine-tuning (quantizeModel with qat_epochs > 0): what it may
// train, how close its float fake-quant model stays to the integer-exact one, and
// that the same options give the same network.

#include <gtest/gtest.h>

#include "core/quant/quantizer.h"
#include "tests/core/quant/toy_trained_net.h"

namespace tm2::quant {
namespace {

class QuantizationAwareTuningTest : public ::testing::Test {
protected:
    void SetUp() override {
        data_ = train::testing::toyData(3);
        spec_ = train::bindSpecToData(testing::toySpecWithDropout(), data_);
        weights_ = testing::trainToyWeights(spec_, data_);
    }
    train::MultimodalNet quantized(QuantizeOptions o, QuantizationReport* report = nullptr) {
        train::MultimodalNet net = testing::netFromWeights(spec_, weights_);
        const QuantizationReport r = quantizeModel(net, data_, {0, 1}, o);
        if (report) *report = r;
        return net;
    }

    train::TrainingData data_;
    model::ModelSpec spec_;
    std::string weights_;
};

// Runs `seq` unit by unit: each weight layer gets the same input (the integer-exact
// codes of the unit before) in both evaluations, so a difference is that unit's own.
// Returns the largest difference at any activation quantizer, in its steps.
double worstStepsApart(torch::nn::SequentialImpl& seq, torch::Tensor& x) {
    double worst = 0;
    torch::Tensor fq = x, ie = x;
    for (auto& any : seq) {
        const auto module = any.ptr();
        auto* conv = dynamic_cast<train::QuantConv2dImpl*>(module.get());
        auto* linear = dynamic_cast<train::QuantLinearImpl*>(module.get());
        auto* aq = dynamic_cast<train::ActivationQuantizerImpl*>(module.get());
        if (conv || linear) {
            bool& exact = conv ? conv->integer_exact : linear->integer_exact;
            exact = false;
            fq = any.forward(ie);
            exact = true;
            ie = any.forward(ie);
            exact = false;
        } else if (aq) {
            fq = aq->forward(fq);
            ie = aq->forward(ie);
            worst = std::max(worst, (fq - ie).abs().max().item<double>() / aq->scale());
            fq = ie;
        } else {
            fq = any.forward(fq);
            ie = any.forward(ie);
        }
    }
    x = ie;
    return worst;
}

TEST_F(QuantizationAwareTuningTest, FreezesTheFoldedBatchNormsAndStaysWithinOneStepOfIntegerExact) {
    QuantizeOptions o;
    o.mode = QuantMode::Int4;
    o.qat_epochs = 2;
    o.qat_learning_rate = 1e-2;  // large, so anything trainable visibly moves
    train::MultimodalNet net = quantized(o);
    torch::NoGradGuard no_grad;
    int folded = 0;
    for (auto& q : net->quantizableLayers()) {
        if (!q.batchnorm) continue;
        ++folded;
        auto* bn = dynamic_cast<torch::nn::BatchNorm2dImpl*>(q.batchnorm.get());
        ASSERT_NE(bn, nullptr) << q.name;
        for (const auto& p : bn->parameters()) EXPECT_FALSE(p.requires_grad()) << q.name;
        EXPECT_TRUE(bn->weight.eq(1).all().item<bool>()) << q.name;  // γ untouched by fine-tuning
        EXPECT_TRUE(bn->bias.eq(0).all().item<bool>()) << q.name;    // β likewise
        // Nothing float between the layer and its ReLU: the batchnorm is y = x exactly.
        const torch::Tensor x = torch::randn({2, bn->weight.size(0), 3, 3}) * 7;
        EXPECT_TRUE(torch::equal(bn->forward(x), x)) << q.name;
    }
    EXPECT_EQ(folded, 2);  // one conv + batchnorm per branch (toySpec)

    std::vector<torch::Tensor> features;
    double worst = 0;
    for (std::size_t b = 0; b < 2; ++b) {
        auto seq = std::dynamic_pointer_cast<torch::nn::SequentialImpl>(
            net->named_children()[b == 0 ? "branch_image" : "branch_audio"]);
        ASSERT_TRUE(seq);
        torch::Tensor x = net->inputQuantizers()[b]->forward(data_.test.inputs[b]);
        worst = std::max(worst, worstStepsApart(*seq, x));
        features.push_back(x);
    }
    auto head = std::dynamic_pointer_cast<torch::nn::SequentialImpl>(net->named_children()["head"]);
    ASSERT_TRUE(head);
    torch::Tensor fused = torch::cat(features, 1);
    worst = std::max(worst, worstStepsApart(*head, fused));
    EXPECT_LE(worst, 1.0 + 1e-6);
}

TEST_F(QuantizationAwareTuningTest, TheSameFineTuningTwiceGivesIdenticalWeights) {
    QuantizeOptions o;
    o.mode = QuantMode::Int8;
    o.qat_epochs = 2;
    QuantizationReport first, second;
    train::MultimodalNet a = quantized(o, &first);
    torch::randn({1000});  // whatever drew from the global generator in between must not matter
    train::MultimodalNet b = quantized(o, &second);
    const auto pa = a->named_parameters(), pb = b->named_parameters();
    ASSERT_EQ(pa.size(), pb.size());
    for (const auto& item : pa) EXPECT_TRUE(torch::equal(item.value(), pb[item.key()])) << item.key();
    EXPECT_EQ(first.bits, second.bits);
    EXPECT_EQ(first.test.accuracy, second.test.accuracy);
    ASSERT_TRUE(first.integer_test && second.integer_test);
    EXPECT_EQ(first.integer_test->confusion, second.integer_test->confusion);

    // The seed is what decides: another seed tunes other weights.
    o.seed = 2;
    train::MultimodalNet c = quantized(o);
    bool all_equal = true;
    for (const auto& item : c->named_parameters())
        all_equal = all_equal && torch::equal(item.value(), pa[item.key()]);
    EXPECT_FALSE(all_equal);
}

}  // namespace
}  // namespace tm2::quant
