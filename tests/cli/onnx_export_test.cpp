// End-to-end: `tinym2net export --format onnx` on a trained tiny demo run. The file
// loads in an independent runtime (OpenCV's DNN module, arithmetic form: OpenCV 4.6
// cannot run QDQ) and gives the logits of the fake-quant reference — the saved
// quantized network evaluated by LibTorch — on the test split; both forms pass
// python3-onnx's full checker, and the QDQ form computes what the arithmetic one does.
//
// Tolerance: the ONNX graph is the fake-quant network written out, so logits differ only
// by float32 summation order, and by a whole activation step where that order puts a
// value on the other side of a rounding tie. Measured on this demo (1 epoch, 6 test
// samples): INT8 max |difference| 2.9e-4 with the largest logit 0.142, INT4 1.5e-8;
// argmax agreed on 6/6 in both. The bound below is 1 % of the largest reference logit,
// argmax agreeing on every sample (docs/onnx-export.md).

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>
#include <opencv2/dnn.hpp>
#include <string>
#include <vector>

#include "core/train/trainer.h"
#include "core/workflow/quantized_plan.h"
#include "core/workflow/training_session.h"
#include "tests/cli/tiny_demo_run.h"
#include "tests/support/onnx_checker.h"
#include "tests/support/run_command.h"
#include "tests/support/temp_dir.h"

