#include "core/model/model_spec.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "core/base/error.h"
#include "tests/support/temp_dir.h"

namespace tm2::model {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;

// Every layer type once, an explicit name, an input shape and non-default fusion.
const char* kFullSpec = R"({
  "name": "full",
  "branches": [
    {"modality": "image", "input": [1, 28, 28], "layers": [
      {"type": "conv2d", "name": "stem", "out_channels": 8, "kernel": 5, "stride": 2, "padding": 2,
       "activation": "none", "bias": false},
      {"type": "batchnorm"},
      {"type": "maxpool2d", "kernel": 3, "stride": 0, "padding": 1},
      {"type": "dsconv2d", "out_channels": 16, "kernel": 3, "stride": 1, "padding": 1, "activation": "relu", "bias": true},
      {"type": "flatten"},
      {"type": "fc", "out_features": 24, "activation": "relu", "bias": true}
    ]},
    {"modality": "audio", "layers": [{"type": "flatten"}, {"type": "fc", "out_features": 24}]}
  ],
  "fusion": {"type": "sum"},
  "head": [{"type": "dropout", "p": 0.25}],
  "num_classes": 4
})";

// One audio branch whose layer list is `layers` (JSON text), for error tests.
json specWithLayers(const std::string& layers) {
    return json::parse(R"({"branches": [{"modality": "audio", "layers": )" + layers + "}]}");
}

std::string errorOf(const json& j) {
    try {
        j.get<ModelSpec>();
    } catch (const Error& e) {
        return e.what();
    }
    return "no error";
}

TEST(ModelSpecTest, ReadsEveryLayerField) {
    const ModelSpec spec = json::parse(kFullSpec).get<ModelSpec>();
    ASSERT_EQ(spec.branches.size(), 2u);
    const LayerSpec& stem = spec.branches[0].layers[0];
    EXPECT_EQ(stem.type, LayerType::Conv2d);
    EXPECT_EQ(stem.name, "stem");
    EXPECT_EQ(stem.out_channels, 8);
    EXPECT_EQ(stem.kernel, 5);
    EXPECT_EQ(stem.stride, 2);
    EXPECT_EQ(stem.padding, 2);
    EXPECT_EQ(stem.activation, Activation::None);
    EXPECT_FALSE(stem.bias);
    EXPECT_EQ(spec.branches[0].input, (std::vector<std::size_t>{1, 28, 28}));
    EXPECT_TRUE(spec.branches[1].input.empty());
    EXPECT_EQ(spec.branches[1].layers[1].out_features, 24);
    EXPECT_EQ(spec.fusion.type, FusionType::Sum);
    EXPECT_DOUBLE_EQ(spec.head[0].p, 0.25);
    EXPECT_EQ(spec.num_classes, 4);
}

TEST(ModelSpecTest, RoundTripsThroughJson) {
    const json original = json(json::parse(kFullSpec).get<ModelSpec>());
    EXPECT_EQ(json(original.get<ModelSpec>()), original);
}

TEST(ModelSpecTest, WritesOnlyTheFieldsOfEachLayerType) {
    const json j = json(json::parse(kFullSpec).get<ModelSpec>());
    const json& pool = j["branches"][0]["layers"][2];
    EXPECT_EQ(pool, json::parse(R"({"type": "maxpool2d", "kernel": 3, "stride": 0, "padding": 1})"));
    EXPECT_EQ(j["branches"][0]["layers"][1], json::parse(R"({"type": "batchnorm"})"));
    EXPECT_EQ(j["head"][0], json::parse(R"({"type": "dropout", "p": 0.25})"));
    EXPECT_FALSE(j["branches"][1].contains("input"));  // empty = from the dataset
}

TEST(ModelSpecTest, MaxPoolDefaultsToStrideOfItsKernel) {
    const LayerSpec pool = json::parse(R"({"type": "maxpool2d"})").get<LayerSpec>();
    EXPECT_EQ(pool.kernel, 2);
    EXPECT_EQ(pool.stride, 0);
}

TEST(ModelSpecTest, RejectsAMisspelledKeyByName) {
    EXPECT_EQ(
        errorOf(specWithLayers(R"([{"type": "conv2d", "out_channels": 8, "kernal": 3}])")),
        "branches[0].layers[0].kernal: unknown key for conv2d (expected one of type, name, out_channels, "
        "kernel, stride, padding, activation, bias)");
}

