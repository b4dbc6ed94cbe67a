#include "core/model/presets.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/base/error.h"
#include "core/model/cost_table.h"

namespace tm2::model {
namespace {

using ::testing::HasSubstr;

// The demo datasets' shapes: a 28×28 Fashion-MNIST image and 13 MFCCs × 101 frames (1 s, hop 10 ms).
const std::vector<std::size_t> kImage{1, 28, 28};
const std::vector<std::size_t> kMfcc{1, 13, 101};

CostTable costsAt(ModelSpec spec, const std::vector<std::vector<std::size_t>>& inputs, int classes) {
    for (std::size_t i = 0; i < inputs.size(); ++i) spec.branches[i].input = inputs[i];
    spec.num_classes = classes;
    return computeCostTable(inferShapes(spec), spec);
}

std::vector<std::string> modalities(const ModelSpec& spec) {
    std::vector<std::string> out;
    for (const auto& b : spec.branches) out.push_back(b.modality);
    return out;
}

TEST(PresetsTest, ListsBothCaseStudies) {
    EXPECT_EQ(presetNames(), (std::vector<std::string>{"tinym2net-cough-speech", "tinym2net-image-audio"}));
}

TEST(PresetsTest, FollowThePapersArchitecture) {
    for (const auto& name : presetNames()) {
        const ModelSpec spec = loadPreset(name);
        EXPECT_EQ(spec.name, name);
        EXPECT_EQ(spec.fusion.type, FusionType::Concat) << name;
        EXPECT_EQ(spec.num_classes, 0) << name;  // from the dataset
        ASSERT_EQ(spec.branches.size(), 2u) << name;
        for (const auto& b : spec.branches) {
            EXPECT_TRUE(b.input.empty()) << name;
            ASSERT_FALSE(b.layers.empty());
            EXPECT_EQ(b.layers.front().type, LayerType::Conv2d) << name;  // standard conv first…
            for (std::size_t i = 1; i < b.layers.size(); ++i)
                EXPECT_NE(b.layers[i].type, LayerType::Conv2d) << name << " layer " << i;  // …then DS-CNN
            EXPECT_EQ(b.layers.back().type, LayerType::Fc) << name;                        // per-branch FC
        }
        ASSERT_FALSE(spec.head.empty());
        EXPECT_EQ(spec.head.front().type, LayerType::Fc) << name;
    }
}

TEST(PresetsTest, UnknownNameListsTheAvailableOnes) {
    try {
        loadPreset("tinym2net");
        FAIL() << "expected an error";
    } catch (const Error& e) {
        EXPECT_EQ(std::string(e.what()),
                  "unknown preset 'tinym2net' (available: tinym2net-cough-speech, tinym2net-image-audio)");
    }
}

TEST(PresetsTest, ImageAudioCostsAboutAMillionMacsAtDemoShapes) {
    // Per branch (16/32/64 channels, 3×3, pools of 2), Table 1 by hand:
    //  image 28×28: conv 144·784 = 112896; ds 14×14: (144 + 512)·196 = 128576;
    //               ds 7×7: (288 + 2048)·49 = 114464; fc 64·3·3 → 32: 18432      → 374368
    //  audio 13×101: conv 144·1313 = 189072; ds 6×50: 656·300 = 196800;
    //               ds 3×25: 2336·75 = 175200; fc 64·1·12 → 32: 24576            → 585648
    //  head fc 64 → 32: 2048; classifier 32 → 10: 320.
    const CostTable t = costsAt(loadPreset("tinym2net-image-audio"), {kImage, kMfcc}, 10);
    EXPECT_EQ(t.totalMacs(), 374368 + 585648 + 2048 + 320);  // 962384
    EXPECT_EQ(t.totalParams(), 51648);  // same walk over the weights, cross-checked with numpy offline
    EXPECT_EQ(t.totalBias(), 330);
    EXPECT_EQ(t.peakOutputBytes(8), 16 * 13 * 101);  // the audio stem's 16×13×101 output
}

TEST(PresetsTest, CoughSpeechCostsAtDemoShapes) {
    // Two audio branches as above (585648 MACs each), head 2048, classifier 32 → 2: 64.
    const CostTable t = costsAt(loadPreset("tinym2net-cough-speech"), {kMfcc, kMfcc}, 2);
    EXPECT_EQ(t.totalMacs(), 2 * 585648 + 2048 + 64);  // 1173408
    EXPECT_EQ(t.totalParams(), 57536);
}

TEST(PresetsTest, ImageAndAudioGetTheImageAudioPresetInDatasetOrder) {
    const ModelSpec spec = presetForModalities({{"mic", "audio"}, {"camera", "image"}});
    EXPECT_EQ(spec.name, "tinym2net-image-audio");
    EXPECT_EQ(modalities(spec), (std::vector<std::string>{"mic", "camera"}));
    // The image branch went to "camera": same cost as the preset's image branch.
    EXPECT_EQ(costsAt(spec, {kMfcc, kImage}, 10).totalMacs(), 962384);
}

TEST(PresetsTest, TwoAudioModalitiesGetTheCoughSpeechPreset) {
    const ModelSpec spec = presetForModalities({{"cough", "audio"}, {"voice", "audio"}});
    EXPECT_EQ(spec.name, "tinym2net-cough-speech");
    EXPECT_EQ(modalities(spec), (std::vector<std::string>{"cough", "voice"}));
}

TEST(PresetsTest, OneModalityGetsItsBranchAlone) {
    const ModelSpec image = presetForModalities({{"photo", "image"}});
    EXPECT_EQ(modalities(image), (std::vector<std::string>{"photo"}));
    // The head fc now sees 32 features, not 64: 374368 + 32·32 + classifier 320.
    EXPECT_EQ(costsAt(image, {kImage}, 10).totalMacs(), 374368 + 1024 + 320);
    const ModelSpec audio = presetForModalities({{"speech", "audio"}});
    EXPECT_EQ(modalities(audio), (std::vector<std::string>{"speech"}));
}

TEST(PresetsTest, OtherCombinationsAreErrors) {
    EXPECT_THAT(
        [] {
            presetForModalities({{"a", "image"}, {"b", "image"}});
        },
        ::testing::ThrowsMessage<Error>(HasSubstr("no preset for modalities a (image), b (image)")));
    EXPECT_THROW(presetForModalities({}), Error);
    EXPECT_THROW(presetForModalities({{"a", "audio"}, {"b", "audio"}, {"c", "image"}}), Error);
    EXPECT_THAT(
        [] {
            presetForModalities({{"v", "video"}});
        },
        ::testing::ThrowsMessage<Error>(HasSubstr("modality 'v': kind must be image or audio")));
    EXPECT_THROW(presetForModalities({{"a", "audio"}, {"a", "audio"}}), Error);
}

}  // namespace
}  // namespace tm2::model
