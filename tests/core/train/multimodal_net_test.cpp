#include "core/train/multimodal_net.h"

#include <gtest/gtest.h>

#include "core/base/error.h"
#include "core/train/trainer.h"
#include "tests/core/train/toy_data.h"

namespace tm2::train {
namespace {

using testing::toyData;
using testing::toySpec;

TEST(MultimodalNetTest, EveryFusionGivesLogitsPerClass) {
    const TrainingData data = toyData(3);
    for (auto fusion : {model::FusionType::Concat, model::FusionType::Sum, model::FusionType::Late,
                        model::FusionType::Gated, model::FusionType::Film, model::FusionType::Attention}) {
        MultimodalNet net(bindSpecToData(toySpec(fusion), data), /*aux_heads=*/true);
        const NetOutput out = net->forward({data.train.inputs[0].slice(0, 0, 5), data.train.inputs[1].slice(0, 0, 5)});
        EXPECT_EQ(out.logits.sizes(), (std::vector<int64_t>{5, 3}));
        ASSERT_EQ(out.aux_logits.size(), 2u);
        EXPECT_EQ(out.aux_logits[1].sizes(), (std::vector<int64_t>{5, 3}));
    }
}

TEST(MultimodalNetTest, GatedFusionScalesEachBranchBySigmoidOfItsGateAndTrainsTheGates) {
    const TrainingData data = toyData(3);
    MultimodalNet net(bindSpecToData(toySpec(model::FusionType::Gated), data), false);
    auto& image_gate = net->quantizableLayer("fusion.gate.image");
    auto& audio_gate = net->quantizableLayer("fusion.gate.audio");
    EXPECT_EQ(image_gate.branch, "head");
    const std::vector<torch::Tensor> x{data.train.inputs[0].slice(0, 0, 6),
                                       data.train.inputs[1].slice(0, 0, 6)};
    {
        // An image gate with bias −1000 closes the image (σ = 0), and an audio gate without
        // weights does not read it: the head then sees what it sees when the image is missing.
        torch::NoGradGuard no_grad;
        image_gate.weight().zero_();
        image_gate.bias().fill_(-1000.0);
        audio_gate.weight().zero_();
        net->eval();
        const torch::Tensor closed = net->forward(x).logits;
        const torch::Tensor absent = torch::stack({torch::zeros({6}), torch::ones({6})}, 1);
        EXPECT_TRUE(torch::allclose(closed, net->forward(x, absent).logits, 1e-6, 1e-6));
        image_gate.bias().fill_(0.0);
        audio_gate.weight().normal_(0.0, 0.1);
    }
    // The gates are trainable parameters with gradients like any fc.
    net->train();
    torch::nn::functional::cross_entropy(net->forward(x).logits, data.train.labels.slice(0, 0, 6)).backward();
    ASSERT_TRUE(image_gate.weight().grad().defined());
    EXPECT_GT(image_gate.weight().grad().abs().sum().item<double>(), 0.0);
}

TEST(MultimodalNetTest, AttentionWeighsEachBranchBySoftmaxOfItsScoreAndTrainsTheScores) {
    const TrainingData data = toyData(3);
    MultimodalNet net(bindSpecToData(toySpec(model::FusionType::Attention), data), false);
    auto& score = net->quantizableLayer("fusion.attention.score");
    EXPECT_EQ(score.branch, "head");
    EXPECT_EQ(score.weight().size(0), 2);  // one score per branch
    const std::vector<torch::Tensor> x{data.train.inputs[0].slice(0, 0, 6),
                                       data.train.inputs[1].slice(0, 0, 6)};
    {
        // Scores that ignore the features, image −1000 and audio 0: α = [0, 1], so the
        // head sees the image as missing and the audio unscaled.
        torch::NoGradGuard no_grad;
        score.weight().zero_();
        score.bias().copy_(torch::tensor({-1000.0f, 0.0f}));
        net->eval();
        const torch::Tensor weighted = net->forward(x).logits;
        const torch::Tensor absent = torch::stack({torch::zeros({6}), torch::ones({6})}, 1);
        EXPECT_TRUE(torch::allclose(weighted, net->forward(x, absent).logits, 1e-6, 1e-6));
        score.weight().normal_(0.0, 0.1);
        score.bias().zero_();
    }
    net->train();
    torch::nn::functional::cross_entropy(net->forward(x).logits, data.train.labels.slice(0, 0, 6)).backward();
    ASSERT_TRUE(score.weight().grad().defined());
    EXPECT_GT(score.weight().grad().abs().sum().item<double>(), 0.0);
}

TEST(MultimodalNetTest, FilmScalesAndShiftsTheSecondBranchByFcsOfTheFirst) {
    const TrainingData data = toyData(3);
    MultimodalNet net(bindSpecToData(toySpec(model::FusionType::Film), data), false);
    auto& scale = net->quantizableLayer("fusion.film.audio.scale");
    auto& shift = net->quantizableLayer("fusion.film.audio.shift");
    EXPECT_EQ(net->fusionQuantizers().size(), 2u);  // the product's and the output's grids
    const std::vector<torch::Tensor> x{data.train.inputs[0].slice(0, 0, 6),
                                       data.train.inputs[1].slice(0, 0, 6)};
    torch::NoGradGuard no_grad;
    net->eval();
    // γ = 1, β = 0 (no weights) leave the audio features as they are; β = 1000 moves
    // every one of them, and so the logits.
    scale.weight().zero_();
    scale.bias().fill_(1.0);
    shift.weight().zero_();
    shift.bias().zero_();
    const torch::Tensor identity = net->forward(x).logits;
    shift.bias().fill_(1000.0);
    EXPECT_FALSE(torch::allclose(identity, net->forward(x).logits));
    shift.bias().zero_();
    EXPECT_TRUE(torch::equal(identity, net->forward(x).logits));
    // Missing audio: its features are zero, so f = γ ⊙ 0 + β = 0 whatever γ.
    const torch::Tensor no_audio = torch::stack({torch::ones({6}), torch::zeros({6})}, 1);
    const torch::Tensor unit_scale = net->forward(x, no_audio).logits;
    scale.bias().fill_(5.0);
    EXPECT_TRUE(torch::equal(unit_scale, net->forward(x, no_audio).logits));
}

TEST(MultimodalNetTest, BatchNormSitsBetweenConvAndItsActivation) {
    const TrainingData data = toyData(3);
    MultimodalNet net(bindSpecToData(toySpec(), data), false);
    std::vector<std::string> names;
    for (const auto& item : net->named_children()) {
        if (item.key() != "branch_image") continue;
        for (const auto& child : item.value()->named_children()) names.push_back(child.key());
    }
    ASSERT_GE(names.size(), 3u);
    EXPECT_EQ(names[0], "image_0_conv2d");
    EXPECT_EQ(names[1], "image_1_batchnorm");
    EXPECT_EQ(names[2], "image_0_conv2d_relu");
}

TEST(MultimodalNetTest, HidingAModalityChangesOnlyThoseSamples) {
    const TrainingData data = toyData(3);
    MultimodalNet net(bindSpecToData(toySpec(), data), false);
    net->eval();
    torch::NoGradGuard no_grad;
    const std::vector<torch::Tensor> inputs{data.test.inputs[0].slice(0, 0, 4), data.test.inputs[1].slice(0, 0, 4)};
    const torch::Tensor all = net->forward(inputs).logits;
    torch::Tensor present = torch::ones({4, 2});
    present[1][0] = 0;  // sample 1 without its image
    const torch::Tensor masked = net->forward(inputs, present).logits;
    EXPECT_TRUE(torch::allclose(all[0], masked[0]));
    EXPECT_FALSE(torch::allclose(all[1], masked[1]));
}

TEST(MultimodalNetTest, BindingReportsMissingModalitiesAndShapeConflicts) {
    const TrainingData data = toyData(3);
    model::ModelSpec spec = toySpec();
    spec.branches[1].modality = "speech";
    try {
        bindSpecToData(spec, data);
        FAIL();
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("speech"), std::string::npos);
        EXPECT_NE(std::string(e.what()).find("image, audio"), std::string::npos) << e.what();
    }
    spec = toySpec();
    spec.branches[0].input = {1, 9, 9};
    EXPECT_THROW(bindSpecToData(spec, data), Error);
    spec = toySpec();
    spec.num_classes = 7;
    EXPECT_THROW(bindSpecToData(spec, data), Error);
}

}  // namespace
}  // namespace tm2::train
