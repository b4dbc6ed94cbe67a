// End-to-end: a run folder is resumed only by the same run, and every run is
// accounted for in the store — killed (-9), terminated (SIGTERM) or resumed.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <csignal>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <thread>

#include "tests/support/run_command.h"
#include "tests/support/temp_dir.h"

namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using ::testing::HasSubstr;
using tm2::testing::BackgroundCommand;
using tm2::testing::cli;
using tm2::testing::runCommand;
using tm2::testing::TempDir;

// A tiny image-audio demo and a copy with one sample fewer, shared by the tests here.
class RunAccountingCli : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        dir_ = new TempDir();
        const auto r =
            runCommand(cli({"data", "make-demo", "--kind", "image-audio", "--out", dir_->file("demo"),
                            "--samples-per-class", "4", "--speakers", "8", "--quiet"}));
        ASSERT_EQ(r.exit_code, 0) << r.err;
        // Another dataset of the same shapes: the demo without its manifest's last sample.
        fs::copy(dir_->file("demo"), dir_->file("other"), fs::copy_options::recursive);
        std::string manifest = tm2::testing::readFileBytes(dir_->file("other/manifest.csv"));
        manifest.erase(manifest.find_last_of('\n', manifest.size() - 2) + 1);
        tm2::testing::writeTextFile(dir_->file("other/manifest.csv"), manifest);
    }
    static void TearDownTestSuite() { delete dir_; }

    std::vector<std::string> train(const std::string& out, int epochs, std::vector<std::string> extra = {},
                                   const std::string& data = "demo") const {
        auto args = cli({"train", "--data", dir_->file(data), "--out", out, "--workspace", ws.file("ws"),
                         "--cache-dir", dir_->file("cache"), "--threads", "1", "--batch-size", "8",
                         "--epochs", std::to_string(epochs), "--val", "0", "--json", "--quiet"});  // the tiny demo leaves no validation group
        args.insert(args.end(), extra.begin(), extra.end());
        return args;
    }
    json runs(const std::vector<std::string>& verb) const {
        auto args = cli({"runs"});
        args.insert(args.end(), verb.begin(), verb.end());
        for (const std::string& a : {std::string("--workspace"), ws.file("ws"), std::string("--json")})
            args.push_back(a);
        const auto r = runCommand(args);
        EXPECT_EQ(r.exit_code, 0) << r.err;
        return json::parse(r.out, nullptr, false);
    }
    // The last epoch the run's checkpoint committed (0 before the first).
    static int checkpointEpoch(const std::string& run) {
        const json state =
            json::parse(tm2::testing::readFileBytes(run + "/checkpoints/state.json"), nullptr, false);
        return state.is_object() && state.contains("epoch") ? state["epoch"].get<int>() : 0;
    }
    // Waits until the checkpoint holds `epoch` (the store recorded the one before it by then).
    static void waitForEpoch(BackgroundCommand& command, const std::string& run, int epoch) {
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(3);
        while (checkpointEpoch(run) < epoch) {
            ASSERT_TRUE(command.running()) << "training ended early: " << command.wait().err;
            ASSERT_LT(std::chrono::steady_clock::now(), deadline);
            std::this_thread::sleep_for(std::chrono::milliseconds(2));
        }
    }

    static TempDir* dir_;
    TempDir ws;
};
TempDir* RunAccountingCli::dir_ = nullptr;

// Every file under `dir` with its bytes.
std::map<std::string, std::string> snapshot(const std::string& dir) {
    std::map<std::string, std::string> files;
    for (const auto& entry : fs::recursive_directory_iterator(dir))
        if (entry.is_regular_file())
            files[fs::relative(entry.path(), dir).string()] = tm2::testing::readFileBytes(entry.path());
    return files;
}

