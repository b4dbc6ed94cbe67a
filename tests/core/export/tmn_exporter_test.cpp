#include "core/export/tmn_exporter.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/base/error.h"
#include "core/export/runtime_parity.h"
#include "core/quant/quantizer.h"
#include "core/runtime/interpreter.h"
#include "core/train/trainer.h"
#include "tests/core/export/toy_quantized_net.h"
#include "tests/core/train/toy_data.h"
#include "tests/support/temp_dir.h"

namespace tm2::exporter {
namespace {

using ::testing::HasSubstr;

// A toy two-branch network (conv+bn, maxpool, dsconv, flatten, fc per branch,
// concat, fc head), briefly trained, then quantized (toy_quantized_net.h).
class ExporterTest : public ::testing::Test {
protected:
    void SetUp() override {
        data_ = train::testing::toyData(3);
        spec_ = train::bindSpecToData(train::testing::toySpec(), data_);
        torch::set_num_threads(1);
        torch::manual_seed(2);
    }
    train::MultimodalNet quantizedNet(quant::QuantMode mode,
                                      model::FusionType fusion = model::FusionType::Concat) {
        return testing::toyQuantizedNet(data_, spec_, mode, fusion);
    }

    train::TrainingData data_;
    model::ModelSpec spec_;
};

TEST_F(ExporterTest, BuildsTheGraphOfTheToySpec) {
    train::MultimodalNet net = quantizedNet(quant::QuantMode::Int8);
    runtime::ModelFrontEnd frontend;
    frontend.classes = {"a", "b"};
    const runtime::Model m = buildRuntimeModel(net, frontend);
    // Per branch: conv, maxpool, depthwise, pointwise, reshape, fc (6); head fc; classifier.
    ASSERT_EQ(m.ops.size(), 14U);
    EXPECT_EQ(m.ops[0].type, runtime::OpType::Conv2d);
    EXPECT_EQ(m.ops[2].type, runtime::OpType::DepthwiseConv2d);
    EXPECT_EQ(m.ops[3].type, runtime::OpType::PointwiseConv2d);
    EXPECT_EQ(m.ops[12].name, "head.0.fc");
    EXPECT_EQ(m.ops[12].inputs.size(), 2U);  // the concat, fused
    EXPECT_EQ(m.ops[13].name, "classifier");
    EXPECT_EQ(m.inputs.size(), 2U);
    EXPECT_EQ(m.frontend.classes, frontend.classes);
}

TEST_F(ExporterTest, WeightCodesDequantizeToTheFakeQuantWeights) {
    train::MultimodalNet net = quantizedNet(quant::QuantMode::Int4);
    const runtime::Model m = buildRuntimeModel(net);
    auto& unit = net->quantizableLayer("image.0.conv2d");
    const torch::Tensor fq =
        train::fakeQuantizeWeight(unit.weight().detach(), 4).reshape({unit.weight().size(0), -1});
    const torch::Tensor scales = train::weightScales(unit.weight().detach(), 4);
    const auto& op = m.ops[0];
    EXPECT_EQ(op.weight_bits, 4);
    const int64_t per = fq.size(1);
    for (int64_t c = 0; c < fq.size(0); ++c)
        for (int64_t i = 0; i < per; ++i)
            ASSERT_FLOAT_EQ(op.weights[static_cast<std::size_t>(c * per + i)] * scales[c].item<float>(),
                            fq[c][i].item<float>());
}

TEST_F(ExporterTest, RuntimeAgreesWithTheFakeQuantModelAtInt8AndInt4) {
    for (quant::QuantMode mode : {quant::QuantMode::Int8, quant::QuantMode::Int4}) {
        train::MultimodalNet net = quantizedNet(mode);
        tm2::testing::TempDir dir;
        const ExportSummary s = exportModel(net, {}, dir.file("toy.tmn"));
        EXPECT_GT(s.file_bytes, 0U);
        const runtime::Model m = runtime::readModel(dir.file("toy.tmn"));
        const ParityReport r = compareWithReference(net, m, data_.test, {0, 1});
        EXPECT_EQ(r.samples, 32);
        // The integer-exact LibTorch evaluation computes the runtime's codes: no difference at all.
        EXPECT_EQ(r.integer.max_abs, 0.0) << quant::toString(mode);
        EXPECT_EQ(r.integer.within_one_step, 32) << quant::toString(mode);
        EXPECT_EQ(r.integer.agree, 32) << quant::toString(mode);
        EXPECT_DOUBLE_EQ(r.runtime_accuracy, r.integer.reference_accuracy);
        // The float fake-quant model rounds near-ties differently now and then; a flipped
        // code can grow by a step downstream, so two steps bound logits and layers.
        EXPECT_GE(r.fake_quant.agreement, 0.995) << quant::toString(mode);
        EXPECT_LE(r.fake_quant.max_steps, 2.0) << quant::toString(mode);
        EXPECT_GE(r.fake_quant.within_one_step, 28) << quant::toString(mode);
        EXPECT_NEAR(r.runtime_accuracy, r.fake_quant.reference_accuracy, 1.0 / 32 + 1e-9);
        ASSERT_FALSE(r.layers.empty());
        for (const auto& l : r.layers) {
            EXPECT_EQ(l.exact_mismatches, 0) << l.name << " " << quant::toString(mode);
            EXPECT_EQ(l.exact_max_steps, 0.0) << l.name << " " << quant::toString(mode);
            EXPECT_LE(l.max_steps, 2.0 + 1e-4) << l.name << " " << quant::toString(mode);
            EXPECT_LE(l.mean_abs / l.step, 0.1) << l.name << " " << quant::toString(mode);
        }
        EXPECT_EQ(r.layers.front().max_abs, 0.0);  // the input is quantized identically
    }
}

TEST_F(ExporterTest, GatedFusionExportsGateSigmoidAndProductPerBranch) {
    train::MultimodalNet net = quantizedNet(quant::QuantMode::Int8, model::FusionType::Gated);
    const runtime::Model m = buildRuntimeModel(net);
    // Per branch 6 ops (as concat), then per branch: gate fc, sigmoid lookup, mul; head fc; classifier.
    ASSERT_EQ(m.ops.size(), 20U);
    const std::string modality = spec_.branches[0].modality;
    EXPECT_EQ(m.ops[12].name, "fusion.gate." + modality);
    EXPECT_EQ(m.ops[12].type, runtime::OpType::FullyConnected);
    EXPECT_EQ(m.ops[12].inputs.size(), 2U);  // the gate reads both branches
    EXPECT_EQ(m.ops[13].type, runtime::OpType::Lookup);
    EXPECT_EQ(m.ops[13].bias.size(), 256U);  // one sigmoid code per 8-bit gate code
    EXPECT_EQ(m.ops[14].type, runtime::OpType::Mul);
    // The gated features keep the branch features' grid (σ ∈ [0, 1] cannot leave it).
    const auto& h = m.tensors[m.ops[14].inputs[0].tensor];
    EXPECT_EQ(m.tensors[m.ops[14].output].scale, h.scale);
    EXPECT_EQ(m.tensors[m.ops[14].output].zero_point, h.zero_point);
    EXPECT_EQ(m.ops[18].name, "head.0.fc");
    EXPECT_EQ(m.ops[18].inputs.size(), 2U);  // the gated features, fused as a concat
}

TEST_F(ExporterTest, GatedFusionRuntimeIsIdenticalToItsIntegerExactReference) {
    for (quant::QuantMode mode : {quant::QuantMode::Int8, quant::QuantMode::Int4}) {
        train::MultimodalNet net = quantizedNet(mode, model::FusionType::Gated);
        tm2::testing::TempDir dir;
        exportModel(net, {}, dir.file("gated.tmn"));
        const runtime::Model m = runtime::readModel(dir.file("gated.tmn"));
        const ParityReport r = compareWithReference(net, m, data_.test, {0, 1});
        EXPECT_EQ(r.integer.max_abs, 0.0) << quant::toString(mode);
        EXPECT_EQ(r.integer.agree, 32) << quant::toString(mode);
        EXPECT_DOUBLE_EQ(r.runtime_accuracy, r.integer.reference_accuracy);
        bool saw_gate = false, saw_product = false;
        for (const auto& l : r.layers) {
            EXPECT_EQ(l.exact_mismatches, 0) << l.name << " " << quant::toString(mode);
            saw_gate = saw_gate || l.name.rfind("fusion.gate.", 0) == 0;
            saw_product = saw_product || l.name.find(".mul") != std::string::npos;
        }
        EXPECT_TRUE(saw_gate);  // the gate fc's codes and the gated features are compared too
        EXPECT_TRUE(saw_product);
    }
}

TEST_F(ExporterTest, FilmRuntimeIsIdenticalToItsIntegerExactReference) {
    for (quant::QuantMode mode : {quant::QuantMode::Int8, quant::QuantMode::Int4}) {
        train::MultimodalNet net = quantizedNet(mode, model::FusionType::Film);
        const runtime::Model m = buildRuntimeModel(net);
        // Per branch 6 ops; scale fc, shift fc, mul, add (for the second branch); head fc; classifier.
        ASSERT_EQ(m.ops.size(), 18U) << quant::toString(mode);
        EXPECT_EQ(m.ops[14].type, runtime::OpType::Mul);
        EXPECT_EQ(m.ops[15].type, runtime::OpType::Add);
        EXPECT_EQ(m.ops[16].inputs.size(), 2U);  // the head reads [h_first; f_second]
        const ParityReport r = compareWithReference(net, m, data_.test, {0, 1});
        EXPECT_EQ(r.integer.max_abs, 0.0) << quant::toString(mode);
        EXPECT_EQ(r.integer.agree, 32) << quant::toString(mode);
        bool saw_add = false;
        for (const auto& l : r.layers) {
            EXPECT_EQ(l.exact_mismatches, 0) << l.name << " " << quant::toString(mode);
            saw_add = saw_add || l.name.find(".add") != std::string::npos;
        }
        EXPECT_TRUE(saw_add);
    }
}

TEST_F(ExporterTest, AttentionExportsScoreFcSoftmaxAndABroadcastMulPerBranch) {
    train::MultimodalNet net = quantizedNet(quant::QuantMode::Int8, model::FusionType::Attention);
    const runtime::Model m = buildRuntimeModel(net);
    // Per branch 6 ops; score fc, softmax, one mul per branch; head fc; classifier.
    ASSERT_EQ(m.ops.size(), 18U);
    EXPECT_EQ(m.ops[12].name, "fusion.attention.score");
    EXPECT_EQ(m.ops[12].inputs.size(), 2U);  // the scores read both branches
    EXPECT_EQ(m.tensors[m.ops[12].output].c, 2U);
    EXPECT_EQ(m.ops[13].type, runtime::OpType::Softmax);
    EXPECT_EQ(m.ops[13].bias.size(), 256U);  // one exp entry per 8-bit code distance
    EXPECT_EQ(m.ops[13].bias[0], 1 << 15);
    for (int b = 0; b < 2; ++b) {
        const runtime::Op& mul = m.ops[14 + static_cast<std::size_t>(b)];
        EXPECT_EQ(mul.type, runtime::OpType::Mul);
        ASSERT_TRUE(runtime::mulBroadcasts(mul));
        EXPECT_EQ(runtime::mulBroadcastIndex(mul), static_cast<std::uint32_t>(b));
        // The weighted features keep the branch features' grid (α ∈ [0, 1] cannot leave it).
        const auto& h = m.tensors[mul.inputs[0].tensor];
        EXPECT_EQ(m.tensors[mul.output].scale, h.scale);
        EXPECT_EQ(m.tensors[mul.output].zero_point, h.zero_point);
    }
    EXPECT_EQ(m.ops[16].name, "head.0.fc");
    EXPECT_EQ(m.ops[16].inputs.size(), 2U);  // the weighted features, fused as a concat
}

TEST_F(ExporterTest, AttentionRuntimeIsIdenticalToItsIntegerExactReference) {
    for (quant::QuantMode mode : {quant::QuantMode::Int8, quant::QuantMode::Int4}) {
        train::MultimodalNet net = quantizedNet(mode, model::FusionType::Attention);
        tm2::testing::TempDir dir;
        exportModel(net, {}, dir.file("attention.tmn"));
        const runtime::Model m = runtime::readModel(dir.file("attention.tmn"));
        const ParityReport r = compareWithReference(net, m, data_.test, {0, 1});
        EXPECT_EQ(r.integer.max_abs, 0.0) << quant::toString(mode);
        EXPECT_EQ(r.integer.agree, 32) << quant::toString(mode);
        EXPECT_DOUBLE_EQ(r.runtime_accuracy, r.integer.reference_accuracy);
        bool saw_scores = false, saw_weights = false, saw_product = false;
        for (const auto& l : r.layers) {
            EXPECT_EQ(l.exact_mismatches, 0) << l.name << " " << quant::toString(mode);
            saw_scores = saw_scores || l.name == "fusion.attention.score";
            saw_weights = saw_weights || l.name == "fusion.attention.softmax";
            saw_product = saw_product || l.name.find(".mul") != std::string::npos;
        }
        EXPECT_TRUE(saw_scores);  // scores, weights and weighted features are compared code by code
        EXPECT_TRUE(saw_weights);
        EXPECT_TRUE(saw_product);
    }
}

TEST_F(ExporterTest, ParityCatchesAWrongCodeInTheExportedModel) {
    train::MultimodalNet net = quantizedNet(quant::QuantMode::Int8);
    runtime::Model m = buildRuntimeModel(net);
    // One requantization multiplier of the first convolution off by 1 %: the exact
    // reference must see the codes of that layer (and no earlier one) differ.
    ASSERT_EQ(m.ops[0].name, "image.0.conv2d");
    for (auto& mult : m.ops[0].multiplier) mult = static_cast<std::int32_t>(mult * 0.99);
    const ParityReport r = compareWithReference(net, m, data_.test, {0, 1});
    EXPECT_GT(r.integer.max_abs, 0.0);
    bool input_clean = false, conv_flagged = false;
    for (const auto& l : r.layers) {
        if (l.name == "input.image") input_clean = l.exact_mismatches == 0;
        if (l.name == "image.0.conv2d") conv_flagged = l.exact_mismatches > 0;
    }
    EXPECT_TRUE(input_clean);
    EXPECT_TRUE(conv_flagged);
}

TEST_F(ExporterTest, RefusesAnUnquantizedNetwork) {
    train::MultimodalNet net(spec_, false);
    try {
        buildRuntimeModel(net);
        FAIL() << "exported a float network";
    } catch (const Error& e) {
        EXPECT_THAT(e.what(), HasSubstr("quantize"));
    }
}

}  // namespace
}  // namespace tm2::exporter
