#include "core/workflow/spec_rows.h"

#include <gtest/gtest.h>

#include "core/model/presets.h"

namespace tm2::workflow {
namespace {

using model::LayerSpec;
using model::LayerType;

LayerSpec conv(LayerType type, int filters, int kernel, int padding) {
    LayerSpec l;
    l.type = type;
    l.out_channels = filters;
    l.kernel = kernel;
    l.padding = padding;
    return l;
}

LayerSpec simple(LayerType type) {
    LayerSpec l;
    l.type = type;
    if (type == LayerType::MaxPool2d) {
        l.kernel = 2;
        l.stride = 2;
    }
    return l;
}

LayerSpec fc(int units) {
    LayerSpec l;
    l.type = LayerType::Fc;
    l.out_features = units;
    return l;
}

// One branch 1×8×8: conv 4@3×3 → dsconv 8@3×3 pad 1 → maxpool 2 → flatten → fc 10; 3 classes.
model::ModelSpec handSpec() {
    model::ModelSpec spec;
    model::BranchSpec b;
    b.modality = "image";
    b.input = {1, 8, 8};
    b.layers = {conv(LayerType::Conv2d, 4, 3, 0), conv(LayerType::DsConv2d, 8, 3, 1), simple(LayerType::MaxPool2d),
                simple(LayerType::Flatten), fc(10)};
    spec.branches = {b};
    spec.num_classes = 3;
    return spec;
}

const SpecRow& row(const SpecSummary& s, const std::string& branch, int index) {
    for (const auto& r : s.rows)
        if (r.branch == branch && r.index == index) return r;
    throw std::runtime_error("no row " + branch + " " + std::to_string(index));
}

TEST(SpecRows, Table1CostsPerBlockAndTotals) {
    const SpecSummary s = summarizeSpec(handSpec());
    ASSERT_TRUE(s.valid) << s.error;
    ASSERT_EQ(s.rows.size(), 6u);  // 5 layers + classifier
    // conv: K·K·M·N = 3·3·1·4 = 36 weights, · F·F = 36 positions → 1296 MACs.
    EXPECT_EQ(row(s, "image", 0).out, (std::vector<std::size_t>{4, 6, 6}));
    EXPECT_EQ(row(s, "image", 0).params, 36);
    EXPECT_EQ(row(s, "image", 0).bias, 4);
    EXPECT_EQ(row(s, "image", 0).macs, 1296);
    EXPECT_EQ(row(s, "image", 0).bytes_fp32, 160);
    EXPECT_EQ(row(s, "image", 0).bytes_int8, 36 + 16);
    // dsconv: K·K·M + M·N = 36 + 32 = 68; MACs (36 + 32) · 36 = 2448.
    EXPECT_EQ(row(s, "image", 1).out, (std::vector<std::size_t>{8, 6, 6}));
    EXPECT_EQ(row(s, "image", 1).params, 68);
    EXPECT_EQ(row(s, "image", 1).macs, 2448);
    EXPECT_EQ(row(s, "image", 2).out, (std::vector<std::size_t>{8, 3, 3}));
    EXPECT_EQ(row(s, "image", 3).out, (std::vector<std::size_t>{72}));
    EXPECT_EQ(row(s, "image", 4).params, 720);
    EXPECT_EQ(row(s, "head", -1).params, 30);
    EXPECT_EQ(row(s, "head", -1).out, (std::vector<std::size_t>{3}));
    // params 36+4 + 68+8 + 720+10 + 30+3 = 879; MACs 1296 + 2448 + 720 + 30 = 4494.
    EXPECT_EQ(s.totals.params, 879);
    EXPECT_EQ(s.totals.macs, 4494);
    EXPECT_EQ(s.totals.bytes_fp32, 879 * 4);
    EXPECT_EQ(s.totals.bytes_int8, 854 + 4 * 25);
}

TEST(SpecRows, GatedFilmAndAttentionFusionsShowTheirFcsBeforeTheClassifier) {
    // handSpec's image branch (10 features) plus an audio branch of 2·3 = 6 flattened features.
    model::ModelSpec spec = handSpec();
    model::BranchSpec audio;
    audio.modality = "audio";
    audio.input = {1, 2, 3};
    audio.layers = {simple(LayerType::Flatten)};
    spec.branches.push_back(audio);
    spec.fusion.type = model::FusionType::Gated;
    SpecSummary s = summarizeSpec(spec);
    ASSERT_TRUE(s.valid) << s.error;
    // Gates: fc 16 → 10 (160 weights + 10 biases) and 16 → 6 (96 + 6); classifier 16 → 3 (48 + 3).
    std::vector<const SpecRow*> implicit;
    for (const auto& r : s.rows)
        if (r.branch == "head" && r.index < 0) implicit.push_back(&r);
    ASSERT_EQ(implicit.size(), 3u);
    EXPECT_TRUE(implicit[0]->fusion_gate);
    EXPECT_EQ(implicit[0]->settings, "gate of image, sigmoid");
    EXPECT_EQ(implicit[0]->params, 160);
    EXPECT_EQ(implicit[1]->params, 96);
    EXPECT_EQ(implicit[1]->out, (std::vector<std::size_t>{6}));
    EXPECT_FALSE(implicit[2]->fusion_gate);
    EXPECT_EQ(implicit[2]->params, 48);

    spec.fusion.type = model::FusionType::Film;
    s = summarizeSpec(spec);
    ASSERT_TRUE(s.valid) << s.error;
    // FiLM: image conditions audio, scale and shift each fc 10 → 6 (60 weights + 6 biases).
    implicit.clear();
    for (const auto& r : s.rows)
        if (r.branch == "head" && r.index < 0) implicit.push_back(&r);
    ASSERT_EQ(implicit.size(), 3u);
    EXPECT_EQ(implicit[0]->settings, "FiLM scale γ of audio from image");
    EXPECT_EQ(implicit[1]->params, 60);
    EXPECT_EQ(implicit[1]->bias, 6);
    EXPECT_EQ(implicit[2]->params, 48);

    spec.fusion.type = model::FusionType::Attention;
    s = summarizeSpec(spec);
    ASSERT_TRUE(s.valid) << s.error;
    // Attention: one score fc 16 → 2 (32 weights + 2 biases), then the classifier.
    implicit.clear();
    for (const auto& r : s.rows)
        if (r.branch == "head" && r.index < 0) implicit.push_back(&r);
    ASSERT_EQ(implicit.size(), 2u);
    EXPECT_TRUE(implicit[0]->fusion_gate);
    EXPECT_EQ(implicit[0]->settings, "attention scores of image, audio, softmax");
    EXPECT_EQ(implicit[0]->params, 32);
    EXPECT_EQ(implicit[0]->bias, 2);
    EXPECT_EQ(implicit[0]->macs, 32);
    EXPECT_EQ(implicit[1]->params, 48);
}

TEST(SpecRows, KernelLargerThanInputMarksExactlyThatBlock) {
    model::ModelSpec spec = handSpec();
    spec.branches[0].layers[2].kernel = 9;  // maxpool on 6×6
    model::BranchSpec audio = handSpec().branches[0];
    audio.modality = "audio";
    spec.branches.push_back(audio);
    const SpecSummary s = summarizeSpec(spec);
    EXPECT_FALSE(s.valid);
    EXPECT_NE(s.error.find("layer 2 (maxpool2d)"), std::string::npos) << s.error;
    int marked = 0;
    for (const auto& r : s.rows) marked += !r.error.empty();
    EXPECT_EQ(marked, 1);
    EXPECT_NE(row(s, "image", 2).error.find("smaller than kernel 9×9"), std::string::npos);
    // Blocks before it keep their shapes; after it nothing is known.
    EXPECT_EQ(row(s, "image", 1).out, (std::vector<std::size_t>{8, 6, 6}));
    EXPECT_TRUE(row(s, "image", 3).out.empty());
    // The healthy branch is still complete.
    EXPECT_EQ(row(s, "audio", 4).out, (std::vector<std::size_t>{10}));
    EXPECT_EQ(row(s, "audio", 4).params, 720);
}

TEST(SpecRows, MissingFlattenAndBadHeadAreLocated) {
    model::ModelSpec spec = handSpec();
    spec.branches[0].layers.erase(spec.branches[0].layers.begin() + 3);  // fc right after maxpool
    SpecSummary s = summarizeSpec(spec);
    EXPECT_NE(row(s, "image", 3).error.find("add a flatten"), std::string::npos) << row(s, "image", 3).error;

    spec = handSpec();
    spec.head = {fc(6), conv(LayerType::Conv2d, 4, 3, 0)};
    s = summarizeSpec(spec);
    EXPECT_TRUE(row(s, "head", 0).error.empty());
    EXPECT_EQ(row(s, "head", 0).out, (std::vector<std::size_t>{6}));
    EXPECT_NE(row(s, "head", 1).error.find("needs a C×H×W input"), std::string::npos);
    EXPECT_TRUE(row(s, "head", -1).out.empty());
}

TEST(SpecRows, BranchWithoutInputShapeMarksItsFirstBlock) {
    model::ModelSpec spec = handSpec();
    spec.branches[0].input.clear();
    const SpecSummary s = summarizeSpec(spec);
    EXPECT_FALSE(s.valid);
    EXPECT_NE(row(s, "image", 0).error.find("input shape unknown"), std::string::npos);
    EXPECT_EQ(s.totals.params, 0);
}

TEST(SpecRows, PresetsBindToDefaultOrDatasetShapes) {
    const model::ModelSpec preset = model::loadPreset("tinym2net-image-audio");
    const DesignInputs defaults = defaultDesignInputs(preset);
    EXPECT_EQ(defaults.shapes.at("image"), (std::vector<std::size_t>{1, 28, 28}));
    EXPECT_EQ(defaults.shapes.at("audio").size(), 3u);
    EXPECT_EQ(defaults.classes, 10);
    const model::ModelSpec bound = bindDesignInputs(preset, defaults);
    EXPECT_EQ(bound.num_classes, 10);
    const SpecSummary s = summarizeSpec(bound);
    ASSERT_TRUE(s.valid) << s.error;
    EXPECT_EQ(s.rows.size(), 11u + 11u + 2u + 1u);
    // image: 28 → pool 14 → 7 → 3; flatten 64·3·3 = 576.
    EXPECT_EQ(row(s, "image", 9).out, (std::vector<std::size_t>{576}));
    // conv 16@3×3 on 1×28×28 (pad 1): 144 weights, 144 · 784 MACs.
    EXPECT_EQ(row(s, "image", 0).macs, 144 * 784);

    data::DatasetSpec ds;
    data::ModalitySpec image;
    image.name = "image";
    image.kind = data::ModalityKind::Image;
    image.image.width = image.image.height = 32;
    ds.modalities = {image};
    const DesignInputs from_data = designInputsFromDataset(ds, 4);
    EXPECT_EQ(from_data.shapes.at("image"), (std::vector<std::size_t>{1, 32, 32}));
    const model::ModelSpec b2 = bindDesignInputs(model::loadPreset("tinym2net-image-audio"), from_data);
    EXPECT_EQ(b2.branches[0].input, (std::vector<std::size_t>{1, 32, 32}));
    EXPECT_TRUE(b2.branches[1].input.empty());  // no "audio" modality in that dataset
    EXPECT_EQ(b2.num_classes, 4);
}

TEST(SpecRows, SettingsAndShapeText) {
    EXPECT_EQ(layerSettingsText(conv(LayerType::Conv2d, 16, 3, 1)), "16 filters, 3×3, stride 1, pad 1, relu");
    LayerSpec pool = simple(LayerType::MaxPool2d);
    pool.stride = 0;  // = kernel
    EXPECT_EQ(layerSettingsText(pool), "2×2, stride 2");
    LayerSpec drop = simple(LayerType::Dropout);
    drop.p = 0.25;
    EXPECT_EQ(layerSettingsText(drop), "p 0.25");
    EXPECT_EQ(layerSettingsText(fc(32)), "32 units, relu");
    EXPECT_EQ(shapeText({16, 28, 28}), "16×28×28");
    EXPECT_EQ(shapeText({}), "—");
}

}  // namespace
}  // namespace tm2::workflow