TEST_F(RunAccountingCli, AMismatchedResumeIsRefusedAndLeavesEveryFileAsItWas) {
    const std::string run = ws.file("run");
    auto r = runCommand(train(run, 1));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto before = snapshot(run);
    ASSERT_TRUE(before.count("run.json") && before.count("checkpoints/state.json"));

    r = runCommand(train(run, 2, {"--lr", "0.01"}));
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_THAT(r.err, HasSubstr("train.learning_rate: 0.001 in the folder, 0.01 asked for"));
    EXPECT_THAT(r.err, HasSubstr("--no-resume"));
    EXPECT_THAT(r.err, HasSubstr("another --out"));
    EXPECT_EQ(snapshot(run), before);

    r = runCommand(train(run, 2, {}, "other"));  // another dataset, same settings
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_THAT(r.err, HasSubstr("data_fingerprint"));
    EXPECT_EQ(snapshot(run), before);

    // Starting over is asked for explicitly.
    r = runCommand(train(run, 1, {"--lr", "0.01", "--no-resume"}));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(json::parse(r.out)["resumed_from_epoch"], 0);
}

TEST_F(RunAccountingCli, AMatchingResumeWithMoreEpochsContinuesAndLinksToTheRunItContinues) {
    const std::string run = ws.file("run");
    auto r = runCommand(train(run, 1));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const std::string first = json::parse(r.out)["run_id"];

    r = runCommand(train(run, 2, {"--no-cache"}));  // the feature cache only changes speed
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const json second = json::parse(r.out);
    EXPECT_EQ(second["resumed_from_epoch"], 1);
    EXPECT_EQ(second["history"].size(), 2u);
    EXPECT_EQ(second["resumed_from"], first);
    EXPECT_EQ(runs({"show", second["run_id"]})["resumed_from"], first);
}

TEST_F(RunAccountingCli, AKilledRunIsShownInterruptedWithTheEpochsItFinished) {
    const std::string run = ws.file("run");
    BackgroundCommand training(train(run, 5000));
    ASSERT_NO_FATAL_FAILURE(waitForEpoch(training, run, 2));
    training.signal(SIGKILL);
    EXPECT_EQ(training.wait().exit_code, 128 + SIGKILL);
    const int committed = checkpointEpoch(run);

    // Any command that opens the store sees that the process is gone.
    const json list = runs({"list"});
    ASSERT_EQ(list["runs"].size(), 1u);
    EXPECT_EQ(list["runs"][0]["status"], "interrupted");
    const json shown = runs({"show", list["runs"][0]["id"]});
    EXPECT_THAT(shown["error"].get<std::string>(), HasSubstr("pid " + std::to_string(training.pid())));
    // Epochs are recorded as they complete: all the checkpoint holds, except the
    // one whose checkpoint was written just before the kill.
    const std::size_t recorded = shown["epochs"].size();
    EXPECT_GE(recorded, 1u);
    EXPECT_GE(static_cast<int>(recorded), committed - 1);
    EXPECT_LE(static_cast<int>(recorded), committed);
    for (std::size_t i = 0; i < recorded; ++i)
        EXPECT_EQ(shown["epochs"][i]["epoch"], static_cast<int>(i) + 1);
    EXPECT_EQ(runs({"list", "--status", "interrupted"})["runs"].size(), 1u);
}

TEST_F(RunAccountingCli, SigtermCancelsTheRunKeepsItsCheckpointAndItResumes) {
    const std::string run = ws.file("run");
    BackgroundCommand training(train(run, 5000));
    ASSERT_NO_FATAL_FAILURE(waitForEpoch(training, run, 1));
    training.signal(SIGTERM);
    const auto ended = training.wait();
    EXPECT_EQ(ended.exit_code, 128 + SIGTERM) << ended.err;
    const int committed = checkpointEpoch(run);
    EXPECT_GE(committed, 1);

    const json list = runs({"list"});
    ASSERT_EQ(list["runs"].size(), 1u);
    EXPECT_EQ(list["runs"][0]["status"], "cancelled");
    const std::string cancelled = list["runs"][0]["id"];
    EXPECT_EQ(runs({"show", cancelled})["epochs"].size(), static_cast<std::size_t>(committed));

    const auto r = runCommand(train(run, committed + 1));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const json resumed = json::parse(r.out);
    EXPECT_EQ(resumed["resumed_from_epoch"], committed);
    EXPECT_EQ(resumed["resumed_from"], cancelled);
}

}  // namespace
