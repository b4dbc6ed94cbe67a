#include "core/train/fake_quant.h"

#include <gtest/gtest.h>

#include "core/base/error.h"
#include "core/train/multimodal_net.h"
#include "core/train/trainer.h"
#include "tests/core/train/toy_data.h"

namespace tm2::train {
namespace {

TEST(FakeQuantTest, WeightsAreSymmetricPerOutputChannel) {
    // Channel 0: max |w| = 1.0 → 8-bit scale 1/127; channel 1: max |w| = 0.5 → 0.5/127.
    const torch::Tensor w = torch::tensor({{1.0f, -0.3f}, {0.5f, 0.26f}});
    const torch::Tensor s = weightScales(w, 8);
    EXPECT_NEAR(s[0].item<float>(), 1.0 / 127, 1e-7);
    EXPECT_NEAR(s[1].item<float>(), 0.5 / 127, 1e-7);
    // 4 bits: qmax 7. Channel 0 scale 1/7: -0.3 → round(-2.1) = -2 → -2/7.
    const torch::Tensor q4 = fakeQuantizeWeight(w, 4);
    EXPECT_NEAR(q4[0][1].item<float>(), -2.0 / 7.0, 1e-6);
    EXPECT_NEAR(q4[0][0].item<float>(), 1.0, 1e-6);  // the extreme is exact
    // Channel 1 scale 0.5/7: 0.26 → round(3.64) = 4 → 4 · 0.5/7.
    EXPECT_NEAR(q4[1][1].item<float>(), 2.0 / 7.0, 1e-6);
}

TEST(FakeQuantTest, FewerBitsMeanLargerError) {
    torch::manual_seed(3);
    const torch::Tensor w = torch::randn({16, 8, 3, 3});
    EXPECT_LT(quantizationError(w, 8), quantizationError(w, 6));
    EXPECT_LT(quantizationError(w, 6), quantizationError(w, 4));
    EXPECT_LT(quantizationError(w, 4), quantizationError(w, 2));
}

TEST(FakeQuantTest, ActivationsUseTwoToTheBLevelsOnTheirRange) {
    // Range [0, 1.5] at 2 bits: 3 steps of 0.5 → 0.6 rounds to 0.5, 1.4 to 1.5, 2.0 clips to 1.5.
    const torch::Tensor x = torch::tensor({0.6f, 1.4f, 2.0f, -1.0f});
    const torch::Tensor q = fakeQuantizeActivation(x, 0.0, 1.5, 2);
    EXPECT_FLOAT_EQ(q[0].item<float>(), 0.5f);
    EXPECT_FLOAT_EQ(q[1].item<float>(), 1.5f);
    EXPECT_FLOAT_EQ(q[2].item<float>(), 1.5f);
    EXPECT_FLOAT_EQ(q[3].item<float>(), 0.0f);
}

TEST(FakeQuantTest, StraightThroughEstimatorPassesTheGradient) {
    torch::Tensor w = torch::tensor({0.3f, -0.7f}, torch::requires_grad());
    const torch::Tensor y = straightThrough(w, fakeQuantizeWeight(w.unsqueeze(0), 2).squeeze(0)).sum();
    y.backward();
    EXPECT_TRUE(torch::allclose(w.grad(), torch::ones({2})));
}

TEST(FakeQuantTest, FoldingBatchNormKeepsTheNetworksOutput) {
    const TrainingData data = testing::toyData(3);
    TrainConfig config;
    config.epochs = 2;
    config.threads = 1;
    // Train briefly so the batchnorm statistics are not the identity.
    const TrainResult trained = trainModel(testing::toySpec(), data, config);
    MultimodalNet net(trained.spec, false);
    {
        torch::NoGradGuard no_grad;
        for (auto& p : net->parameters()) p.uniform_(-0.5, 0.5);
        for (auto& item : net->named_buffers())
            if (item.key().find("running_var") != std::string::npos) item.value().uniform_(0.5, 2.0);
            else if (item.key().find("running_mean") != std::string::npos) item.value().uniform_(-0.3, 0.3);
    }
    net->eval();
    torch::NoGradGuard no_grad;
    const std::vector<torch::Tensor> inputs{data.test.inputs[0], data.test.inputs[1]};
    const torch::Tensor before = net->forward(inputs).logits;
    net->foldBatchNorms();
    net->train();  // folded batchnorms must stay identities even in training mode
    net->eval();
    const torch::Tensor after = net->forward(inputs).logits;
    EXPECT_TRUE(torch::allclose(before, after, 1e-4, 1e-4)) << (before - after).abs().max();
    EXPECT_TRUE(net->batchNormsFolded());
}

TEST(FakeQuantTest, EveryWeightLayerIsQuantizableUnderItsCostTableName) {
    const TrainingData data = testing::toyData(3);
    MultimodalNet net(bindSpecToData(testing::toySpec(), data), false);
    std::vector<std::string> names;
    for (const auto& q : net->quantizableLayers()) names.push_back(q.name);
    const std::vector<std::string> expected{"image.0.conv2d", "image.3.dsconv2d.depthwise", "image.3.dsconv2d.pointwise",
                                            "image.5.fc",     "audio.0.conv2d",             "audio.3.dsconv2d.depthwise",
                                            "audio.3.dsconv2d.pointwise", "audio.5.fc", "head.0.fc", "classifier"};
    EXPECT_EQ(names, expected);
    EXPECT_THROW(net->quantizableLayer("nope"), Error);
}

}  // namespace
}  // namespace tm2::train
