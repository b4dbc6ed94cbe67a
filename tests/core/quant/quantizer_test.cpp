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
    EXPECT_DOUBLE_EQ(r4.bops, r8.bops / 4);
}

TEST_F(QuantizerTest, MixedPrecisionRespectsTheBudgetAndReportsTheIlp) {
    QuantizeOptions o;
    o.mode = QuantMode::Mixed;
    o.size_alpha = 0.5;
    o.pin_head = true;
    const QuantizationReport r = run(o);
    ASSERT_TRUE(r.allocation.has_value());
    double low = 0, high = 0;
    for (const auto& l : r.layers) low += l.params * 0.5, high += l.params;
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
