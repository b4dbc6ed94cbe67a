// The ONNX writer on the runtime's hand-made tiny model (tests/core/runtime/tiny_model.h,
// its conv output made 4-bit so the top clamp is exercised): the arithmetic form
// runs in OpenCV's DNN module and gives the fake-quant logits computed here by hand;
// both forms pass python3-onnx's full checker; the QDQ form carries the very weight
// codes, scales and zero points of the model and, run by tests/support/onnx_numpy_eval.py,
// computes what the arithmetic form computes.

#include "core/export/onnx/onnx_writer.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>
#include <opencv2/dnn.hpp>
#include <vector>

#include "core/base/error.h"
#include "tests/core/runtime/tiny_model.h"
#include "tests/support/onnx_checker.h"
#include "tests/support/temp_dir.h"

namespace {

using tm2::onnx::OnnxSource;
using tm2::onnx::QuantForm;
using tm2::testing::TempDir;

// The conv output (and the pool / flatten after it) on a 4-bit grid of step 0.13, so
// outputs above 15 · 0.13 are clamped. Conv weight scale 0.1: its accumulators are
// multiples of 0.05, and 0.13 (unlike 0.1) puts none of them on a rounding tie, where
// float and double could round apart. The ONNX writer reads neither the conv's dyadic
// multipliers nor the classifier's output_scale, so they stay the fixture's.
constexpr double kActScale = 0.13;

OnnxSource tinySource() {
    OnnxSource s;
    s.model = tm2::runtime::fixtures::tinyModel();
    for (std::size_t t = 1; t <= 3; ++t) {
        s.model.tensors[t].bits = 4;  // conv, pool, flat: codes 0..15
        s.model.tensors[t].scale = static_cast<float>(kActScale);
    }
    s.weight_scales = {{0.1f, 0.1f}, {}, {}, {0.1f, 0.2f, 0.3f}};
    s.input_dims = {{1, 4, 4}};
    return s;
}

double fakeQuant(double x, double scale, int zero_point, int bits) {
    const double q = std::clamp(std::nearbyint(x / scale) + zero_point, 0.0, std::pow(2.0, bits) - 1);
    return (q - zero_point) * scale;
}

// The tiny model as fakeQuantizeActivation / fakeQuantizeWeight compute it, in double;
// `clamped` counts conv outputs clamped to the 4-bit top code 15.
std::vector<double> referenceLogits(const OnnxSource& s, const std::vector<float>& input, int& clamped) {
    const auto& m = s.model;
    const auto& conv = m.ops[0];
    const auto& fc = m.ops[3];
    std::vector<double> x(16);
    for (int i = 0; i < 16; ++i) x[i] = fakeQuant(input[i], 0.5, 2, 8);
    std::vector<double> c(2 * 16);
    for (int o = 0; o < 2; ++o)
        for (int y = 0; y < 4; ++y)
            for (int xx = 0; xx < 4; ++xx) {
                double acc = conv.bias[o] * 0.5 * 0.1;
                for (int ky = 0; ky < 3; ++ky)
                    for (int kx = 0; kx < 3; ++kx) {
                        const int iy = y + ky - 1, ix = xx + kx - 1;
                        if (iy < 0 || iy >= 4 || ix < 0 || ix >= 4) continue;
                        acc += x[iy * 4 + ix] * conv.weights[o * 9 + ky * 3 + kx] * 0.1;
                    }
                clamped += acc > 15.5 * kActScale;
                c[o * 16 + y * 4 + xx] = fakeQuant(std::max(acc, 0.0), kActScale, 0, 4);
            }
    std::vector<double> flat(8);
    for (int o = 0; o < 2; ++o)
        for (int y = 0; y < 2; ++y)
            for (int xx = 0; xx < 2; ++xx)
                flat[o * 4 + y * 2 + xx] = std::max(
                    {c[o * 16 + 2 * y * 4 + 2 * xx], c[o * 16 + 2 * y * 4 + 2 * xx + 1],
                     c[o * 16 + (2 * y + 1) * 4 + 2 * xx], c[o * 16 + (2 * y + 1) * 4 + 2 * xx + 1]});
    std::vector<double> logits(3);
    for (int o = 0; o < 3; ++o) {
        const double s_w = s.weight_scales[3][o];
        logits[o] = fc.bias[o] * kActScale * s_w;
        for (int i = 0; i < 8; ++i) logits[o] += flat[i] * fc.weights[o * 8 + i] * s_w;
    }
    return logits;
}

TEST(OnnxWriter, ArithmeticFormRunsInOpenCvAndGivesTheFakeQuantLogits) {
    TempDir dir;
    const OnnxSource source = tinySource();
    const std::string path = dir.file("tiny.onnx");
    const tm2::onnx::OnnxSummary summary = tm2::onnx::writeOnnx(path, source, QuantForm::Arithmetic);
    EXPECT_GT(summary.nodes, 10u);

    // Two samples; values step by 0.37 so none sits on a rounding tie of the 0.5 input grid,
    // and large enough that some conv outputs pass the 4-bit top (checked below).
    const int shape[] = {2, 1, 4, 4};
    cv::Mat batch(4, shape, CV_32F);
    std::vector<float> values(32);
    for (int i = 0; i < 32; ++i) values[i] = -4.1f + 0.37f * static_cast<float>(i);
    std::copy(values.begin(), values.end(), batch.ptr<float>());
    cv::dnn::Net net = cv::dnn::readNetFromONNX(path);
    net.setInput(batch, "image");
    const cv::Mat logits = net.forward("logits");
    ASSERT_EQ(logits.total(), 6u);

    int clamped = 0;
    for (int n = 0; n < 2; ++n) {
        const std::vector<float> sample(values.begin() + 16 * n, values.begin() + 16 * (n + 1));
        const std::vector<double> expected = referenceLogits(source, sample, clamped);
        for (int c = 0; c < 3; ++c)
            EXPECT_NEAR(logits.ptr<float>()[n * 3 + c], expected[c],
                        1e-4 * std::max(1.0, std::abs(expected[c])))
                << "sample " << n << " class " << c;
    }
    EXPECT_GT(clamped, 0);  // the clamp chain was exercised
}

TEST(OnnxWriter, BothFormsPassTheOnnxChecker) {
    if (!tm2::testing::pythonOnnxAvailable())
        GTEST_SKIP() << "python3-onnx is not installed (scripts/deps.txt)";
    TempDir dir;
    for (const QuantForm form : {QuantForm::Qdq, QuantForm::Arithmetic}) {
        const std::string path = dir.file(std::string(tm2::onnx::toString(form)) + ".onnx");
        tm2::onnx::writeOnnx(path, tinySource(), form);
        const auto r = tm2::testing::checkOnnxModel(path);
        EXPECT_EQ(r.exit_code, 0) << tm2::onnx::toString(form) << ": " << r.err;
    }
}

TEST(OnnxWriter, QdqFormStoresTheWeightCodesAndScalesOfTheModel) {
    if (!tm2::testing::pythonOnnxAvailable())
        GTEST_SKIP() << "python3-onnx is not installed (scripts/deps.txt)";
    TempDir dir;
    const OnnxSource source = tinySource();
    const std::string path = dir.file("qdq.onnx");
    tm2::onnx::writeOnnx(path, source, QuantForm::Qdq);
    auto r = tm2::testing::dumpOnnxInitializers(path, ".codes");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto codes = nlohmann::json::parse(r.out);
    const auto& conv = source.model.ops[0];
    EXPECT_EQ(codes.at("image.0.conv2d.weight.codes").at("dims"), nlohmann::json({2, 1, 3, 3}));
    EXPECT_EQ(codes.at("image.0.conv2d.weight.codes").at("values").get<std::vector<int>>(),
              std::vector<int>(conv.weights.begin(), conv.weights.end()));
    EXPECT_EQ(codes.at("classifier.bias.codes").at("values").get<std::vector<int>>(),
              std::vector<int>({10, 0, -10}));
    r = tm2::testing::dumpOnnxInitializers(path, ".scale");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto scales = nlohmann::json::parse(r.out);
    EXPECT_FLOAT_EQ(scales.at("classifier.weight.scale").at("values")[2].get<float>(), 0.3f);
    EXPECT_FLOAT_EQ(scales.at("input.scale").at("values")[0].get<float>(), 0.5f);
    r = tm2::testing::dumpOnnxInitializers(path, ".zero_point");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(nlohmann::json::parse(r.out).at("input.zero_point").at("values")[0], 2);
}

TEST(OnnxWriter, QdqFormComputesWhatTheArithmeticFormComputes) {
    if (!tm2::testing::pythonOnnxAvailable())
        GTEST_SKIP() << "python3-onnx is not installed (scripts/deps.txt)";
    TempDir dir;
    tm2::onnx::writeOnnx(dir.file("qdq.onnx"), tinySource(), QuantForm::Qdq);
    tm2::onnx::writeOnnx(dir.file("arithmetic.onnx"), tinySource(), QuantForm::Arithmetic);
    const auto r = tm2::testing::compareOnnxModelsInNumpy(dir.file("qdq.onnx"), dir.file("arithmetic.onnx"));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto j = nlohmann::json::parse(r.out);
    EXPECT_GT(j["max_logit"].get<double>(), 0.0);
    EXPECT_LE(j["max_abs"].get<double>(), 1e-6 * j["max_logit"].get<double>()) << j.dump();
}

TEST(OnnxWriter, MissingWeightScalesNameTheOp) {
    OnnxSource source = tinySource();
    source.weight_scales[3].pop_back();
    try {
        tm2::onnx::serializeOnnx(source, QuantForm::Qdq);
        FAIL() << "expected an error";
    } catch (const tm2::Error& e) {
        EXPECT_NE(std::string(e.what()).find("'classifier' needs 3 weight scales"), std::string::npos)
            << e.what();
    }
}

TEST(OnnxWriter, InputShapeMustHoldTheInputTensor) {
    OnnxSource source = tinySource();
    source.input_dims = {{1, 4, 5}};
    EXPECT_THROW(tm2::onnx::serializeOnnx(source, QuantForm::Arithmetic), tm2::Error);
}

TEST(OnnxWriter, UnknownFormIsNamed) {
    EXPECT_EQ(tm2::onnx::parseQuantForm("qdq"), QuantForm::Qdq);
    EXPECT_THROW(tm2::onnx::parseQuantForm("qlinear"), tm2::Error);
}

}  // namespace
