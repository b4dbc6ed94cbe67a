// End-to-end: `tinym2net train` and `compare` on a tiny generated demo dataset.

#include <algorithm>
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/support/run_command.h"
#include "tests/support/temp_dir.h"

namespace {

using tm2::testing::cli;
using tm2::testing::runCommand;
using tm2::testing::TempDir;

// One tiny image-audio demo (40 samples, 8 speakers) shared by the tests in this file;
// its 8 speakers leave no group for validation, hence --val 0.
class TrainCli : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        dir_ = new TempDir();
        const auto r = runCommand(cli({"data", "make-demo", "--kind", "image-audio", "--out", data(),
                                       "--samples-per-class", "4", "--speakers", "8", "--quiet"}));
        ASSERT_EQ(r.exit_code, 0) << r.err;
    }
    static void TearDownTestSuite() { delete dir_; }
    static std::string data() { return dir_->file("demo"); }
    static std::vector<std::string> common(const std::string& out) {
        return {"--data", data(), "--out", out, "--workspace", dir_->file("ws"), "--cache-dir", dir_->file("cache"),
                "--threads", "1", "--batch-size", "8", "--val", "0", "--json", "--quiet"};
    }
    static TempDir* dir_;
};
TempDir* TrainCli::dir_ = nullptr;

TEST_F(TrainCli, TrainWritesRunFolderAndJsonAndResumesWhenAskedForMoreEpochs) {
    TempDir run;
    auto args = cli({"train", "--epochs", "1"});
    for (auto& a : common(run.file("r"))) args.push_back(a);
    auto r = runCommand(args);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto j = nlohmann::json::parse(r.out);
    EXPECT_TRUE(j.contains("test_acc"));
    EXPECT_EQ(j["history"].size(), 1u);
    EXPECT_FALSE(j["run_id"].get<std::string>().empty());
    for (const char* f : {"spec.json", "normalization.json", "result.json", "checkpoints/state.json", "checkpoints/best.pt"})
        EXPECT_TRUE(std::filesystem::exists(run.file(std::string("r/") + f))) << f;

    args = cli({"train", "--epochs", "2"});
    for (auto& a : common(run.file("r"))) args.push_back(a);
    r = runCommand(args);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    j = nlohmann::json::parse(r.out);
    EXPECT_EQ(j["resumed_from_epoch"], 1);
    EXPECT_EQ(j["history"].size(), 2u);
}

TEST_F(TrainCli, AugmentIsRecordedWithTheRunAndOnlyTheSameAugmentResumesIt) {
    TempDir run;
    auto train = [&](int epochs, const std::string& augment) {
        auto args = cli({"train", "--epochs", std::to_string(epochs), "--augment", augment});
        for (auto& a : common(run.file("r"))) args.push_back(a);
        return runCommand(args);
    };
    auto r = train(1, "audio,image-shift=0.1,hflip");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    std::ifstream in(run.file("r/run.json"));
    const auto recorded = nlohmann::json::parse(in)["train"]["augment"];
    EXPECT_EQ(recorded["gain_db"], 6.0);
    EXPECT_EQ(recorded["time_masks"], 2);
    EXPECT_EQ(recorded["image_shift"], 0.1);
    EXPECT_EQ(recorded["hflip"], true);
    EXPECT_EQ(recorded["rotate_deg"], 0.0);

    r = train(2, "off");
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("train.augment.gain_db"), std::string::npos) << r.err;

    r = train(2, "audio,image-shift=0.1,hflip");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(nlohmann::json::parse(r.out)["resumed_from_epoch"], 1);

    r = train(1, "audio,wobble");
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("\"wobble\": unknown"), std::string::npos) << r.err;
}

