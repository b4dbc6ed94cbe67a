#include "core/model/cost_table.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "core/base/error.h"

namespace tm2::model {
namespace {

using nlohmann::json;

CostTable costs(const std::string& text) {
    const ModelSpec spec = json::parse(text).get<ModelSpec>();
    return computeCostTable(inferShapes(spec), spec);
}

const LayerCost& row(const CostTable& t, const std::string& name) {
    for (const auto& l : t.layers)
        if (l.name == name) return l;
    throw Error("no row " + name);
}

// Image 1×28×28: conv 3×3 (M=1, N=8, padding 1) → 8×28×28, maxpool 2 → 8×14×14,
// dsconv 3×3 (M=8, N=16, padding 1, no bias) → 16×14×14, batchnorm, flatten → 3136,
// classifier fc 3136 → 10.
const char* kSmallModel = R"({
  "branches": [{"modality": "image", "input": [1, 28, 28], "layers": [
    {"type": "conv2d", "out_channels": 8, "kernel": 3, "padding": 1},
    {"type": "maxpool2d", "kernel": 2},
    {"type": "dsconv2d", "out_channels": 16, "kernel": 3, "padding": 1, "bias": false},
    {"type": "batchnorm"},
    {"type": "flatten"}]}],
  "num_classes": 10
})";

TEST(CostTableTest, ConvMatchesTable1) {
    // params K·K·M·N = 3·3·1·8 = 72; MACs 72 · F·F = 72 · 28·28 = 56448; bias N = 8.
    const CostTable table = costs(kSmallModel);  // the row refers into it
    const LayerCost& conv = row(table, "image.0.conv2d");
    EXPECT_EQ(conv.kind, "conv2d");
    EXPECT_EQ(conv.params, 72);
    EXPECT_EQ(conv.macs, 56448);
    EXPECT_EQ(conv.bias, 8);
    EXPECT_EQ(conv.output_elements, 8 * 28 * 28);
    EXPECT_TRUE(conv.quantizable);
}

TEST(CostTableTest, DsConvSplitsIntoDepthwiseAndPointwiseRows) {
    // depthwise K·K·M = 9·8 = 72 params, 72·14·14 = 14112 MACs;
    // pointwise M·N = 8·16 = 128 params, 128·196 = 25088 MACs;
    // together Table 1's K·K·M + M·N = 200 params and 39200 MACs.
    const CostTable t = costs(kSmallModel);
    const LayerCost& dw = row(t, "image.2.dsconv2d.depthwise");
    const LayerCost& pw = row(t, "image.2.dsconv2d.pointwise");
    EXPECT_EQ(dw.kind, "depthwise");
    EXPECT_EQ(dw.params, 72);
    EXPECT_EQ(dw.macs, 14112);
    EXPECT_EQ(dw.bias, 0);
    EXPECT_EQ(dw.output_elements, 8 * 196);
    EXPECT_EQ(pw.kind, "pointwise");
    EXPECT_EQ(pw.params, 128);
    EXPECT_EQ(pw.macs, 25088);
    EXPECT_EQ(pw.bias, 0);  // "bias": false
    EXPECT_EQ(pw.output_elements, 16 * 196);
    EXPECT_EQ(dw.params + pw.params, 200);
    EXPECT_EQ(dw.macs + pw.macs, 39200);
    EXPECT_TRUE(dw.quantizable && pw.quantizable);
}

TEST(CostTableTest, LayersWithoutWeightsCostNothing) {
    const CostTable t = costs(kSmallModel);
    for (const char* name : {"image.1.maxpool2d", "image.3.batchnorm", "image.4.flatten"}) {
        const LayerCost& l = row(t, name);
        EXPECT_EQ(l.params, 0) << name;
        EXPECT_EQ(l.bias, 0) << name;
        EXPECT_EQ(l.macs, 0) << name;
        EXPECT_FALSE(l.quantizable) << name;
    }
    EXPECT_EQ(row(t, "image.1.maxpool2d").output_elements, 8 * 14 * 14);
    EXPECT_EQ(row(t, "image.4.flatten").output_elements, 3136);
}