TEST(ModelSpecTest, RejectsAKeyThatBelongsToAnotherLayerType) {
    EXPECT_THAT(errorOf(specWithLayers(R"([{"type": "flatten"}, {"type": "maxpool2d", "out_features": 4}])")),
                HasSubstr("branches[0].layers[1].out_features: unknown key for maxpool2d"));
}

TEST(ModelSpecTest, NamesTheJsonPathOfAnInvalidValue) {
    json j = json::parse(kFullSpec);
    j["branches"][1]["layers"][1] = json::parse(R"({"type": "flatten"})");
    j["branches"][1]["layers"][2] = json::parse(R"({"type": "dropout"})");
    j["branches"][1]["layers"][3] = json::parse(R"({"type": "maxpool2d", "kernel": 0})");
    EXPECT_EQ(errorOf(j), "branches[1].layers[3].kernel: must be > 0");
}

TEST(ModelSpecTest, RejectsUnknownLayerTypeListingTheKnownOnes) {
    EXPECT_EQ(errorOf(specWithLayers(R"([{"type": "lstm"}])")),
              "branches[0].layers[0].type: expected one of conv2d, dsconv2d, maxpool2d, batchnorm, dropout, "
              "flatten, fc, got \"lstm\"");
}

TEST(ModelSpecTest, RejectsFractionalAndWronglyTypedValues) {
    EXPECT_EQ(errorOf(specWithLayers(R"([{"type": "conv2d", "out_channels": 8, "kernel": 3.5}])")),
              "branches[0].layers[0].kernel: expected an integer, got 3.5");
    EXPECT_THAT(errorOf(specWithLayers(R"([{"type": "fc", "out_features": 2, "bias": "yes"}])")),
                HasSubstr("branches[0].layers[0].bias: wrong type"));
    EXPECT_THAT(errorOf(specWithLayers(R"([{"type": "dropout", "p": 1.0}])")),
                HasSubstr("branches[0].layers[0].p: must be in [0, 1)"));
}

TEST(ModelSpecTest, RequiresTheSizeOfConvAndFcLayers) {
    EXPECT_EQ(errorOf(specWithLayers(R"([{"type": "dsconv2d"}])")),
              "branches[0].layers[0].out_channels: missing (required for dsconv2d)");
    EXPECT_EQ(errorOf(specWithLayers(R"([{"type": "fc"}])")),
              "branches[0].layers[0].out_features: missing (required for fc)");
}

TEST(ModelSpecTest, RejectsBadInputShapesAndDuplicateModalities) {
    json j = json::parse(kFullSpec);
    j["branches"][0]["input"] = {1, 0, 28};
    EXPECT_THAT(errorOf(j), HasSubstr("branches[0].input: sizes must be positive integers"));
    j["branches"][0]["input"] = {28, 28};
    EXPECT_THAT(errorOf(j), HasSubstr("branches[0].input: expected [C, H, W]"));
    j = json::parse(kFullSpec);
    j["branches"][1]["modality"] = "image";
    EXPECT_EQ(errorOf(j), "branches[1].modality: duplicate 'image'");
}

TEST(ModelSpecTest, ReadsAndWritesGatedFusionAndNamesTheFieldOfAnUnknownKind) {
    json j = json::parse(kFullSpec);
    j["fusion"] = {{"type", "gated"}};
    const ModelSpec spec = j.get<ModelSpec>();
    EXPECT_EQ(spec.fusion.type, FusionType::Gated);
    EXPECT_EQ(json(spec)["fusion"], json({{"type", "gated"}}));
    EXPECT_EQ(spec.onlyBranch("image").fusion.type, FusionType::Concat);  // one branch: nothing to gate
    j["fusion"] = {{"type", "gate"}};
    EXPECT_EQ(errorOf(j),
              "fusion.type: expected one of concat, sum, late, gated, film, attention, got \"gate\"");
    j["fusion"] = {{"type", "film"}};
    EXPECT_EQ(j.get<ModelSpec>().fusion.type, FusionType::Film);
    EXPECT_EQ(j.get<ModelSpec>().onlyBranch("audio").fusion.type, FusionType::Concat);
    j["fusion"] = {{"type", "attention"}};
    EXPECT_EQ(j.get<ModelSpec>().fusion.type, FusionType::Attention);
    EXPECT_EQ(json(j.get<ModelSpec>())["fusion"], json({{"type", "attention"}}));
    EXPECT_EQ(j.get<ModelSpec>().onlyBranch("audio").fusion.type, FusionType::Concat);  // nothing to weigh
}