TEST_F(TrainCli, NoiseCopiesDoubleTheTrainSamplesAndAreRecordedWithTheRun) {
    TempDir run;
    auto train = [&](const std::string& out, const std::string& augment, bool stream = false) {
        auto args = cli({"train", "--epochs", "1", "--augment", augment});
        if (stream) args.push_back("--stream-features");
        for (auto& a : common(run.file(out))) args.push_back(a);
        return runCommand(args);
    };
    auto r = train("clean", "off");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto clean = nlohmann::json::parse(r.out)["samples"];
    r = train("noisy", "noise=5:20,noise-copies=1");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto noisy = nlohmann::json::parse(r.out);
    // One noisy copy of each training recording; validation and test as they were.
    EXPECT_GT(clean["train"].get<int>(), 0);
    EXPECT_EQ(noisy["samples"]["train"], 2 * clean["train"].get<int>());
    EXPECT_EQ(noisy["samples"]["test"], clean["test"]);
    std::ifstream result_file(run.file("noisy/result.json"));
    EXPECT_EQ(nlohmann::json::parse(result_file)["samples"], noisy["samples"]);
    std::ifstream run_file(run.file("noisy/run.json"));
    const auto recorded = nlohmann::json::parse(run_file)["train"]["augment"];
    EXPECT_EQ(recorded["noise_copies"], 1);
    EXPECT_EQ(recorded["noise_snr_low_db"], 5.0);
    EXPECT_EQ(recorded["noise_snr_high_db"], 20.0);
    EXPECT_EQ(recorded["noise_color"], "any");

    // Streamed from the feature cache, the copies train to the same result.
    r = train("streamed", "noise=5:20,noise-copies=1", true);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto streamed = nlohmann::json::parse(r.out);
    EXPECT_EQ(streamed["samples"], noisy["samples"]);
    EXPECT_EQ(streamed["test_acc"], noisy["test_acc"]);

    // Resuming with another SNR range is refused, naming the field.
    r = train("noisy", "noise=0:20");
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("train.augment.noise_snr_low_db"), std::string::npos) << r.err;
    // A noise folder that does not exist names itself.
    r = train("other", "noise=5:20,noise-dir=" + run.file("no-such-folder"));
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find(run.file("no-such-folder") + ": not found"), std::string::npos) << r.err;
}

TEST_F(TrainCli, CompareReportsMultimodalAndEachUnimodalAccuracy) {
    TempDir run;
    auto args = cli({"compare", "--epochs", "1", "--modality-dropout", "0.2"});
    for (auto& a : common(run.file("c"))) args.push_back(a);
    const auto r = runCommand(args);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto j = nlohmann::json::parse(r.out);
    EXPECT_TRUE(j["multimodal"].contains("test_acc"));
    EXPECT_TRUE(j["unimodal"]["image"].contains("test_acc"));
    EXPECT_TRUE(j["unimodal"]["audio"].contains("test_acc"));
    EXPECT_GT(j["train_samples_per_s"].get<double>(), 0);
    EXPECT_TRUE(j["multimodal"]["test_missing"].contains("audio"));

    // The comparison folder exports as its fused network, and that model matches it exactly.
    auto e = runCommand(cli({"export", "--run", run.file("c"), "--mode", "int8", "--out", run.file("fused.tmn"),
                             "--threads", "1", "--json"}));
    ASSERT_EQ(e.exit_code, 0) << e.err;
    e = runCommand(cli({"eval-runtime", "--model", run.file("fused.tmn"), "--run", run.file("c"), "--json"}));
    ASSERT_EQ(e.exit_code, 0) << e.err;
    const auto parity = nlohmann::json::parse(e.out);
    EXPECT_EQ(parity["integer_reference"]["max_logit_diff"].get<double>(), 0.0);
    EXPECT_GT(parity["samples"].get<int>(), 0);
}

