#include "core/model/shape_inference.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "core/base/error.h"

namespace tm2::model {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;
using Shape = std::vector<std::size_t>;

// A model from JSON text; tests keep their specs readable this way.
ModelSpec spec(const std::string& text) { return json::parse(text).get<ModelSpec>(); }

// One branch "x" on `input` with `layers`, flattened and classified into 3 classes.
ModelSpec single(const std::string& input, const std::string& layers) {
    return spec(R"({"branches": [{"modality": "x", "input": )" + input + R"(, "layers": )" + layers +
                R"(}], "num_classes": 3})");
}

std::string errorOf(const ModelSpec& m) {
    try {
        inferShapes(m);
    } catch (const Error& e) {
        return e.what();
    }
    return "no error";
}

TEST(ShapeInferenceTest, ConvFollowsTheFloorFormula) {
    // (28 + 2·1 − 3) / 2 + 1 = 27 / 2 + 1 = 14 (floor), then (14 + 0 − 5) / 1 + 1 = 10.
    const ShapeReport r = inferShapes(single("[1, 28, 28]", R"([
        {"type": "conv2d", "out_channels": 8, "kernel": 3, "stride": 2, "padding": 1},
        {"type": "dsconv2d", "out_channels": 12, "kernel": 5},
        {"type": "flatten"}])"));
    EXPECT_EQ(r.layers[0].out, (Shape{8, 14, 14}));
    EXPECT_EQ(r.layers[1].in, (Shape{8, 14, 14}));
    EXPECT_EQ(r.layers[1].out, (Shape{12, 10, 10}));  // depthwise sets H×W, pointwise the channels
    EXPECT_EQ(r.layers[2].out, (Shape{1200}));
}

TEST(ShapeInferenceTest, MaxPoolStrideZeroMeansKernelAndFloorsLikePyTorch) {
    // 13×101 pooled by 2: 6×50 (PyTorch floor mode drops the last row/column).
    // 6×50 with kernel 3, stride 2, padding 1: (6 + 2 − 3) / 2 + 1 = 3, (50 + 2 − 3) / 2 + 1 = 25.
    const ShapeReport r = inferShapes(single("[4, 13, 101]", R"([
        {"type": "maxpool2d", "kernel": 2, "stride": 0},
        {"type": "maxpool2d", "kernel": 3, "stride": 2, "padding": 1},
        {"type": "flatten"}])"));
    EXPECT_EQ(r.layers[0].out, (Shape{4, 6, 50}));
    EXPECT_EQ(r.layers[1].out, (Shape{4, 3, 25}));
}

TEST(ShapeInferenceTest, BatchNormAndDropoutKeepTheShape) {
    const ShapeReport r = inferShapes(single("[2, 5, 7]", R"([
        {"type": "batchnorm"}, {"type": "dropout", "p": 0.1}, {"type": "flatten"}, {"type": "batchnorm"}])"));
    EXPECT_EQ(r.layers[1].out, (Shape{2, 5, 7}));
    EXPECT_EQ(r.layers[3].out, (Shape{70}));
}

TEST(ShapeInferenceTest, KernelLargerThanInputIsLocated) {
    // 1×13×101 → pool 2 → 6×50 → pool 2 → 3×25 → pool (3, stride 3) → 1×8; layer 4 pools 1×8 by 2×2.
    EXPECT_EQ(errorOf(single("[1, 13, 101]", R"([
        {"type": "maxpool2d"}, {"type": "batchnorm"}, {"type": "maxpool2d"},
        {"type": "maxpool2d", "kernel": 3}, {"type": "maxpool2d"}, {"type": "flatten"}])")),
              "branch 'x', layer 4 (maxpool2d): input 1×8 is smaller than kernel 2×2");
}

TEST(ShapeInferenceTest, KernelErrorMentionsPadding) {
    EXPECT_EQ(
        errorOf(single("[1, 3, 3]", R"([{"type": "conv2d", "out_channels": 2, "kernel": 7, "padding": 1}])")),
        "branch 'x', layer 0 (conv2d): input 3×3 (padding 1) is smaller than kernel 7×7");
}

TEST(ShapeInferenceTest, FcOnAFeatureMapAsksForAFlatten) {
    EXPECT_EQ(errorOf(single("[32, 7, 7]", R"([{"type": "fc", "out_features": 10}])")),
              "branch 'x', layer 0 (fc): needs a flat input but gets a 32×7×7 feature map; add a flatten "
              "before it");
}

TEST(ShapeInferenceTest, ConvAfterFlattenIsAnError) {
    EXPECT_EQ(
        errorOf(single("[1, 8, 8]", R"([{"type": "flatten"}, {"type": "conv2d", "out_channels": 2}])")),
        "branch 'x', layer 1 (conv2d): needs a C×H×W input but gets 64 features (it comes after a flatten "
        "or fc)");
}

TEST(ShapeInferenceTest, InvalidFieldsOfSpecsBuiltInCodeAreLocated) {
    ModelSpec m = single("[1, 8, 8]", R"([{"type": "conv2d", "out_channels": 2}, {"type": "flatten"}])");
    m.branches[0].layers[0].stride = 0;
    EXPECT_EQ(errorOf(m), "branch 'x', layer 0 (conv2d): stride must be > 0");
}

TEST(ShapeInferenceTest, MissingInputShapeNamesTheBranch) {
    EXPECT_EQ(errorOf(spec(R"({"branches": [{"modality": "audio", "layers": []}], "num_classes": 2})")),
              "branch 'audio': input shape unknown (set 'input' or load a dataset)");
}

TEST(ShapeInferenceTest, BranchEndingInAFeatureMapAsksForFlatten) {
    EXPECT_EQ(errorOf(spec(R"({"branches": [{"modality": "image", "input": [32, 7, 7], "layers": []}],
                               "num_classes": 2})")),
              "branch 'image' ends with a 32×7×7 feature map; add flatten (and fc) before fusion");
}

TEST(ShapeInferenceTest, ClassCountBelowTwoIsAnError) {
    ModelSpec m = single("[1, 2, 2]", R"([{"type": "flatten"}])");
    m.num_classes = 0;
    EXPECT_EQ(errorOf(m), "num_classes: must be >= 2, got 0 (set it or load a dataset)");
}

const char* kTwoBranches = R"({
  "branches": [
    {"modality": "image", "input": [1, 4, 4], "layers": [{"type": "flatten"}]},
    {"modality": "audio", "input": [2, 3, 5], "layers": [{"type": "flatten"}, {"type": "fc", "out_features": 16}]}
  ],
  "head": [{"type": "fc", "out_features": 8}, {"type": "dropout"}],
  "num_classes": 5
})";

