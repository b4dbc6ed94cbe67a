#include "core/model/training_memory.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <functional>
#include <nlohmann/json.hpp>

#include "core/base/error.h"
#include "core/model/cost_table.h"
#include "core/model/shape_inference.h"

namespace tm2::model {
namespace {

using nlohmann::json;
using ::testing::AllOf;
using ::testing::HasSubstr;

ModelSpec specOf(const std::string& text) { return json::parse(text).get<ModelSpec>(); }

std::string errorOf(const std::function<void()>& f) {
    try {
        f();
    } catch (const Error& e) {
        return e.what();
    }
    return "no error";
}

// The cost table test's model: 1×28×28 → conv 8 (pad 1) → maxpool 2 → dsconv 16 (pad 1,
// no bias) → batchnorm → flatten 3136 → classifier 10.
const char* kSmallModel = R"({
  "name": "small",
  "branches": [{"modality": "image", "input": [1, 28, 28], "layers": [
    {"type": "conv2d", "out_channels": 8, "kernel": 3, "padding": 1},
    {"type": "maxpool2d", "kernel": 2},
    {"type": "dsconv2d", "out_channels": 16, "kernel": 3, "padding": 1, "bias": false},
    {"type": "batchnorm"},
    {"type": "flatten"}]}],
  "num_classes": 10
})";

TEST(TrainingMemoryTest, CountsParametersFourTimesAndActivationsTwicePerSample) {
    const TrainingMemory m = estimateTrainingMemory(specOf(kSmallModel), 2);
    // Weights + bias: conv 72 + 8, depthwise 72, pointwise 128, classifier 31360 + 10 = 31650,
    // × 4 bytes × 4 copies.
    EXPECT_EQ(m.parameter_bytes, 31650 * 16);
    // Input 784 · 2 · 4, then outputs 6272 + 1568 + 1568 (depthwise) + 3136 (pointwise) + 3136
    // (batchnorm) + 3136 (flatten) + 10 = 18826 elements · 2 samples · 4 bytes · 2.
    EXPECT_EQ(m.activation_bytes, 784 * 2 * 4 + 18826 * 2 * 8);
    // The classifier: 31370 · 16 + 10 · 2 · 8 = 502080 bytes, more than the conv's 101632.
    EXPECT_EQ(m.largest_layer, "classifier");
    EXPECT_EQ(m.largest_layer_bytes, 31370 * 16 + 10 * 2 * 8);
    EXPECT_EQ(m.total(), m.parameter_bytes + m.activation_bytes);
}

TEST(TrainingMemoryTest, AnFcTwoToTheThirtyOneWideFailsNamingTheLayer) {
    // 64 features × 2^31 − 1 outputs ≈ 1.4e11 weights ≈ 2 TiB with gradients and Adam.
    const ModelSpec spec = specOf(R"({"name": "wide", "num_classes": 2, "branches": [{"modality": "audio",
        "input": [1, 8, 8], "layers": [{"type": "flatten"}, {"type": "fc", "out_features": 2147483647}]}]})");
    EXPECT_THAT(
        errorOf([&] { checkTrainingMemory(spec, 32, kDefaultTrainingMemoryBudget, "--memory-budget-mb"); }),
        AllOf(HasSubstr("model 'wide' needs about"), HasSubstr("more than the budget of 4.0 GiB"),
              HasSubstr("(--memory-budget-mb)"), HasSubstr("layer 'audio.1.fc' alone needs")));
}

TEST(TrainingMemoryTest, HundredThousandChannelsFailAtTheTrainingBatchButNotAtOne) {
    // conv 3×3 pad 1 to 100000 channels on 1×16×16: 2.56e7 output elements per sample,
    // · 8 bytes = 205 MB per sample: 6.6 GB at batch 32, 0.2 GB at batch 1.
    const ModelSpec spec = specOf(R"({"name": "deep", "num_classes": 2, "branches": [{"modality": "image",
        "input": [1, 16, 16], "layers": [{"type": "conv2d", "out_channels": 100000, "kernel": 3, "padding": 1},
        {"type": "maxpool2d", "kernel": 16}, {"type": "flatten"}]}]})");
    EXPECT_THAT(errorOf([&] { checkTrainingMemory(spec, 32, kDefaultTrainingMemoryBudget, "opt"); }),
                HasSubstr("layer 'image.0.conv2d' alone needs"));
    EXPECT_EQ(errorOf([&] { checkTrainingMemory(spec, 1, kDefaultTrainingMemoryBudget, "opt"); }),
              "no error");
}

TEST(TrainingMemoryTest, SizesBeyondSixtyFourBitsAreRefusedNotWrapped) {
    // 2^30 features × (2^31 − 1) outputs ≈ 2^61 weights: · 16 bytes leaves int64.
    const ModelSpec spec = specOf(R"({"name": "huge", "num_classes": 2, "branches": [{"modality": "audio",
        "input": [1, 32768, 32768], "layers": [{"type": "flatten"}, {"type": "fc", "out_features": 2147483647}]}]})");
    EXPECT_THAT(errorOf([&] { estimateTrainingMemory(spec, 1); }),
                HasSubstr("audio.1.fc: training memory exceeds the 64-bit range"));
}

TEST(CostTableOverflowTest, TotalsAndBopsBeyondSixtyFourBitsThrowInsteadOfWrapping) {
    // Four branches of 2^30 features → fc (2^31 − 1): each ≈ 2^61 params and MACs, so the
    // totals reach ≈ 2^63 and BOPS at 8 bits (× 64) ≈ 2^67.
    std::string branches;
    for (int b = 0; b < 4; ++b)
        branches += std::string(b ? "," : "") + R"({"modality": "m)" + std::to_string(b) +
                    R"(", "input": [1, 32768, 32768], "layers": [{"type": "flatten"},
                    {"type": "fc", "out_features": 2147483647}]})";
    const ModelSpec spec = specOf(R"({"name": "x", "num_classes": 2, "branches": [)" + branches + "]}");
    const CostTable table = computeCostTable(inferShapes(spec), spec);
    EXPECT_THAT(errorOf([&] { table.totalParams(); }), HasSubstr("64-bit range"));
    EXPECT_THAT(errorOf([&] { table.totalMacs(); }), HasSubstr("64-bit range"));
    EXPECT_THAT(errorOf([&] { table.layers[1].bops(8); }), HasSubstr("m0.1.fc"));
    // Bytes are exact where params · bits itself would wrap: 2^30 · (2^31 − 1) weights at 8 bits.
    EXPECT_EQ(table.layers[1].weightBytes(8), (std::int64_t{1} << 30) * 2147483647);
}

}  // namespace
}  // namespace tm2::model