TEST(ModelSpecTest, RejectsUnknownTopLevelKeysAndBadClassCounts) {
    json j = json::parse(kFullSpec);
    j["num_clases"] = 3;
    EXPECT_THAT(errorOf(j), HasSubstr("num_clases: unknown key for a model spec"));
    j = json::parse(kFullSpec);
    j["num_classes"] = 1;
    EXPECT_THAT(errorOf(j), HasSubstr("num_classes: must be 0 (from the dataset) or >= 2"));
}

TEST(ModelSpecTest, ReadErrorsNameTheFile) {
    testing::TempDir dir;
    const std::string path = dir.file("spec.json");
    testing::writeTextFile(path, specWithLayers(R"([{"type": "conv2d", "out_channels": -1}])").dump());
    try {
        readModelSpec(path);
        FAIL() << "expected an error";
    } catch (const Error& e) {
        EXPECT_EQ(std::string(e.what()), path + ": branches[0].layers[0].out_channels: must be > 0");
    }
}

TEST(ModelSpecTest, ParseErrorsGiveTheByteOffset) {
    testing::TempDir dir;
    const std::string path = dir.file("broken.json");
    // `{"name": }`: the parser fails on the '}' — the 10th byte it reads.
    testing::writeTextFile(path, R"({"name": })");
    try {
        readModelSpec(path);
        FAIL() << "expected an error";
    } catch (const Error& e) {
        EXPECT_EQ(std::string(e.what()).rfind(path + ": invalid JSON at byte 10 (", 0), 0u) << e.what();
    }
}

TEST(ModelSpecTest, NumberOverflowIsAnErrorNamingTheFile) {
    testing::TempDir dir;
    const std::string path = dir.file("overflow.json");
    // nlohmann reports 1e999 as out_of_range; it used to escape as an "internal error" elsewhere.
    testing::writeTextFile(path, R"({"branches": [], "num_classes": 1e999})");
    try {
        readModelSpec(path);
        FAIL() << "expected an error";
    } catch (const Error& e) {
        EXPECT_EQ(std::string(e.what()).rfind(path + ": number out of range", 0), 0u) << e.what();
    }
}

TEST(ModelSpecTest, WriteThenReadGivesTheSameSpecAndNoTempFile) {
    testing::TempDir dir;
    const std::string path = dir.file("spec.json");
    const ModelSpec spec = json::parse(kFullSpec).get<ModelSpec>();
    writeModelSpec(path, spec);
    EXPECT_EQ(json(readModelSpec(path)), json(spec));
    EXPECT_FALSE(std::filesystem::exists(path + ".tmp"));
}

TEST(ModelSpecTest, OnlyBranchKeepsOneBranchAndTheHead) {
    const ModelSpec spec = json::parse(kFullSpec).get<ModelSpec>();
    const ModelSpec audio = spec.onlyBranch("audio");
    ASSERT_EQ(audio.branches.size(), 1u);
    EXPECT_EQ(audio.branches[0].modality, "audio");
    EXPECT_EQ(audio.head.size(), 1u);
    EXPECT_EQ(audio.fusion.type, FusionType::Sum);  // a sum of one is the identity
    EXPECT_EQ(audio.num_classes, 4);
}

TEST(ModelSpecTest, OnlyBranchTurnsLateFusionIntoAPlainClassifier) {
    ModelSpec spec = json::parse(kFullSpec).get<ModelSpec>();
    spec.fusion.type = FusionType::Late;
    spec.head.clear();
    EXPECT_EQ(spec.onlyBranch("image").fusion.type, FusionType::Concat);
}

TEST(ModelSpecTest, OnlyBranchOfAMissingModalityThrowsNamingTheBranches) {
    const ModelSpec spec = json::parse(kFullSpec).get<ModelSpec>();
    EXPECT_EQ(spec.findBranch("video"), nullptr);
    try {
        spec.onlyBranch("video");
        FAIL() << "expected an error";
    } catch (const Error& e) {
        EXPECT_EQ(std::string(e.what()), "model 'full' has no branch 'video' (branches: image, audio)");
    }
}

}  // namespace
}  // namespace tm2::model
