#include "core/workflow/design_footprint.h"

#include <gtest/gtest.h>

#include "core/base/error.h"
#include "core/model/presets.h"
#include "core/workflow/spec_rows.h"

namespace tm2::workflow {
namespace {

using model::LayerSpec;
using model::LayerType;

LayerSpec layer(LayerType type, int channels = 0, int kernel = 0, int padding = 0) {
    LayerSpec l;
    l.type = type;
    l.out_channels = channels;
    l.out_features = channels;
    l.kernel = kernel;
    l.padding = padding;
    if (type == LayerType::MaxPool2d) l.kernel = l.stride = 2;
    return l;
}

// One branch 1×8×8: conv 4@3×3 → dsconv 8@3×3 pad 1 → batchnorm → maxpool 2 → flatten → fc 10; 3 classes.
model::ModelSpec chainSpec() {
    model::ModelSpec spec;
    model::BranchSpec b;
    b.modality = "image";
    b.input = {1, 8, 8};
    b.layers = {layer(LayerType::Conv2d, 4, 3, 0), layer(LayerType::DsConv2d, 8, 3, 1),
                layer(LayerType::BatchNorm),       layer(LayerType::MaxPool2d),
                layer(LayerType::Flatten),         layer(LayerType::Fc, 10)};
    spec.branches = {b};
    spec.num_classes = 3;
    return spec;
}

TEST(DesignFootprint, PlansTheLargestLiveInputAndOutputOfAChain) {
    // INT8 codes, one byte each: input 64, conv 4×6×6 = 144, depthwise 144, pointwise
    // 8×6×6 = 288, maxpool 72 (80 aligned), fc 10, classifier 3. The largest op is the
    // pointwise: its input 144 + its output 288 = 432; batchnorm and flatten run no op.
    const device::ModelFootprint f = designFootprint(chainSpec());
    EXPECT_EQ(f.arena_bytes, 432);
    EXPECT_EQ(f.ops, 6u);  // conv, depthwise, pointwise, maxpool, fc, classifier
    // MACs: conv 9·1·4·36 = 1296, depthwise 9·4·36 = 1296, pointwise 4·8·36 = 1152, fc 72·10 = 720,
    // classifier 30.
    EXPECT_EQ(f.macs, 4494u);
    EXPECT_NE(f.arena_basis.find("estimate"), std::string::npos);
}

TEST(DesignFootprint, ModelBytesAreTheDesignersInt8Bytes) {
    // Two paths, one figure: the designer's table and the target view must agree.
    for (const auto& spec : {chainSpec(), model::loadPreset("tinym2net-image-audio")}) {
        const SpecSummary s = summarizeSpec(bindDesignInputs(spec, defaultDesignInputs(spec)));
        ASSERT_TRUE(s.valid) << s.error;
        const device::ModelFootprint f = designFootprint(bindDesignInputs(spec, defaultDesignInputs(spec)));
        EXPECT_EQ(f.model_bytes, s.totals.bytes_int8) << spec.name;
        EXPECT_EQ(f.macs, static_cast<std::uint64_t>(s.totals.macs)) << spec.name;
    }
}

TEST(DesignFootprint, KeepsEachBranchsFeaturesUntilTheFusionReadsThem) {
    // Branch a (1×4×4 → fc 8) runs first; its 8 features (16 aligned) stay while branch b
    // (1×4×4 → fc 32 → fc 8) runs: at b's second fc, a's 16 + b's 32 + b's 16 = 64.
    // Were a's features freed early the peak would be 48.
    model::ModelSpec spec;
    model::BranchSpec a, b;
    a.modality = "a";
    a.input = {1, 4, 4};
    a.layers = {layer(LayerType::Flatten), layer(LayerType::Fc, 8)};
    b.modality = "b";
    b.input = {1, 4, 4};
    b.layers = {layer(LayerType::Flatten), layer(LayerType::Fc, 32), layer(LayerType::Fc, 8)};
    spec.branches = {a, b};
    spec.num_classes = 2;
    const device::ModelFootprint f = designFootprint(spec);
    EXPECT_EQ(f.arena_bytes, 64);
    EXPECT_EQ(f.ops, 4u);
}

TEST(DesignFootprint, APlanReplacesTheWeightBytesAndKeepsTheBiases) {
    const model::ModelSpec spec = chainSpec();
    const device::ModelFootprint int8 = designFootprint(spec);
    const device::ModelFootprint plan = planFootprint(spec, 100, "mp");
    // Biases: conv 4 + pointwise 8 + fc 10 + classifier 3 = 25, int32 each.
    EXPECT_EQ(plan.model_bytes, 100 + 4 * 25);
    EXPECT_EQ(plan.arena_bytes, int8.arena_bytes);
    EXPECT_NE(plan.model_basis.find("plan mp"), std::string::npos);
}

TEST(DesignFootprint, AnUnboundSpecIsRefusedWithItsLocation) {
    model::ModelSpec spec = chainSpec();
    spec.branches[0].input.clear();
    EXPECT_THROW(designFootprint(spec), Error);
}

}  // namespace
}  // namespace tm2::workflow