TEST_F(TrainCli, CompareWithSeveralFusionsReportsEachAndGatedFilmAndAttentionExportExactly) {
    TempDir run;
    auto args = cli({"compare", "--epochs", "1", "--fusion", "concat,gated,film,attention"});
    for (auto& a : common(run.file("f"))) args.push_back(a);
    const auto r = runCommand(args);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto j = nlohmann::json::parse(r.out);
    ASSERT_EQ(j["fusions"].size(), 4U);
    EXPECT_EQ(j["fusions"][2]["fusion"], "film");
    EXPECT_EQ(j["fusions"][3]["fusion"], "attention");
    EXPECT_GT(j["fusions"][2]["macs"].get<long>(), j["fusions"][0]["macs"].get<long>());
    const auto& concat = j["fusions"][0];
    const auto& gated = j["fusions"][1];
    EXPECT_EQ(concat["fusion"], "concat");
    EXPECT_EQ(gated["fusion"], "gated");
    EXPECT_TRUE(gated["test_accuracy_without"].contains("audio"));
    EXPECT_TRUE(gated["test_accuracy_without"].contains("image"));
    EXPECT_GE(gated["test_uar"].get<double>(), 0.0);
    // The gates add an fc per branch over the concatenated features: more weights and MACs.
    EXPECT_GT(gated["parameters"].get<long>(), concat["parameters"].get<long>());
    EXPECT_GT(gated["macs"].get<long>(), concat["macs"].get<long>());
    EXPECT_TRUE(j["unimodal"].contains("image"));
    std::ifstream spec(run.file("f/fusion-gated/spec.json"));
    EXPECT_EQ(nlohmann::json::parse(spec)["fusion"]["type"], "gated");
    // Attention adds one score fc (features → 2 scores): more than concat, far less than the gates.
    const auto& attention = j["fusions"][3];
    EXPECT_TRUE(attention["test_accuracy_without"].contains("image"));
    EXPECT_GT(attention["parameters"].get<long>(), concat["parameters"].get<long>());
    EXPECT_LT(attention["parameters"].get<long>(), gated["parameters"].get<long>());
    EXPECT_GT(attention["macs"].get<long>(), concat["macs"].get<long>());

    // Each comparison exports (gated: gate fc, sigmoid lookup, mul; film: scale and shift
    // fcs, mul, add; attention: score fc, softmax, a broadcast mul per branch) and runs
    // code for code as its integer-exact reference.
    for (const std::string kind : {"gated", "film", "attention"}) {
        const std::string folder = run.file("f/fusion-" + kind);
        auto e = runCommand(cli({"export", "--run", folder, "--mode", "int8", "--out",
                                 run.file(kind + ".tmn"), "--threads", "1", "--json"}));
        ASSERT_EQ(e.exit_code, 0) << e.err;
        e = runCommand(cli({"eval-runtime", "--model", run.file(kind + ".tmn"), "--run", folder, "--json"}));
        ASSERT_EQ(e.exit_code, 0) << e.err;
        const auto parity = nlohmann::json::parse(e.out);
        EXPECT_EQ(parity["integer_reference"]["max_logit_diff"].get<double>(), 0.0) << kind;
        EXPECT_GT(parity["samples"].get<int>(), 0);
    }
}

TEST_F(TrainCli, CompareRejectsAnUnknownFusionNamingTheOption) {
    TempDir run;
    auto args = cli({"compare", "--epochs", "1", "--fusion", "concat,gate"});
    for (auto& a : common(run.file("x"))) args.push_back(a);
    const auto r = runCommand(args);
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("--fusion: expected one of concat, sum, late, gated, film, attention, got \"gate\""),
              std::string::npos)
        << r.err;
}

TEST_F(TrainCli, SelectByChoosesTheBestEpochOnValidationAndIsStoredWithTheRun) {
    TempDir run;
    auto args = cli({"train", "--epochs", "3", "--select-by", "loss"});
    for (auto& a : common(run.file("l"))) args.push_back(a);
    // Selection needs a validation split: a quarter of the 8 speakers (2) instead of --val 0.
    *(std::find(args.begin(), args.end(), "--val") + 1) = "0.25";
    const auto r = runCommand(args);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto j = nlohmann::json::parse(r.out);
    EXPECT_EQ(j["selected_by"], "loss");
    int best = 1;
    for (const auto& e : j["history"])
        if (e["val_loss"].get<double>() < j["history"][best - 1]["val_loss"].get<double>()) best = e["epoch"];
    EXPECT_EQ(j["best_epoch"], best);
    std::ifstream stored(run.file("l/run.json"));
    EXPECT_EQ(nlohmann::json::parse(stored)["train"]["select_by"], "loss");

    args = cli({"train", "--epochs", "1", "--select-by", "test"});
    for (auto& a : common(run.file("t"))) args.push_back(a);
    EXPECT_NE(runCommand(args).exit_code, 0);
}

TEST_F(TrainCli, OnlyTrainsOneBranch) {
    TempDir run;
    auto args = cli({"train", "--epochs", "1", "--only", "audio"});
    for (auto& a : common(run.file("o"))) args.push_back(a);
    const auto r = runCommand(args);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    std::ifstream spec(run.file("o/spec.json"));
    EXPECT_EQ(nlohmann::json::parse(spec)["branches"].size(), 1u);
}

