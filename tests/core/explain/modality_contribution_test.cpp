#include "core/explain/modality_contribution.h"

#include <gtest/gtest.h>

#include <cmath>
#include <nlohmann/json.hpp>

#include "tests/core/explain/hand_built_net.h"

namespace tm2::explain {
namespace {

using testing::handBuiltSpec;
using testing::layerOf;

// One feature per branch. The image feature is the mean pixel (fc weights 1/64);
// the audio feature is whatever random weights make of the audio. The classifier
// reads the image feature f as logits (5f, −5f) and gives the audio feature weight 0:
// the network ignores audio. Class 0's images are all +1, class 1's all −1, so with
// the image the true class has probability 1/(1 + e^−10); masked, both logits are 0
// and each class gets 0.5.
train::MultimodalNet imageOnlyNet() {
    train::MultimodalNet net(handBuiltSpec(/*features_per_branch=*/1, /*classes=*/2), /*aux_heads=*/false);
    torch::NoGradGuard no_grad;
    layerOf(net, "image").weight().fill_(1.0 / 64);
    torch::manual_seed(3);
    layerOf(net, "audio").weight().copy_(torch::randn({1, 60}));
    layerOf(net, "head").weight().copy_(torch::tensor({{5.0f, 0.0f}, {-5.0f, 0.0f}}));
    layerOf(net, "head").bias().zero_();
    return net;
}

train::SplitTensors imageLabelledSplit() {
    train::SplitTensors s;
    const std::vector<int64_t> labels{0, 0, 0, 1, 1};
    s.labels = torch::tensor(labels);
    torch::Tensor image = torch::empty({5, 1, 8, 8});
    for (int i = 0; i < 5; ++i) image[i].fill_(labels[static_cast<std::size_t>(i)] == 0 ? 1.0 : -1.0);
    torch::manual_seed(11);
    s.inputs = {image, torch::randn({5, 1, 6, 10}) * 3};
    for (int i = 0; i < 5; ++i) s.ids.push_back("s" + std::to_string(i));
    return s;
}

TEST(ModalityContributionTest, AModalityTheNetworkIgnoresHasZeroEffectOnEveryClass) {
    train::MultimodalNet net = imageOnlyNet();
    const ModalityContributions c =
        modalityContributions(net, imageLabelledSplit(), {0, 1}, {"left", "right"});
    ASSERT_EQ(c.masked.size(), 2u);
    EXPECT_EQ(c.masked[1].modality, "audio");
    for (std::size_t k = 0; k < 2; ++k) {
        EXPECT_EQ(c.accuracyDrop(1, k), 0.0) << k;
        EXPECT_EQ(c.confidenceDrop(1, k), 0.0) << k;
    }
}

TEST(ModalityContributionTest, MaskingTheModalityAClassNeedsCostsItsConfidence) {
    train::MultimodalNet net = imageOnlyNet();
    const ModalityContributions c =
        modalityContributions(net, imageLabelledSplit(), {0, 1}, {"left", "right"});
    const double confident = 1.0 / (1.0 + std::exp(-10.0));
    ASSERT_EQ(c.all_present.size(), 2u);
    EXPECT_EQ(c.all_present[0].samples, 3u);
    EXPECT_EQ(c.all_present[1].samples, 2u);
    for (std::size_t k = 0; k < 2; ++k) {
        EXPECT_DOUBLE_EQ(c.all_present[k].accuracy, 1.0);
        EXPECT_NEAR(c.all_present[k].mean_confidence, confident, 1e-6);
        EXPECT_EQ(c.masked[0].modality, "image");
        EXPECT_NEAR(c.masked[0].masked[k].mean_confidence, 0.5, 1e-6);
        EXPECT_NEAR(c.confidenceDrop(0, k), confident - 0.5, 1e-6);
    }
}

TEST(ModalityContributionTest, PerClassFiguresCountEachClassOnItsOwnWindows) {
    // Class 0: windows 0 (right, p = e^2/(e^2+1)) and 1 (wrong, p = 1/(1+e^1));
    // class 1: window 2 (logits 0, 3: right, p = e^3/(e^3+1)).
    const std::vector<float> logits{2, 0, 0, 1, 0, 3};
    const auto figures = perClassFigures(logits, torch::tensor(std::vector<int64_t>{0, 0, 1}), 2);
    EXPECT_EQ(figures[0].samples, 2u);
    EXPECT_DOUBLE_EQ(figures[0].accuracy, 0.5);
    const double p0 = std::exp(2.0) / (std::exp(2.0) + 1), p1 = 1 / (1 + std::exp(1.0));
    EXPECT_NEAR(figures[0].mean_confidence, (p0 + p1) / 2, 1e-6);
    EXPECT_EQ(figures[1].samples, 1u);
    EXPECT_DOUBLE_EQ(figures[1].accuracy, 1.0);
    EXPECT_NEAR(figures[1].mean_confidence, std::exp(3.0) / (std::exp(3.0) + 1), 1e-6);
}

TEST(ModalityContributionTest, CsvAndJsonHaveARowPerClassAndCondition) {
    train::MultimodalNet net = imageOnlyNet();
    const ModalityContributions c =
        modalityContributions(net, imageLabelledSplit(), {0, 1}, {"left", "right"});
    const std::string csv = contributionsCsv(c);
    EXPECT_EQ(csv.rfind("class,masked,samples,accuracy,mean_confidence,accuracy_drop,confidence_drop\n", 0),
              0u);
    EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'),
              1 + 2 * 3);  // header + 2 classes × (none, image, audio)
    EXPECT_NE(csv.find("\"right\",\"audio\",2,"), std::string::npos);
    const nlohmann::json j = c;
    ASSERT_EQ(j["conditions"].size(), 3u);
    EXPECT_TRUE(j["conditions"][0]["masked"].is_null());
    EXPECT_EQ(j["conditions"][2]["masked"], "audio");
    EXPECT_EQ(j["conditions"][2]["per_class"][1]["accuracy_drop"], 0.0);
}

}  // namespace
}  // namespace tm2::explain