namespace {

using tm2::testing::cli;
using tm2::testing::runCommand;
using tm2::testing::TempDir;

// The fake-quant network `quantize --mode MODE` saved, on the run's test split: logits and inputs.
struct Reference {
    torch::Tensor logits;
    std::vector<torch::Tensor> inputs;  // per branch, in the spec's order
    std::vector<std::string> modalities;
};

Reference fakeQuantReference(const std::string& run, const std::string& mode) {
    torch::NoGradGuard no_grad;
    tm2::workflow::PlanModel pm = tm2::workflow::loadPlanModel(run + "/quant-" + mode + ".json", run, 1);
    const tm2::workflow::LoadedRun loaded = tm2::workflow::loadRun(run, 1);
    const auto& data = loaded.prepared.data;
    Reference r;
    for (const std::size_t m : tm2::train::branchInputOrder(loaded.prepared.spec, data))
        r.inputs.push_back(data.test.inputs.at(m).contiguous());
    for (const auto& branch : loaded.prepared.spec.branches) r.modalities.push_back(branch.modality);
    r.logits = pm.model.net->forward(r.inputs).logits.contiguous();
    return r;
}

cv::Mat toMat(const torch::Tensor& t) {
    const std::vector<int> dims(t.sizes().begin(), t.sizes().end());
    return cv::Mat(dims, CV_32F, const_cast<float*>(t.data_ptr<float>())).clone();
}

struct Agreement {
    double max_abs = 0, max_reference = 0;
    int same_argmax = 0, samples = 0;
};

Agreement compareInOpenCv(const std::string& onnx, const Reference& ref) {
    cv::dnn::Net net = cv::dnn::readNetFromONNX(onnx);
    for (std::size_t b = 0; b < ref.inputs.size(); ++b) net.setInput(toMat(ref.inputs[b]), ref.modalities[b]);
    const cv::Mat out = net.forward("logits");
    const auto n = ref.logits.size(0), classes = ref.logits.size(1);
    EXPECT_EQ(out.total(), static_cast<std::size_t>(n * classes));
    Agreement a;
    a.samples = static_cast<int>(n);
    const float* expected = ref.logits.data_ptr<float>();
    for (std::int64_t i = 0; i < n && out.total() == static_cast<std::size_t>(n * classes); ++i) {
        const float* got = out.ptr<float>() + i * classes;
        const float* want = expected + i * classes;
        for (std::int64_t c = 0; c < classes; ++c) {
            a.max_abs = std::max(a.max_abs, static_cast<double>(std::abs(got[c] - want[c])));
            a.max_reference = std::max(a.max_reference, static_cast<double>(std::abs(want[c])));
        }
        a.same_argmax +=
            std::max_element(got, got + classes) - got == std::max_element(want, want + classes) - want;
    }
    return a;
}

TEST(OnnxExportCli, OpenCvRunsTheExportAndMatchesTheFakeQuantNetwork) {
    TempDir dir;
    ASSERT_NO_FATAL_FAILURE(tm2::testing::trainTinyDemoRun(dir, 1));
    for (const std::string mode : {"int8", "int4"}) {
        SCOPED_TRACE(mode);
        const std::string onnx = dir.file(mode + "-arithmetic.onnx");
        const auto r = runCommand(cli({"export", "--run", dir.file("run"), "--mode", mode, "--format", "onnx",
                                       "--onnx-form", "arithmetic", "--out", onnx, "--json"}));
        ASSERT_EQ(r.exit_code, 0) << r.err;
        const auto j = nlohmann::json::parse(r.out);
        EXPECT_EQ(j["form"], "arithmetic");
        EXPECT_EQ(j["opset"], 13);
        EXPECT_EQ(j["output"], "logits");

        const Reference ref = fakeQuantReference(dir.file("run"), mode);
        ASSERT_GT(ref.logits.size(0), 0);
        const Agreement a = compareInOpenCv(onnx, ref);
        std::cout << mode << ": max |logit difference| " << a.max_abs << " (largest logit " << a.max_reference
                  << "), argmax agrees on " << a.same_argmax << "/" << a.samples << " samples\n";
        EXPECT_LE(a.max_abs, 0.01 * a.max_reference);
        EXPECT_EQ(a.same_argmax, a.samples);
    }
}

TEST(OnnxExportCli, BothFormsPassTheOnnxCheckerAndQdqIsTheDefault) {
    if (!tm2::testing::pythonOnnxAvailable())
        GTEST_SKIP() << "python3-onnx is not installed (scripts/deps.txt)";
    TempDir dir;
    ASSERT_NO_FATAL_FAILURE(tm2::testing::trainTinyDemoRun(dir, 1));
    auto r = runCommand(cli({"export", "--run", dir.file("run"), "--mode", "int4", "--format", "onnx",
                             "--out", dir.file("int4.onnx"), "--json"}));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(nlohmann::json::parse(r.out)["form"], "qdq");
    r = runCommand(cli({"export", "--run", dir.file("run"), "--mode", "int4", "--format", "onnx",
                        "--onnx-form", "arithmetic", "--out", dir.file("int4-arithmetic.onnx")}));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    for (const char* file : {"int4.onnx", "int4-arithmetic.onnx"}) {
        const auto check = tm2::testing::checkOnnxModel(dir.file(file));
        EXPECT_EQ(check.exit_code, 0) << file << ": " << check.err;
    }
    // The QDQ form (which OpenCV 4.6 cannot run) computes what the arithmetic form computes,
    // run by a NumPy interpreter of the operators on 8 seeded inputs (measured: identical logits).
    r = tm2::testing::compareOnnxModelsInNumpy(dir.file("int4.onnx"), dir.file("int4-arithmetic.onnx"));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto same = nlohmann::json::parse(r.out);
    EXPECT_LE(same["max_abs"].get<double>(), 1e-6 * same["max_logit"].get<double>()) << same.dump();
    EXPECT_EQ(same["argmax_agreement"], 1.0);
    // INT4 weights travel as int8 tensors holding codes within ±7.
    r = tm2::testing::dumpOnnxInitializers(dir.file("int4.onnx"), ".weight.codes");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto codes = nlohmann::json::parse(r.out);
    ASSERT_FALSE(codes.empty());
    for (const auto& [name, t] : codes.items())
        for (const auto& v : t["values"]) EXPECT_LE(std::abs(v.get<int>()), 7) << name;
}

TEST(OnnxExportCli, OnnxFormWithoutOnnxFormatIsRefused) {
    TempDir dir;
    const auto r = runCommand(cli({"export", "--run", dir.path().string(), "--mode", "int8", "--onnx-form",
                                   "qdq", "--out", dir.file("m.tmn")}));
    EXPECT_NE(r.exit_code, 0);
    EXPECT_NE(r.err.find("--onnx-form"), std::string::npos) << r.err;
}

}  // namespace