TEST_F(TrainCli, BadSpecsAndFoldersGiveClearErrors) {
    TempDir run;
    // A spec whose branch names a modality the dataset does not have.
    tm2::testing::writeTextFile(run.path() / "spec.json", R"({"branches":[{"modality":"speech","layers":[
        {"type":"conv2d","out_channels":4,"kernel":3},{"type":"flatten"},{"type":"fc","out_features":4}]}]})");
    auto args = cli({"train", "--epochs", "1", "--spec", run.file("spec.json")});
    for (auto& a : common(run.file("s"))) args.push_back(a);
    auto r = runCommand(args);
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("speech"), std::string::npos) << r.err;

    // A typo in a layer field is named with its JSON path.
    tm2::testing::writeTextFile(run.path() / "typo.json", R"({"branches":[{"modality":"audio","layers":[
        {"type":"conv2d","out_channels":4,"kernal":3}]}]})");
    args = cli({"train", "--epochs", "1", "--spec", run.file("typo.json")});
    for (auto& a : common(run.file("t"))) args.push_back(a);
    r = runCommand(args);
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("kernal"), std::string::npos) << r.err;

    // An output path under a regular file cannot be created.
    tm2::testing::writeTextFile(run.path() / "file", "x");
    args = cli({"train", "--epochs", "1"});
    for (auto& a : common(run.file("file/run"))) args.push_back(a);
    r = runCommand(args);
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("file/run"), std::string::npos) << r.err;
}

TEST_F(TrainCli, SpecsBeyondTheMemoryBudgetFailNamingTheLayerBeforeLibTorchAllocates) {
    TempDir run;
    // A 2^31 − 1 wide fc on the audio features: terabytes of weights.
    tm2::testing::writeTextFile(run.path() / "wide.json", R"({"branches":[
        {"modality":"image","layers":[{"type":"flatten"},{"type":"fc","out_features":4}]},
        {"modality":"audio","layers":[{"type":"flatten"},{"type":"fc","out_features":2147483647}]}]})");
    auto args = cli({"train", "--epochs", "1", "--spec", run.file("wide.json")});
    for (auto& a : common(run.file("w"))) args.push_back(a);
    auto r = runCommand(args);
    EXPECT_EQ(r.exit_code, 1) << r.err;
    EXPECT_NE(r.err.find("layer 'audio.1.fc' alone needs"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("--memory-budget-mb"), std::string::npos) << r.err;

    // The budget is the user's: the default model does not fit in 1 MiB.
    args = cli({"train", "--epochs", "1", "--memory-budget-mb", "1"});
    for (auto& a : common(run.file("small"))) args.push_back(a);
    r = runCommand(args);
    EXPECT_EQ(r.exit_code, 1) << r.err;
    EXPECT_NE(r.err.find("more than the budget of 1.0 MiB"), std::string::npos) << r.err;
}

}  // namespace

namespace {

// The issue's reproduction: 4 speakers leave no group for val and test.
TEST(TrainSplitsCli, AnEmptySplitIsAnErrorUnlessItsFractionIsZeroAndThenTestMetricsAreNull) {
    TempDir dir;
    auto r = runCommand(cli({"data", "make-demo", "--kind", "image-audio", "--out", dir.file("demo"),
                             "--samples-per-class", "8", "--speakers", "4", "--quiet"}));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const std::vector<std::string> common{"--data", dir.file("demo"), "--workspace", dir.file("ws"), "--cache-dir",
                                          dir.file("cache"), "--threads", "1", "--batch-size", "16", "--epochs", "1",
                                          "--quiet"};
    auto train = [&](const std::string& out, std::vector<std::string> extra) {
        std::vector<std::string> args = cli({"train", "--out", dir.file(out)});
        args.insert(args.end(), common.begin(), common.end());
        args.insert(args.end(), extra.begin(), extra.end());
        return runCommand(args);
    };
    r = train("defaults", {});
    EXPECT_EQ(r.exit_code, 1) << r.out;
    EXPECT_NE(r.err.find("split is empty"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("more groups"), std::string::npos) << r.err;
    EXPECT_EQ(r.out.find("test acc 0.0%"), std::string::npos) << r.out;

    r = train("none", {"--val", "0", "--test", "0"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("test —"), std::string::npos) << r.out;
    EXPECT_EQ(r.out.find("0.0%"), std::string::npos) << r.out;

    r = train("none-json", {"--val", "0", "--test", "0", "--json"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto j = nlohmann::json::parse(r.out);
    EXPECT_TRUE(j.at("test").is_null()) << j.dump();
    EXPECT_TRUE(j.at("test_acc").is_null());
    EXPECT_TRUE(j.at("val").is_null());

    // Downstream steps report test accuracy: they refuse rather than print 0 %.
    r = runCommand(cli({"quantize", "--run", dir.file("none"), "--mode", "int8", "--threads", "1", "--workspace",
                        dir.file("ws"), "--quiet"}));
    EXPECT_EQ(r.exit_code, 1) << r.out;
    EXPECT_NE(r.err.find("no test split"), std::string::npos) << r.err;
}

}  // namespace
