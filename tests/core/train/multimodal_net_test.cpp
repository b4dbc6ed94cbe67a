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
    for (auto fusion : {model::FusionType::Concat, model::FusionType::Sum, model::FusionType::Late}) {
        MultimodalNet net(bindSpecToData(toySpec(fusion), data), /*aux_heads=*/true);
        const NetOutput out = net->forward({data.train.inputs[0].slice(0, 0, 5), data.train.inputs[1].slice(0, 0, 5)});
        EXPECT_EQ(out.logits.sizes(), (std::vector<int64_t>{5, 3}));
        ASSERT_EQ(out.aux_logits.size(), 2u);
        EXPECT_EQ(out.aux_logits[1].sizes(), (std::vector<int64_t>{5, 3}));
    }
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
