// End-to-end: `tinym2net sweep run --executor local` over the tiny demo set, then
// `sweep status`, `sweep collect` (twice: the second changes nothing) and
// `sweep resume` (reruns only what failed).

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <csignal>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <thread>

#include "tests/support/run_command.h"
#include "tests/support/temp_dir.h"

namespace {

using nlohmann::json;
using ::testing::HasSubstr;
using tm2::testing::BackgroundCommand;
using tm2::testing::cli;
using tm2::testing::runCommand;
using tm2::testing::TempDir;

// The tiny demo set of tests/cli/tiny_demo_run.h: 4 samples per class, 8 speakers (no validation).
void makeTinyDemo(const TempDir& dir) {
    const auto r = runCommand(cli({"data", "make-demo", "--kind", "image-audio", "--out", dir.file("demo"),
                                   "--samples-per-class", "4", "--speakers", "8", "--quiet"}));
    ASSERT_EQ(r.exit_code, 0) << r.err;
}

// resources/sweeps/tiny.json with this test's feature cache.
std::string tinySweep(const TempDir& dir, const json& extra_axes = json::array()) {
    json s =
        json::parse(tm2::testing::readFileBytes(std::string(TM2_SOURCE_DIR) + "/resources/sweeps/tiny.json"));
    s["base"]["train"]["cache_dir"] = dir.file("cache");
    for (const auto& axis : extra_axes) s["axes"].push_back(axis);
    tm2::testing::writeTextFile(dir.file("SWEEP.json"), s.dump());
    return dir.file("SWEEP.json");
}

json jsonOf(const tm2::testing::CommandResult& r) {
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return json::parse(r.out, nullptr, false);
}

json trialRecord(const TempDir& dir, int index) {
    char name[32];
    std::snprintf(name, sizeof name, "trial-%04d", index);
    return json::parse(tm2::testing::readFileBytes(dir.path() / "sw" / name / "trial.json"));
}

TEST(SweepRunCli, FourTrialsRunAsOrdinaryRunFoldersAndCollectOnce) {
    TempDir dir;
    ASSERT_NO_FATAL_FAILURE(makeTinyDemo(dir));
    const std::string sweep = tinySweep(dir);
    auto r = runCommand(cli({"sweep", "run", sweep, "--data", dir.file("demo"), "--out", dir.file("sw"),
                             "--executor", "local", "--jobs", "2", "--quiet"}));
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    for (int i = 0; i < 4; ++i) {
        const json t = trialRecord(dir, i);
        ASSERT_EQ(t["attempts"].size(), 1u);
        const json& a = t["attempts"][0];
        EXPECT_EQ(a["status"], "finished") << a["error"];
        ASSERT_EQ(a["runs"].size(), 1u);
        EXPECT_EQ(a["runs"][0]["sweep"], "tiny");
        EXPECT_EQ(a["runs"][0]["params"]["sweep"]["values"], t["values"]);
        EXPECT_TRUE(a["metrics"].contains("test_accuracy"));
        // An ordinary run folder: what `quantize --run` or `export --run` take.
        const auto folder = dir.path() / "sw" / t["attempts"][0]["runs"][0]["name"].get<std::string>();
        EXPECT_TRUE(std::filesystem::exists(folder / "result.json"));
        EXPECT_TRUE(std::filesystem::exists(folder / "checkpoints" / "best.pt"));
    }
    EXPECT_EQ(trialRecord(dir, 3)["values"], (json{{"fusion", "sum"}, {"seed", 2}}));
    EXPECT_FALSE(std::filesystem::exists(dir.file("ws")));  // trials never touch the store

    const json status = jsonOf(runCommand(cli({"sweep", "status", dir.file("sw"), "--json"})));
    for (const auto& t : status["trials"]) EXPECT_EQ(t["state"], "finished");

    const json first = jsonOf(
        runCommand(cli({"sweep", "collect", dir.file("sw"), "--workspace", dir.file("ws"), "--json"})));
    EXPECT_EQ(first["added"], 4);
    EXPECT_EQ(first["already"], 0);
    const json runs =
        jsonOf(runCommand(cli({"runs", "list", "--sweep", "tiny", "--workspace", dir.file("ws"), "--json"})));
    EXPECT_EQ(runs["runs"].size(), 4u);
    const json second = jsonOf(
        runCommand(cli({"sweep", "collect", dir.file("sw"), "--workspace", dir.file("ws"), "--json"})));
    EXPECT_EQ(second["added"], 0);
    EXPECT_EQ(second["already"], 4);
    EXPECT_EQ(jsonOf(runCommand(cli({"runs", "list", "--workspace", dir.file("ws"), "--json"}))), runs);

    // Two seed groups (fusion concat, sum), each the mean of its two trials.
    ASSERT_EQ(second["seed_groups"].size(), 2u);
    const json& concat = second["seed_groups"][0];
    EXPECT_EQ(concat["values"], (json{{"fusion", "concat"}}));
    const double a0 = trialRecord(dir, 0)["attempts"][0]["metrics"]["test_accuracy"];
    const double a1 = trialRecord(dir, 1)["attempts"][0]["metrics"]["test_accuracy"];
    EXPECT_NEAR(concat["metrics"]["test_accuracy"]["mean"].get<double>(), (a0 + a1) / 2, 1e-12);
    EXPECT_EQ(concat["metrics"]["test_accuracy"]["n"], 2);
    EXPECT_TRUE(concat["metrics"]["test_accuracy"].contains("ci95_low"));

    const auto text = runCommand(cli({"sweep", "collect", dir.file("sw"), "--workspace", dir.file("ws")}));
    EXPECT_THAT(text.out, HasSubstr("across seeds (mean ± 95 % CI, Student t)"));
    EXPECT_THAT(text.out, HasSubstr("fusion=sum"));
}

TEST(SweepRunCli, AFailedTrialIsRecordedAndResumeRerunsOnlyIt) {
    TempDir dir;
    ASSERT_NO_FATAL_FAILURE(makeTinyDemo(dir));
    // One seed; the second dataset does not exist, so trial 1 fails.
    json s = json::parse(tm2::testing::readFileBytes(tinySweep(dir)));
    s["axes"] = json::array({{{"param", "data"}, {"values", {dir.file("demo"), dir.file("missing")}}},
                             {{"param", "seed"}, {"values", {1}}}});
    tm2::testing::writeTextFile(dir.file("SWEEP.json"), s.dump());
    auto r = runCommand(cli({"sweep", "run", dir.file("SWEEP.json"), "--out", dir.file("sw"), "--quiet"}));
    EXPECT_EQ(r.exit_code, 3) << r.out << r.err;  // not every trial finished
    EXPECT_EQ(trialRecord(dir, 0)["attempts"][0]["status"], "finished");
    const json failed = trialRecord(dir, 1)["attempts"][0];
    EXPECT_EQ(failed["status"], "failed");
    EXPECT_THAT(failed["error"].get<std::string>(), HasSubstr("missing"));

    r = runCommand(cli({"sweep", "resume", dir.file("sw"), "--quiet"}));
    EXPECT_EQ(r.exit_code, 3) << r.out << r.err;
    EXPECT_EQ(trialRecord(dir, 0)["attempts"].size(), 1u);  // finished: left alone
    EXPECT_EQ(trialRecord(dir, 1)["attempts"].size(), 2u);  // failed: run again
    const json status = jsonOf(runCommand(cli({"sweep", "status", dir.file("sw"), "--json"})));
    EXPECT_EQ(status["trials"][1]["state"], "failed");
    EXPECT_EQ(status["trials"][1]["attempts"], 2);
}

TEST(SweepRunCli, AKilledTrialShowsAsInterruptedAndResumesFromItsCheckpoint) {
    TempDir dir;
    ASSERT_NO_FATAL_FAILURE(makeTinyDemo(dir));
    json s = json::parse(tm2::testing::readFileBytes(tinySweep(dir)));
    s["base"]["train"]["epochs"] = 12;
    s["axes"] = json::array({{{"param", "seed"}, {"values", {1}}}});
    tm2::testing::writeTextFile(dir.file("SWEEP.json"), s.dump());
    {
        BackgroundCommand trial(cli({"sweep", "run-trial", dir.file("SWEEP.json"), "--trial", "0", "--out",
                                     dir.file("sw"), "--data", dir.file("demo"), "--quiet"}));
        // kill -9 once the first epoch's checkpoint is written (an OOM kill, a node lost).
        const auto state = dir.path() / "sw" / "trial-0000" / "checkpoints" / "state.json";
        const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(120);
        while (!std::filesystem::exists(state) && trial.running() && std::chrono::steady_clock::now() < end)
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        ASSERT_TRUE(trial.running()) << "the trial ended before it could be killed";
        trial.signal(SIGKILL);
        trial.wait();
    }
    json status = jsonOf(runCommand(cli({"sweep", "status", dir.file("sw"), "--json"})));
    EXPECT_EQ(status["trials"][0]["state"], "interrupted");

    const auto r = runCommand(cli({"sweep", "resume", dir.file("sw"), "--quiet"}));
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    const json t = trialRecord(dir, 0);
    ASSERT_EQ(t["attempts"].size(), 2u);
    const json& resumed = t["attempts"][1];
    EXPECT_EQ(resumed["status"], "finished") << resumed["error"];
    EXPECT_GE(resumed["runs"][0]["result"]["resumed_from_epoch"].get<int>(), 1);  // not from scratch
    EXPECT_EQ(resumed["runs"][0]["result"]["history"].back()["epoch"], 12);
}

TEST(SweepRunCli, QuantizeAndSpecAxesReachEachTrial) {
    TempDir dir;
    ASSERT_NO_FATAL_FAILURE(makeTinyDemo(dir));
    json s = json::parse(tm2::testing::readFileBytes(tinySweep(dir)));
    s["base"]["quantize"] = {{"mode", "int8"}};
    s["axes"] = json::array({{{"param", "quantize.mode"}, {"values", {"int8", "int4"}}},
                             {{"param", "channels.audio"}, {"values", {{4, 8, 8}}}}});
    tm2::testing::writeTextFile(dir.file("SWEEP.json"), s.dump());
    const auto r = runCommand(cli({"sweep", "run", dir.file("SWEEP.json"), "--data", dir.file("demo"),
                                   "--out", dir.file("sw"), "--jobs", "2", "--quiet"}));
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    for (int i = 0; i < 2; ++i) {
        const json a = trialRecord(dir, i)["attempts"][0];
        ASSERT_EQ(a["runs"].size(), 2u) << a["error"];
        EXPECT_EQ(a["runs"][1]["kind"], "quantize");
        EXPECT_EQ(a["runs"][1]["sweep"], "tiny");
        EXPECT_TRUE(a["metrics"].contains("quantize.model_bytes"));
        const json spec = json::parse(
            tm2::testing::readFileBytes(dir.path() / "sw" / (i ? "trial-0001" : "trial-0000") / "spec.json"));
        std::vector<int> channels;
        for (const auto& l : spec["branches"][1]["layers"])
            if (l.contains("out_channels")) channels.push_back(l["out_channels"]);
        EXPECT_EQ(channels, (std::vector<int>{4, 8, 8}));
    }
    // INT4 weights take half the bytes of INT8 ones.
    EXPECT_LT(trialRecord(dir, 1)["attempts"][0]["metrics"]["quantize.weight_bytes"].get<double>(),
              trialRecord(dir, 0)["attempts"][0]["metrics"]["quantize.weight_bytes"].get<double>());
}

}  // namespace