TEST(ShapeInferenceTest, ConcatAddsBranchWidthsAndEndsInTheClassifier) {
    const ShapeReport r = inferShapes(spec(kTwoBranches));
    EXPECT_EQ(r.branch_outputs, (std::vector<Shape>{{16}, {16}}));
    EXPECT_EQ(r.fused_features, 32u);  // 1·4·4 + 16
    std::vector<std::string> names;
    for (const auto& l : r.layers) names.push_back(l.name);
    EXPECT_EQ(names, (std::vector<std::string>{"image.0.flatten", "audio.0.flatten", "audio.1.fc",
                                               "head.0.fc", "head.1.dropout", "classifier"}));
    EXPECT_EQ(r.layers[3].in, (Shape{32}));
    EXPECT_EQ(r.layers[3].branch, "head");
    EXPECT_EQ(r.layers[3].index, 0);
    EXPECT_EQ(r.layers.back().in, (Shape{8}));
    EXPECT_EQ(r.layers.back().out, (Shape{5}));
    EXPECT_EQ(r.layers.back().index, -1);
}

TEST(ShapeInferenceTest, SumNeedsEqualWidthsAndNamesThem) {
    ModelSpec m = spec(kTwoBranches);
    m.fusion.type = FusionType::Sum;
    EXPECT_EQ(inferShapes(m).fused_features, 16u);
    m.branches[1].layers[1].out_features = 12;
    EXPECT_EQ(errorOf(m), "sum fusion needs branches of equal width, got image 16, audio 12");
}

