#include "core/explain/saliency.h"

#include <gtest/gtest.h>

#include "core/base/error.h"
#include "tests/core/explain/hand_built_net.h"

namespace tm2::explain {
namespace {

using testing::handBuiltSpec;
using testing::layerOf;

// The image fc reads only the top-left 4 × 4 quadrant (weight 1 there, 0 elsewhere);
// the audio fc reads only frames 3, 4 and 5 (every coefficient); the classifier sums
// all features into class 0 and ignores them for class 1. So ∂logit0/∂x is 1 on the
// cells read and 0 elsewhere, and x·∂logit0/∂x = x there: with x in [0.5, 1.5] the
// map is exactly the input on the cells read and exactly 0 on the rest.
train::MultimodalNet quadrantAndFramesNet() {
    train::MultimodalNet net(handBuiltSpec(/*features_per_branch=*/2, /*classes=*/2), /*aux_heads=*/false);
    torch::NoGradGuard no_grad;
    torch::Tensor image_w = torch::zeros({2, 64});
    for (int r = 0; r < 4; ++r)
        for (int c = 0; c < 4; ++c) image_w.index_put_({torch::indexing::Slice(), r * 8 + c}, 0.5);
    layerOf(net, "image").weight().copy_(image_w);
    torch::Tensor audio_w = torch::zeros({2, 60});
    for (int coefficient = 0; coefficient < 6; ++coefficient)
        for (int frame = 3; frame <= 5; ++frame)
            audio_w.index_put_({torch::indexing::Slice(), coefficient * 10 + frame}, 0.5);
    layerOf(net, "audio").weight().copy_(audio_w);
    torch::Tensor classifier = torch::zeros({2, 4});
    classifier[0].fill_(1.0);
    layerOf(net, "head").weight().copy_(classifier);
    layerOf(net, "head").bias().zero_();
    return net;
}

std::vector<torch::Tensor> positiveInputs() {
    torch::manual_seed(7);
    return {torch::rand({1, 8, 8}) + 0.5, torch::rand({1, 6, 10}) + 0.5};
}

TEST(SaliencyTest, ANetworkReadingOneImageQuadrantLightsOnlyThatQuadrant) {
    train::MultimodalNet net = quadrantAndFramesNet();
    const std::vector<torch::Tensor> inputs = positiveInputs();
    const SampleSaliency s = gradientTimesInput(net, inputs);
    ASSERT_EQ(s.branches.size(), 2u);
    const BranchSaliency& image = s.branches[0];
    EXPECT_EQ(image.modality, "image");
    ASSERT_EQ(image.rows, 8u);
    ASSERT_EQ(image.cols, 8u);
    for (std::size_t r = 0; r < 8; ++r)
        for (std::size_t c = 0; c < 8; ++c) {
            const float v = image.saliency[r * 8 + c];
            if (r < 4 && c < 4)  // x · (0.5 + 0.5) through the two features
                EXPECT_NEAR(v, inputs[0][0][r][c].item<float>(), 1e-5) << r << "," << c;
            else
                EXPECT_EQ(v, 0.0f) << r << "," << c;
        }
}

TEST(SaliencyTest, AnMfccNetworkReadingSomeFramesLightsOnlyThoseFrames) {
    train::MultimodalNet net = quadrantAndFramesNet();
    const SampleSaliency s = gradientTimesInput(net, positiveInputs());
    const BranchSaliency& audio = s.branches[1];
    EXPECT_EQ(audio.modality, "audio");
    ASSERT_EQ(audio.rows, 6u);   // coefficients
    ASSERT_EQ(audio.cols, 10u);  // frames
    for (std::size_t coefficient = 0; coefficient < 6; ++coefficient)
        for (std::size_t frame = 0; frame < 10; ++frame) {
            const float v = audio.saliency[coefficient * 10 + frame];
            if (frame >= 3 && frame <= 5)
                EXPECT_GT(v, 0.0f) << coefficient << "," << frame;
            else
                EXPECT_EQ(v, 0.0f) << coefficient << "," << frame;
        }
}

TEST(SaliencyTest, ExplainsThePredictedClassUnlessAskedForAnother) {
    train::MultimodalNet net = quadrantAndFramesNet();
    // Positive inputs make logit 0 positive and logit 1 zero: class 0 is predicted.
    const SampleSaliency predicted = gradientTimesInput(net, positiveInputs());
    EXPECT_EQ(predicted.predicted_class, 0);
    EXPECT_EQ(predicted.explained_class, 0);
    EXPECT_GT(predicted.probabilities[0], predicted.probabilities[1]);
    // Logit 1 reads nothing (its classifier row is zero): its map is dark everywhere.
    const SampleSaliency other = gradientTimesInput(net, positiveInputs(), 1);
    EXPECT_EQ(other.explained_class, 1);
    EXPECT_EQ(other.branches[0].total, 0.0);
    EXPECT_EQ(other.branches[1].total, 0.0);
}

TEST(SaliencyTest, RejectsAClassOutOfRangeAndInputsOfTheWrongShape) {
    train::MultimodalNet net = quadrantAndFramesNet();
    EXPECT_THROW(gradientTimesInput(net, positiveInputs(), 2), Error);
    EXPECT_THROW(gradientTimesInput(net, {torch::rand({1, 8, 8})}), Error);
    EXPECT_THROW(gradientTimesInput(net, {torch::rand({1, 1, 8, 8}), torch::rand({1, 6, 10})}), Error);
}

TEST(SaliencyTest, WorksUnderACallersNoGradGuard) {
    train::MultimodalNet net = quadrantAndFramesNet();
    torch::NoGradGuard no_grad;
    EXPECT_GT(gradientTimesInput(net, positiveInputs()).branches[0].total, 0.0);
}

}  // namespace
}  // namespace tm2::explain