TEST(CostTableTest, ClassifierIsAnFcWithBias) {
    // 3136 · 10 = 31360 params and MACs, 10 biases.
    const CostTable table = costs(kSmallModel);
    const LayerCost& c = row(table, "classifier");
    EXPECT_EQ(c.kind, "fc");
    EXPECT_EQ(c.branch, "head");
    EXPECT_EQ(c.params, 31360);
    EXPECT_EQ(c.macs, 31360);
    EXPECT_EQ(c.bias, 10);
    EXPECT_TRUE(c.quantizable);
}

TEST(CostTableTest, TotalsAndBytesAtFourAndEightBits) {
    // params 72 + 72 + 128 + 31360 = 31632; bias 8 + 10 = 18;
    // MACs 56448 + 14112 + 25088 + 31360 = 127008.
    const CostTable t = costs(kSmallModel);
    EXPECT_EQ(t.totalParams(), 31632);
    EXPECT_EQ(t.totalBias(), 18);
    EXPECT_EQ(t.totalMacs(), 127008);
    // Every layer's params are even, so 4 bits is exactly half a byte each.
    EXPECT_EQ(t.totalWeightBytes(8), 31632);
    EXPECT_EQ(t.totalWeightBytes(4), 15816);
    EXPECT_EQ(t.totalBops(8), 127008 * 64);
    EXPECT_EQ(t.totalBops(4), 127008 * 16);
    // Largest activation: the conv's 8·28·28 = 6272 elements.
    EXPECT_EQ(t.peakOutputBytes(8), 6272);
    EXPECT_EQ(t.peakOutputBytes(4), 3136);
}

TEST(CostTableTest, ByteCountsRoundUpPerLayer) {
    LayerCost odd;
    odd.params = 9;           // 9 · 4 bits = 36 bits = 4.5 bytes → 5
    odd.output_elements = 3;  // 3 · 4 bits = 12 bits → 2 bytes
    EXPECT_EQ(odd.weightBytes(4), 5);
    EXPECT_EQ(odd.outputBytes(4), 2);
    EXPECT_EQ(odd.weightBytes(8), 9);
    CostTable t;
    t.layers = {odd, odd};
    EXPECT_EQ(t.totalWeightBytes(4), 10);  // not ceil(72 bits / 8) = 9: layers are packed apart
}

TEST(CostTableTest, JsonCarriesRowsTotalsAndBits) {
    const json j = costTableJson(costs(kSmallModel), 4);
    EXPECT_EQ(j["bits"], 4);
    ASSERT_EQ(j["layers"].size(), 7u);  // 5 layers, dsconv as two rows, classifier
    const json& conv = j["layers"][0];
    EXPECT_EQ(conv["name"], "image.0.conv2d");
    EXPECT_EQ(conv["branch"], "image");
    EXPECT_EQ(conv["kind"], "conv2d");
    EXPECT_EQ(conv["params"], 72);
    EXPECT_EQ(conv["bias"], 8);
    EXPECT_EQ(conv["macs"], 56448);
    EXPECT_EQ(conv["output_elements"], 6272);
    EXPECT_EQ(conv["weight_bytes"], 36);
    EXPECT_EQ(conv["output_bytes"], 3136);
    EXPECT_EQ(conv["bops"], 56448 * 16);
    EXPECT_EQ(conv["quantizable"], true);
    EXPECT_EQ(j["totals"], json({{"params", 31632},
                                 {"bias", 18},
                                 {"macs", 127008},
                                 {"weight_bytes", 15816},
                                 {"bops", 127008 * 16},
                                 {"peak_output_bytes", 3136}}));
    EXPECT_THROW(costTableJson(CostTable{}, 0), Error);
}

TEST(CostTableTest, LateFusionHasAClassifierPerBranch) {
    // Two flattened branches (16 and 30 features) each classified into 3: 48 and 90 MACs.
    const CostTable t = costs(R"({
      "branches": [
        {"modality": "a", "input": [1, 4, 4], "layers": [{"type": "flatten"}]},
        {"modality": "b", "input": [2, 3, 5], "layers": [{"type": "flatten"}]}],
      "fusion": {"type": "late"}, "num_classes": 3})");
    EXPECT_EQ(row(t, "a.classifier").macs, 48);
    EXPECT_EQ(row(t, "b.classifier").branch, "b");
    EXPECT_EQ(t.totalMacs(), 48 + 90);
}

