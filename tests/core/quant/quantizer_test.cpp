#include "core/quant/quantizer.h"

#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "core/base/error.h"
#include "core/train/trainer.h"
#include "tests/core/train/toy_data.h"

namespace tm2::quant {
namespace {

class QuantizerTest : public ::testing::Test {
protected:
    void SetUp() override {
        data_ = train::testing::toyData(3);
        spec_ = train::bindSpecToData(train::testing::toySpec(), data_);
        torch::set_num_threads(1);
        torch::manual_seed(1);
        train::MultimodalNet net(spec_, false);
        // A short plain training loop; the weights are kept so every test starts from the same FP32 model.
        torch::optim::Adam opt(net->parameters(), torch::optim::AdamOptions(3e-3));
        for (int e = 0; e < 6; ++e) {
            net->train();
            for (int64_t b = 0; b < data_.train.size(); b += 16) {
                const auto idx = torch::arange(b, std::min<int64_t>(data_.train.size(), b + 16));
                opt.zero_grad();
                auto loss = torch::nn::functional::cross_entropy(
                    net->forward({data_.train.inputs[0].index_select(0, idx), data_.train.inputs[1].index_select(0, idx)})
                        .logits,
                    data_.train.labels.index_select(0, idx));
                loss.backward();
                opt.step();
            }
        }
        torch::serialize::OutputArchive archive;
        net->save(archive);
        std::ostringstream out;
        archive.save_to(out);
        weights_ = out.str();
    }
    train::MultimodalNet freshNet() {
        train::MultimodalNet net(spec_, false);
        std::istringstream in(weights_);
        torch::serialize::InputArchive archive;
        archive.load_from(in);
        net->load(archive);
        return net;
    }
    QuantizationReport run(QuantizeOptions o) {
        train::MultimodalNet net = freshNet();
        o.hessian.max_probes = 6;
        o.hessian.min_probes = 6;
        return quantizeModel(net, data_, {0, 1}, o);
    }