TEST(ShapeInferenceTest, LateFusionGivesEachBranchItsClassifier) {
    ModelSpec m = spec(kTwoBranches);
    m.fusion.type = FusionType::Late;
    EXPECT_THAT(errorOf(m), HasSubstr("'head' must be empty (it has 2 layers)"));
    m.head.clear();
    const ShapeReport r = inferShapes(m);
    ASSERT_EQ(r.layers.size(), 5u);
    EXPECT_EQ(r.layers[1].name, "image.classifier");
    EXPECT_EQ(r.layers[1].branch, "image");
    EXPECT_EQ(r.layers[1].in, (Shape{16}));
    EXPECT_EQ(r.layers[4].name, "audio.classifier");
    EXPECT_EQ(r.layers[4].out, (Shape{5}));
    EXPECT_EQ(r.fused_features, 5u);
}

TEST(ShapeInferenceTest, GatedFusionGatesEachBranchFromAllFeaturesBeforeTheHead) {
    ModelSpec m = spec(kTwoBranches);
    m.fusion.type = FusionType::Gated;
    const ShapeReport base = inferShapes(spec(kTwoBranches));
    const ShapeReport r = inferShapes(m);
    ASSERT_EQ(r.layers.size(), base.layers.size() + 2);
    EXPECT_EQ(r.fused_features, base.fused_features);  // the gated features are still concatenated
    // The gates follow the branches' layers and come before the head's.
    const std::size_t first_gate = 3;  // image has one layer, audio two
    EXPECT_EQ(r.layers[first_gate].name, "fusion.gate.image");
    EXPECT_EQ(r.layers[first_gate].branch, "head");
    EXPECT_EQ(r.layers[first_gate].index, -1);
    EXPECT_EQ(r.layers[first_gate].in, (Shape{r.fused_features}));
    EXPECT_EQ(r.layers[first_gate].out, r.branch_outputs[0]);
    EXPECT_EQ(r.layers[first_gate + 1].name, "fusion.gate.audio");
    EXPECT_EQ(r.layers[first_gate + 1].out, r.branch_outputs[1]);
}

TEST(ShapeInferenceTest, FilmConditionsEveryLaterBranchOnTheFirstAndNeedsTwoBranches) {
    ModelSpec m = spec(kTwoBranches);
    m.fusion.type = FusionType::Film;
    const ShapeReport r = inferShapes(m);
    EXPECT_EQ(r.fused_features, 32u);  // [h_image; f_audio], as concat
    // After the branches (3 layers): scale and shift of audio, each fc 16 (image) → 16 (audio).
    EXPECT_EQ(r.layers[3].name, "fusion.film.audio.scale");
    EXPECT_EQ(r.layers[4].name, "fusion.film.audio.shift");
    EXPECT_EQ(r.layers[4].branch, "head");
    EXPECT_EQ(r.layers[4].in, (Shape{16}));
    EXPECT_EQ(r.layers[4].out, (Shape{16}));
    EXPECT_EQ(r.layers[5].name, "head.0.fc");
    m.branches.pop_back();
    EXPECT_EQ(errorOf(m), "film fusion needs at least two branches (the first conditions the others), got 1");
}

TEST(ShapeInferenceTest, AttentionScoresEveryBranchFromAllFeaturesWithOneFc) {
    ModelSpec m = spec(kTwoBranches);
    m.fusion.type = FusionType::Attention;
    const ShapeReport base = inferShapes(spec(kTwoBranches));
    const ShapeReport r = inferShapes(m);
    ASSERT_EQ(r.layers.size(), base.layers.size() + 1);
    EXPECT_EQ(r.fused_features, base.fused_features);  // [α_1·h_1; α_2·h_2], as concat
    // After the branches (3 layers): one fc from the 32 concatenated features to 2 scores.
    EXPECT_EQ(r.layers[3].name, "fusion.attention.score");
    EXPECT_EQ(r.layers[3].branch, "head");
    EXPECT_EQ(r.layers[3].index, -1);
    EXPECT_EQ(r.layers[3].in, (Shape{32}));
    EXPECT_EQ(r.layers[3].out, (Shape{2}));
    EXPECT_EQ(r.layers[4].name, "head.0.fc");
}

TEST(ShapeInferenceTest, DuplicateLayerNamesAreRejected) {
    ModelSpec m = spec(kTwoBranches);
    m.branches[1].layers[1].name = "features";
    m.head[0].name = "features";
    EXPECT_EQ(errorOf(m),
              "duplicate layer name 'features' (branch 'audio', layer 1 (fc) and head, layer 0 (fc))");
}

}  // namespace
}  // namespace tm2::model
