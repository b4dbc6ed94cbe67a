#include "core/quant/layer_pins.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/base/error.h"

namespace tm2::quant {
namespace {

using Bits = std::map<std::string, int>;

// The weight layers of a two-branch concat network, as MultimodalNet names them.
std::vector<NamedLayer> concatNet() {
    return {{"image.0.conv2d", "image"},
            {"image.3.dsconv2d.depthwise", "image"},
            {"image.3.dsconv2d.pointwise", "image"},
            {"image.5.fc", "image"},
            {"audio.0.dsconv2d.depthwise", "audio"},
            {"audio.0.dsconv2d.pointwise", "audio"},
            {"audio.2.fc", "audio"},
            {"head.0.fc", "head"},
            {"classifier", "head"}};
}

TEST(LayerPinsTest, FirstPinsEachBranchsFirstWeightLayerBothHalvesOfASeparableOne) {
    EXPECT_EQ(pinnedLayerBits(concatNet(), {PinGroup::First}, 8),
              (Bits{{"image.0.conv2d", 8}, {"audio.0.dsconv2d.depthwise", 8}, {"audio.0.dsconv2d.pointwise", 8}}));
}

TEST(LayerPinsTest, HeadPinsTheFusionHeadAndClassifierAndClassifierOnlyTheLogits) {
    EXPECT_EQ(pinnedLayerBits(concatNet(), {PinGroup::Head}, 8), (Bits{{"head.0.fc", 8}, {"classifier", 8}}));
    EXPECT_EQ(pinnedLayerBits(concatNet(), {PinGroup::Classifier}, 8), (Bits{{"classifier", 8}}));
    // Late fusion: one classifier per branch, no head.
    const std::vector<NamedLayer> late{{"image.0.conv2d", "image"}, {"image.classifier", "image"},
                                       {"audio.0.conv2d", "audio"}, {"audio.classifier", "audio"}};
    EXPECT_EQ(pinnedLayerBits(late, {PinGroup::Classifier, PinGroup::First}, 8),
              (Bits{{"image.0.conv2d", 8}, {"image.classifier", 8}, {"audio.0.conv2d", 8}, {"audio.classifier", 8}}));
}

TEST(LayerPinsTest, ExplicitPinsWinAndMustNameALayer) {
    EXPECT_EQ(pinnedLayerBits(concatNet(), {PinGroup::Classifier}, 8, {{"classifier", 4}, {"image.5.fc", 8}}),
              (Bits{{"classifier", 4}, {"image.5.fc", 8}}));
    EXPECT_THAT([] { pinnedLayerBits(concatNet(), {}, 8, {{"nope", 8}}); },
                ::testing::ThrowsMessage<Error>(::testing::HasSubstr("'nope'")));
}

TEST(LayerPinsTest, NamesReadBackAndUnknownOnesAreErrors) {
    for (PinGroup g : {PinGroup::First, PinGroup::Head, PinGroup::Classifier})
        EXPECT_EQ(pinGroupFromString(toString(g)), g);
    EXPECT_THAT([] { pinGroupFromString("last"); },
                ::testing::ThrowsMessage<Error>(::testing::HasSubstr("first, head, classifier")));
}

}  // namespace
}  // namespace tm2::quant