    train::TrainingData data_;
    model::ModelSpec spec_;
    std::string weights_;
};

TEST_F(QuantizerTest, Int8StaysCloseToFp32AndCountsBytesAndBops) {
    QuantizeOptions o;
    o.mode = QuantMode::Int8;
    const QuantizationReport r = run(o);
    EXPECT_GT(r.fp32_test.accuracy, 0.6);
    EXPECT_NEAR(r.test.accuracy, r.fp32_test.accuracy, 0.1);
    // The integer-exact evaluation (what the runtime will compute) is reported beside it.
    ASSERT_TRUE(r.integer_test.has_value());
    EXPECT_NEAR(r.integer_test->accuracy, r.test.accuracy, 0.05);
    EXPECT_EQ(r.integer_test->confusion.size(), r.test.confusion.size());
    EXPECT_DOUBLE_EQ(reportToJson(r)["integer_accuracy"].get<double>(), r.integer_test->accuracy);
    double params = 0, bias = 0, macs = 0;
    for (const auto& l : r.layers) {
        EXPECT_EQ(l.bits, 8);
        params += static_cast<double>(l.params), bias += static_cast<double>(l.bias), macs += static_cast<double>(l.macs);
    }
    EXPECT_DOUBLE_EQ(r.weight_bytes, params);            // one byte per weight
    EXPECT_DOUBLE_EQ(r.bias_bytes, 4 * bias);            // int32 biases
    EXPECT_DOUBLE_EQ(r.bops, macs * 64);                 // MACs · 8 · 8
    EXPECT_DOUBLE_EQ(r.fp32_model_bytes, 4 * (params + bias));
}

TEST_F(QuantizerTest, Int4HalvesTheWeightBytes) {
    QuantizeOptions o;
    o.mode = QuantMode::Int4;
    const QuantizationReport r4 = run(o);
    o.mode = QuantMode::Int8;
    const QuantizationReport r8 = run(o);
    EXPECT_NEAR(r4.weight_bytes, r8.weight_bytes / 2, r4.layers.size());  // ceil per layer
    // All INT4 still reads the network inputs at 8 bits: each branch's first conv
    // costs MACs·4·8, every other layer MACs·4·4.
    double expected = 0;
    for (const auto& l : r4.layers)
        expected += static_cast<double>(l.macs) * 4 * (l.name == "image.0.conv2d" || l.name == "audio.0.conv2d" ? 8 : 4);
    EXPECT_DOUBLE_EQ(r4.bops, expected);
    EXPECT_LT(r4.bops, r8.bops / 2);
}

// The toy network (toy_data.h), per branch: conv 3×3 1→4 + bn, maxpool 2, dsconv
// 3×3 4→8, flatten, fc →8; concat; head fc 16→8; classifier 8→3.
// MACs (Table 1): image (8×8 input) conv 9·1·4·64 = 2304, depthwise 9·4·16 = 576,
// pointwise 4·8·16 = 512, fc 128·8 = 1024; audio (6×10) conv 9·1·4·60 = 2160,
// depthwise 9·4·15 = 540, pointwise 4·8·15 = 480, fc 120·8 = 960; head 16·8 = 128
// (64 per concat segment); classifier 8·3 = 24.
// A mixed plan with every neighbour at another width; BOPS = MACs · own bits · bits read:
//   image.0.conv2d      8, reads the input (8):    2304·8·8 = 147456
//   image depthwise     4, reads conv (8):           576·4·8 =  18432
//   image pointwise     8, reads depthwise (4):      512·8·4 =  16384
//   image.5.fc          4, reads pointwise (8):     1024·4·8 =  32768
//   audio.0.conv2d      4, reads the input (8):     2160·4·8 =  69120
//   audio depthwise     8, reads conv (4):           540·8·4 =  17280
//   audio pointwise     4, reads depthwise (8):      480·4·8 =  15360
//   audio.5.fc          8, reads pointwise (4):      960·8·4 =  30720
//   head.0.fc           4, reads image fc (4), audio fc (8): 64·4·4 + 64·4·8 = 3072
//   classifier          8, reads head (4):            24·8·4 =    768
//   Σ = 351360
const std::map<std::string, int> kMixedPlan{
    {"image.0.conv2d", 8}, {"image.3.dsconv2d.depthwise", 4}, {"image.3.dsconv2d.pointwise", 8}, {"image.5.fc", 4},
    {"audio.0.conv2d", 4}, {"audio.3.dsconv2d.depthwise", 8}, {"audio.3.dsconv2d.pointwise", 4}, {"audio.5.fc", 8},
    {"head.0.fc", 4},      {"classifier", 8}};
constexpr double kMixedPlanBops = 351360;

TEST_F(QuantizerTest, BopsOfAHandComputedMixedPlanAgreeInTheIlpTheReportAndItsJson) {
    QuantizeOptions o;
    o.mode = QuantMode::Mixed;
    o.pinned_bits = kMixedPlan;  // the ILP has one choice: the plan
    const QuantizationReport r = run(o);
    ASSERT_TRUE(r.allocation.has_value());
    EXPECT_EQ(r.bits, kMixedPlan);
    EXPECT_DOUBLE_EQ(r.allocation->bops, kMixedPlanBops);  // the ILP's solution
    EXPECT_DOUBLE_EQ(r.bops, kMixedPlanBops);              // the report
    const nlohmann::json j = reportToJson(r);
    EXPECT_DOUBLE_EQ(j["bops"].get<double>(), kMixedPlanBops);
    EXPECT_DOUBLE_EQ(j["ilp"]["bops"].get<double>(), kMixedPlanBops);
    // What the GUI's budget panel re-solves: the saved problem, read back.
    const BitAllocationProblem saved = problemFromJson(j["ilp_problem"]);
    EXPECT_DOUBLE_EQ(planBops(saved, r.bits), kMixedPlanBops);
    EXPECT_DOUBLE_EQ(solveBitAllocation(saved).bops, kMixedPlanBops);
    double per_layer = 0;
    for (const auto& l : j["layers"]) per_layer += l["bops"].get<double>();
    EXPECT_DOUBLE_EQ(per_layer, kMixedPlanBops);
    EXPECT_DOUBLE_EQ(j["layers"][1]["bops"].get<double>(), 18432);  // image depthwise
    // The pointwise half reads the depthwise's 4-bit codes.
    EXPECT_EQ(j["layers"][2]["inputs"][0]["from"], "image.3.dsconv2d.depthwise");
    EXPECT_EQ(j["layers"][2]["inputs"][0]["bits"], 4);

    // Replaying the plan (uniform path, no ILP) counts the same.
    QuantizeOptions replay;
    replay.mode = QuantMode::Mixed;
    replay.plan_bits = kMixedPlan;
    EXPECT_DOUBLE_EQ(run(replay).bops, kMixedPlanBops);
}

TEST_F(QuantizerTest, PinnedHeadWithAlphaZeroIsFeasibleAndTheSmallestPinnedSize) {
    QuantizeOptions o;
    o.mode = QuantMode::Mixed;
    o.pin_groups = {PinGroup::Head};
    o.size_alpha = 0;
    const QuantizationReport r = run(o);
    ASSERT_TRUE(r.allocation.has_value());
    const BudgetRange range = budgetRange(r.problem);  // the function the GUI's sliders use
    EXPECT_DOUBLE_EQ(*r.problem.size_bytes_max, range.min_size_bytes);
    EXPECT_DOUBLE_EQ(r.allocation->size_bytes, range.min_size_bytes);
    for (const auto& [name, bits] : r.bits) EXPECT_EQ(bits, name == "head.0.fc" || name == "classifier" ? 8 : 4) << name;
    EXPECT_EQ(r.pinned, (std::map<std::string, int>{{"head.0.fc", 8}, {"classifier", 8}}));
    // --pin-head is the same pin.
    QuantizeOptions alias;
    alias.mode = QuantMode::Mixed;
    alias.pin_head = true;
    alias.size_alpha = 0;
    EXPECT_EQ(run(alias).bits, r.bits);
}

TEST_F(QuantizerTest, Int4CanKeepTheFirstAndLastLayersAt8AsHawqDoes) {
    QuantizeOptions o;
    o.mode = QuantMode::Int4;
    o.pin_groups = {PinGroup::First, PinGroup::Classifier};
    const QuantizationReport r = run(o);
    const std::map<std::string, int> pinned{{"image.0.conv2d", 8}, {"audio.0.conv2d", 8}, {"classifier", 8}};
    EXPECT_EQ(r.pinned, pinned);
    for (const auto& [name, bits] : r.bits) EXPECT_EQ(bits, pinned.count(name) ? 8 : 4) << name;
    EXPECT_EQ(reportToJson(r)["pinned"], nlohmann::json(pinned));
}

TEST_F(QuantizerTest, ParetoPlansAreScoredOnValidationWithTestReportedBeside) {
    QuantizeOptions o;
    o.mode = QuantMode::Mixed;
    o.hessian.max_probes = o.hessian.min_probes = 4;
    train::MultimodalNet net = freshNet();
    const std::vector<ParetoPoint> sweep = paretoSweep(net, data_, {0, 1}, o, 3);
    ASSERT_EQ(sweep.size(), 3u);
    const ParetoPoint& mid = sweep[1];
    ASSERT_EQ(mid.allocation.status, AllocationStatus::Optimal);
    ASSERT_TRUE(mid.val_accuracy.has_value());
    // The same plan quantized on its own: the same calibration, so the same figures on each split.
    QuantizeOptions replay;
    replay.mode = QuantMode::Mixed;
    replay.plan_bits = mid.allocation.bits;
    train::MultimodalNet again = freshNet();
    const QuantizationReport r = quantizeModel(again, data_, {0, 1}, replay);
    EXPECT_DOUBLE_EQ(mid.test_accuracy, r.test.accuracy);
    EXPECT_DOUBLE_EQ(*mid.val_accuracy,
                     train::evaluate(again, data_.val, {0, 1}, spec_.num_classes, replay.batch_size).metrics.accuracy);
}

TEST_F(QuantizerTest, MixedPrecisionRespectsTheBudgetAndReportsTheIlp) {
    QuantizeOptions o;
    o.mode = QuantMode::Mixed;
    o.size_alpha = 0.5;
    o.pin_head = true;
    const QuantizationReport r = run(o);
    ASSERT_TRUE(r.allocation.has_value());
    double low = 0, high = 0;  // the range with the head pinned at 8
    for (const auto& l : r.layers) low += l.params * (l.branch == "head" ? 1 : 0.5), high += l.params;
    EXPECT_DOUBLE_EQ(*r.problem.size_bytes_max, interpolateBudget(low, high, 0.5));
    EXPECT_LE(r.weight_bytes, interpolateBudget(low, high, 0.5) + r.layers.size());
    EXPECT_EQ(r.bits.at("classifier"), 8);  // pinned
    EXPECT_EQ(r.bits.at("head.0.fc"), 8);
    for (const auto& l : r.layers) {
        EXPECT_GE(l.trace, -1e9);
        ASSERT_EQ(l.omega.size(), 2u);
        EXPECT_GT(l.omega.at(4), l.omega.at(8)) << l.name;  // 4 bits perturb more (unless Tr(H) ≤ 0)
    }
    const nlohmann::json j = reportToJson(r);
    EXPECT_EQ(j["mode"], "mp");
    EXPECT_TRUE(j["layers"][0].contains("omega"));
    EXPECT_TRUE(j.contains("ilp_problem"));
}

TEST_F(QuantizerTest, UnreachableBudgetIsAClearErrorNamingTheSmallestSize) {
    QuantizeOptions o;
    o.mode = QuantMode::Mixed;
    o.size_bytes_max = 10;  // far below all-INT4
    try {
        run(o);
        FAIL() << "expected an error";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("smallest"), std::string::npos) << e.what();
    }
}

TEST_F(QuantizerTest, QuantizationAwareFineTuningRuns) {
    QuantizeOptions o;
    o.mode = QuantMode::Int4;
    o.qat_epochs = 2;
    const QuantizationReport r = run(o);
    EXPECT_GT(r.test.accuracy, 0.34);  // better than chance after fine-tuning
}

}  // namespace
}  // namespace tm2::quant