TEST(CostTableTest, GatedFusionAddsAGateFcPerBranch) {
    // Branches of 16 and 30 features, concatenated to 46; each gate is an fc 46 → its branch's
    // width with bias: 46·16 = 736 and 46·30 = 1380 weights (= MACs), 16 and 30 biases.
    // Then the classifier reads the 46 gated features: 46·3 = 138 MACs.
    const CostTable t = costs(R"({
      "branches": [
        {"modality": "a", "input": [1, 4, 4], "layers": [{"type": "flatten"}]},
        {"modality": "b", "input": [2, 3, 5], "layers": [{"type": "flatten"}]}],
      "fusion": {"type": "gated"}, "num_classes": 3})");
    EXPECT_EQ(row(t, "fusion.gate.a").params, 736);
    EXPECT_EQ(row(t, "fusion.gate.a").macs, 736);
    EXPECT_EQ(row(t, "fusion.gate.a").bias, 16);
    EXPECT_TRUE(row(t, "fusion.gate.a").quantizable);
    EXPECT_EQ(row(t, "fusion.gate.b").params, 1380);
    EXPECT_EQ(row(t, "fusion.gate.b").bias, 30);
    EXPECT_EQ(row(t, "fusion.gate.b").weightBytes(8), 1380);
    EXPECT_EQ(row(t, "classifier").macs, 138);
    EXPECT_EQ(t.totalMacs(), 736 + 1380 + 138);
}

TEST(CostTableTest, FilmAddsAScaleAndAShiftFcFromTheFirstBranch) {
    // a (16 features) conditions b (30): γ and β are fcs 16 → 30, 480 weights and MACs
    // each, 30 biases each; the classifier reads [a; f_b], 46·3 = 138 MACs.
    const CostTable t = costs(R"({
      "branches": [
        {"modality": "a", "input": [1, 4, 4], "layers": [{"type": "flatten"}]},
        {"modality": "b", "input": [2, 3, 5], "layers": [{"type": "flatten"}]}],
      "fusion": {"type": "film"}, "num_classes": 3})");
    EXPECT_EQ(row(t, "fusion.film.b.scale").params, 480);
    EXPECT_EQ(row(t, "fusion.film.b.shift").macs, 480);
    EXPECT_EQ(row(t, "fusion.film.b.shift").bias, 30);
    EXPECT_EQ(t.totalMacs(), 480 + 480 + 138);
}

TEST(CostTableTest, AttentionAddsOneScoreFcOverAllFeatures) {
    // Branches of 16 and 30 features, concatenated to 46; the score fc is 46 → 2 (one score
    // per branch) with bias: 92 weights (= MACs), 2 biases; the classifier reads the 46
    // weighted features: 46·3 = 138 MACs.
    const CostTable t = costs(R"({
      "branches": [
        {"modality": "a", "input": [1, 4, 4], "layers": [{"type": "flatten"}]},
        {"modality": "b", "input": [2, 3, 5], "layers": [{"type": "flatten"}]}],
      "fusion": {"type": "attention"}, "num_classes": 3})");
    EXPECT_EQ(row(t, "fusion.attention.score").params, 92);
    EXPECT_EQ(row(t, "fusion.attention.score").macs, 92);
    EXPECT_EQ(row(t, "fusion.attention.score").bias, 2);
    EXPECT_TRUE(row(t, "fusion.attention.score").quantizable);
    EXPECT_EQ(row(t, "fusion.attention.score").weightBytes(4), 46);
    EXPECT_EQ(t.totalMacs(), 92 + 138);
}

TEST(CostTableTest, ShapesOfAnotherSpecAreRejected) {
    const ModelSpec spec = json::parse(kSmallModel).get<ModelSpec>();
    ModelSpec other = spec;
    other.branches[0].modality = "photo";
    EXPECT_THROW(computeCostTable(inferShapes(spec), other), Error);
}

}  // namespace
}  // namespace tm2::model
