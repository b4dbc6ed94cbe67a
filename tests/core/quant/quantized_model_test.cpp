#include "core/quant/quantized_model.h"

#include <gtest/gtest.h>

#include "core/base/error.h"
#include "core/quant/quantizer.h"
#include "tests/core/quant/toy_trained_net.h"
#include "tests/support/temp_dir.h"

namespace tm2::quant {
namespace {

using tm2::testing::TempDir;

class QuantizedModelTest : public ::testing::Test {
protected:
    void SetUp() override {
        data_ = train::testing::toyData(3);
        spec_ = train::bindSpecToData(testing::toySpecWithDropout(), data_);
        weights_ = testing::trainToyWeights(spec_, data_);
        info_.id = "test-1";
        info_.spec = spec_;
        info_.classes = data_.classes;
        info_.data_fingerprint = "fp";
        info_.options = {{"qat_epochs", 1}};
    }
    torch::Tensor logits(train::MultimodalNet& net, bool integer_exact) {
        torch::NoGradGuard no_grad;
        net->setIntegerExact(integer_exact);
        torch::Tensor out = net->forward(data_.test.inputs).logits;
        net->setIntegerExact(false);
        return out;
    }

    train::TrainingData data_;
    model::ModelSpec spec_;
    std::string weights_;
    QuantizedModelInfo info_;
};

TEST_F(QuantizedModelTest, LoadsBackExactlyTheNetworkQuantizeEvaluated) {
    // Every part that is not the FP32 checkpoint: folded weights moved by fine-tuning,
    // mixed bits, min/max ranges (not the default percentile ones).
    train::MultimodalNet net = testing::netFromWeights(spec_, weights_);
    QuantizeOptions o;
    int i = 0;
    for (auto& q : net->quantizableLayers()) o.plan_bits[q.name] = i++ % 2 ? 4 : 8;
    o.calibration = train::ActivationQuantizerImpl::Calibration::MinMax;
    o.qat_epochs = 1;
    const QuantizationReport report = quantizeModel(net, data_, {0, 1}, o);
    TempDir dir;
    saveQuantizedModel(net, info_, dir.file("q.pt"));

    LoadedQuantizedModel loaded = loadQuantizedModel(dir.file("q.pt"));
    EXPECT_EQ(loaded.bits, report.bits);
    EXPECT_EQ(loaded.info.id, "test-1");
    EXPECT_EQ(loaded.info.classes, data_.classes);
    EXPECT_EQ(loaded.info.options, info_.options);
    EXPECT_EQ(nlohmann::json(loaded.info.spec), nlohmann::json(spec_));
    EXPECT_TRUE(loaded.net->batchNormsFolded());
    EXPECT_EQ(activationQuantizersToJson(loaded.net),
              activationQuantizersToJson(net));  // every range, to the bit
    const auto saved = net->named_parameters();
    for (const auto& p : loaded.net->named_parameters())
        EXPECT_TRUE(torch::equal(p.value(), saved[p.key()])) << p.key();
    EXPECT_TRUE(torch::equal(logits(loaded.net, false), logits(net, false)));
    EXPECT_TRUE(torch::equal(logits(loaded.net, true), logits(net, true)));
}

TEST_F(QuantizedModelTest, RefusesToSaveANetworkThatIsNotQuantized) {
    train::MultimodalNet net = testing::netFromWeights(spec_, weights_);
    TempDir dir;
    EXPECT_THROW(saveQuantizedModel(net, info_, dir.file("q.pt")), Error);
    EXPECT_FALSE(std::filesystem::exists(dir.file("q.pt")));
}

TEST_F(QuantizedModelTest, NamesTheFileThatIsNotAQuantizedModel) {
    TempDir dir;
    tm2::testing::writeTextFile(dir.file("q.pt"), "not an archive");
    try {
        loadQuantizedModel(dir.file("q.pt"));
        FAIL() << "expected an error";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find(dir.file("q.pt")), std::string::npos) << e.what();
    }
    // A checkpoint (FP32 weights only) is not one either.
    train::MultimodalNet net = testing::netFromWeights(spec_, weights_);
    torch::serialize::OutputArchive archive;
    net->save(archive);
    archive.save_to(dir.file("best.pt"));
    EXPECT_THROW(loadQuantizedModel(dir.file("best.pt")), Error);
}

TEST_F(QuantizedModelTest, RefusesAnotherFormatVersionNamingIt) {
    train::MultimodalNet net = testing::netFromWeights(spec_, weights_);
    QuantizeOptions o;
    quantizeModel(net, data_, {0, 1}, o);
    info_.format = kQuantizedModelFormat + 1;
    TempDir dir;
    saveQuantizedModel(net, info_, dir.file("q.pt"));
    try {
        loadQuantizedModel(dir.file("q.pt"));
        FAIL() << "expected an error";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("format " + std::to_string(kQuantizedModelFormat + 1)),
                  std::string::npos)
            << e.what();
    }
}

}  // namespace
}  // namespace tm2::quant
