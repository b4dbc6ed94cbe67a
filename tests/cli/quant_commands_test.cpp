// End-to-end: `tinym2net quantize` on a run trained here on a tiny demo dataset.

#include <algorithm>
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/cli/tiny_demo_run.h"
#include "tests/support/run_command.h"
#include "tests/support/temp_dir.h"

namespace {

using tm2::testing::cli;
using tm2::testing::runCommand;
using tm2::testing::TempDir;

class QuantizeCli : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        dir_ = new TempDir();
        ASSERT_NO_FATAL_FAILURE(tm2::testing::trainTinyDemoRun(*dir_, 2));
    }
    static void TearDownTestSuite() { delete dir_; }
    static std::string run() { return dir_->file("run"); }
    static std::string ws() { return dir_->file("ws"); }
    static nlohmann::json quantize(std::vector<std::string> extra) {
        std::vector<std::string> args{"quantize", "--run", run(), "--threads", "1", "--workspace", ws(), "--json",
                                      "--hessian-probes", "4"};
        args.insert(args.end(), extra.begin(), extra.end());
        const auto r = runCommand(cli(args));
        EXPECT_EQ(r.exit_code, 0) << r.err;
        return r.exit_code == 0 ? nlohmann::json::parse(r.out) : nlohmann::json{};
    }
    static TempDir* dir_;
};
TempDir* QuantizeCli::dir_ = nullptr;

TEST_F(QuantizeCli, Int8ReportsAccuracyBytesBopsAndEveryLayer) {
    const auto j = quantize({"--mode", "int8"});
    ASSERT_FALSE(j.empty());
    EXPECT_TRUE(j.contains("accuracy"));
    EXPECT_GT(j["model_bytes"].get<double>(), 0);
    EXPECT_LT(j["model_bytes"].get<double>(), j["fp32_model_bytes"].get<double>() / 3);
    ASSERT_EQ(j["layers"].size(), 14u);  // the preset's weight layers, dsconv split in two
    for (const auto& l : j["layers"]) EXPECT_EQ(l["bits"], 8);
    EXPECT_TRUE(std::filesystem::exists(run() + "/quant-int8.json"));
}

TEST_F(QuantizeCli, MixedPrecisionShowsTracesOmegaAndTheIlpAndReplaysAsAPlan) {
    const auto j = quantize({"--mode", "mp", "--alpha", "0.5"});
    ASSERT_FALSE(j.empty());
    EXPECT_EQ(j["ilp"]["status"], "optimal");
    // Isolated probes to a 15 % relative standard error by default, the precision stated with each trace.
    EXPECT_EQ(j["options"]["hessian"]["isolate_layers"], true);
    EXPECT_DOUBLE_EQ(j["hessian"]["tolerance"].get<double>(), 0.15);
    double worst = 0;
    for (const auto& l : j["layers"]) worst = std::max(worst, l["hessian_trace_relative_sem"].get<double>());
    EXPECT_DOUBLE_EQ(j["hessian"]["worst_relative_sem"].get<double>(), worst);
    for (const auto& l : j["layers"]) {
        EXPECT_TRUE(l.contains("hessian_trace"));
        EXPECT_TRUE(l["omega"].contains("4"));
        EXPECT_TRUE(l["omega"].contains("8"));
    }
    const double budget = j["ilp_problem"]["size_bytes_max"].get<double>();
    EXPECT_LE(j["weight_bytes"].get<double>(), budget + 14);  // ceil per layer
    // Replaying the plan gives the same bits.
    const auto replay = quantize({"--mode", "mp", "--plan", run() + "/quant-mp.json", "--plan-out", run() + "/replay.json"});
    EXPECT_EQ(replay["bits"], j["bits"]);
}

TEST_F(QuantizeCli, ParetoSweepGoesFromAllInt4ToAllInt8) {
    const auto j = quantize({"--mode", "mp", "--sweep", "3"});
    ASSERT_EQ(j["pareto"].size(), 3u);
    const auto& first = j["pareto"][0];
    const auto& last = j["pareto"][2];
    for (const auto& [name, b] : first["bits"].items()) EXPECT_EQ(b, 4) << name;
    for (const auto& [name, b] : last["bits"].items()) EXPECT_EQ(b, 8) << name;
    EXPECT_GT(first["objective"].get<double>(), last["objective"].get<double>());
    // Validation accuracy to choose a plan by, test accuracy reported beside it; the tiny
    // run has no validation split (--val 0), so there is no val_accuracy, and test never stands in.
    for (const auto& p : j["pareto"]) {
        EXPECT_FALSE(p.contains("val_accuracy"));
        EXPECT_TRUE(p.contains("test_accuracy"));
        EXPECT_FALSE(p.contains("accuracy"));
    }
}

TEST_F(QuantizeCli, PinnedHeadAtAlphaZeroIsTheSmallestSizeThePinsAllow) {
    for (const char* pin : {"--pin-head", "--pin=head"}) {
        const auto j = quantize({"--mode", "mp", pin, "--alpha", "0"});
        ASSERT_FALSE(j.empty()) << pin;
        EXPECT_EQ(j["ilp"]["status"], "optimal");
        // Smallest with the head pinned: weight bytes of every free layer at 4, the head at 8.
        double smallest = 0;
        for (const auto& l : j["layers"]) {
            const bool head = l["branch"] == "head";
            smallest += l["params"].get<double>() * (head ? 8 : 4) / 8.0;
            EXPECT_EQ(l["bits"], head ? 8 : 4) << l["name"];
        }
        EXPECT_DOUBLE_EQ(j["ilp_problem"]["size_bytes_max"].get<double>(), smallest);
    }
}

TEST_F(QuantizeCli, Int4WithFirstAndClassifierPinnedIsHawqsBaseline) {
    const auto j = quantize({"--mode", "int4", "--pin", "first", "--pin", "classifier"});
    ASSERT_FALSE(j.empty());
    ASSERT_GE(j["pinned"].size(), 3u) << j["pinned"].dump();  // each branch's first conv and the classifier
    EXPECT_EQ(j["pinned"]["classifier"], 8);
    for (const char* branch : {"image", "audio"}) {
        int pinned = 0;
        for (const auto& [name, bits] : j["pinned"].items()) pinned += name.rfind(branch, 0) == 0;
        EXPECT_GE(pinned, 1) << branch;
    }
    for (const auto& l : j["layers"]) EXPECT_EQ(l["bits"], j["pinned"].contains(l["name"]) ? 8 : 4) << l["name"];
    const auto plain = quantize({"--mode", "int4"});
    for (const auto& l : plain["layers"]) EXPECT_EQ(l["bits"], 4) << l["name"];
    EXPECT_LT(plain["bops"].get<double>(), j["bops"].get<double>());
}

TEST_F(QuantizeCli, UnreachableBudgetsAndMissingRunsAreClearErrors) {
    auto r = runCommand(cli({"quantize", "--run", run(), "--mode", "mp", "--size-kb", "0.5", "--threads", "1",
                             "--workspace", ws(), "--hessian-probes", "2"}));
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("smallest"), std::string::npos) << r.err;
    EXPECT_FALSE(std::filesystem::exists(run() + "/quant-mp-unreachable.json"));
    TempDir empty;
    r = runCommand(cli({"quantize", "--run", empty.path().string(), "--mode", "int8", "--workspace", ws()}));
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("run.json"), std::string::npos) << r.err;
}

}  // namespace
