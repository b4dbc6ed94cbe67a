// End-to-end on a real (one-node) Slurm cluster: resources/sweeps/tiny.json
// submitted as one job array, one task cancelled before it starts, the rest
// run, `sweep resume` resubmits only the cancelled trial, `sweep collect`
// merges all four. Needs a cluster: scripts/slurm-test.sh starts one
// (scripts/slurm-local.sh) and runs this with SLURM_CONF set.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>

#include <chrono>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <thread>

#include "tests/support/run_command.h"
#include "tests/support/temp_dir.h"

namespace {

using nlohmann::json;
using tm2::testing::cli;
using tm2::testing::runCommand;
using tm2::testing::TempDir;

json statusOf(const TempDir& dir) {
    const auto r = runCommand(cli({"sweep", "status", dir.file("my sweeps"), "--json"}));
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return json::parse(r.out, nullptr, false);
}

// Polls `sweep status` until no trial is queued or running (or the time is up).
json waitForSweep(const TempDir& dir, std::chrono::seconds limit) {
    const auto end = std::chrono::steady_clock::now() + limit;
    json status;
    while (std::chrono::steady_clock::now() < end) {
        status = statusOf(dir);
        bool busy = false;
        for (const auto& t : status["trials"]) busy |= t["state"] == "queued" || t["state"] == "running";
        if (!busy) return status;
        std::this_thread::sleep_for(std::chrono::seconds(2));
    }
    ADD_FAILURE() << "the sweep did not end within " << limit.count() << " s: " << status.dump(2);
    return status;
}

TEST(SweepSlurmCli, TheTinySweepRunsAsAJobArrayAndResumeRerunsOnlyTheCancelledTrial) {
    ASSERT_NE(std::getenv("SLURM_CONF"), nullptr)
        << "run through scripts/slurm-test.sh (it starts the cluster)";
    TempDir dir;
    auto r = runCommand(cli({"data", "make-demo", "--kind", "image-audio", "--out", dir.file("demo"),
                             "--samples-per-class", "4", "--speakers", "8", "--quiet"}));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const std::string tiny = std::string(TM2_SOURCE_DIR) + "/resources/sweeps/tiny.json";
    r = runCommand(cli({"sweep", "run", tiny, "--data", dir.file("demo"), "--out", dir.file("my sweeps"),
                        "--executor", "slurm", "--quiet"}));
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    // tiny.json runs 2 tasks at a time (%2): task 3 is still pending, and is cancelled.
    r = runCommand(cli({"sweep", "cancel", dir.file("my sweeps"), "--trial", "3"}));
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;

    json status = waitForSweep(dir, std::chrono::seconds(150));
    const json plan = json::parse(tm2::testing::readFileBytes(dir.path() / "my sweeps" / "sweep.json"));
    ASSERT_EQ(plan["slurm_submissions"].size(), 1u);
    EXPECT_EQ(plan["slurm_submissions"][0]["array"], "0-3%2");
    const std::string job = plan["slurm_submissions"][0]["job_id"];
    for (int i = 0; i < 3; ++i) {
        const json& t = status["trials"][i];
        EXPECT_EQ(t["state"], "finished") << t.dump(2);
        EXPECT_EQ(t["slurm_job_id"], job);
        EXPECT_EQ(t["slurm_array_task_id"], std::to_string(i));
    }
    EXPECT_EQ(status["trials"][3]["state"], "not-run") << status["trials"][3].dump(2);
    // Each task's log lands beside its run, in a folder whose path has a space.
    for (int i = 0; i < 3; ++i)
        EXPECT_TRUE(std::filesystem::exists(dir.path() / "my sweeps" / ("trial-000" + std::to_string(i)) / "trial.log"))
            << "trial " << i;

    r = runCommand(cli({"sweep", "resume", dir.file("my sweeps"), "--quiet"}));
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    status = waitForSweep(dir, std::chrono::seconds(90));
    const json resumed = json::parse(tm2::testing::readFileBytes(dir.path() / "my sweeps" / "sweep.json"));
    ASSERT_EQ(resumed["slurm_submissions"].size(), 2u);
    EXPECT_EQ(resumed["slurm_submissions"][1]["array"], "3%2");  // only the cancelled trial
    for (int i = 0; i < 4; ++i) {
        EXPECT_EQ(status["trials"][i]["state"], "finished") << status["trials"][i].dump(2);
        EXPECT_EQ(status["trials"][i]["attempts"], 1);
    }
    EXPECT_EQ(status["trials"][3]["slurm_job_id"], resumed["slurm_submissions"][1]["job_id"]);

    r = runCommand(cli({"sweep", "collect", dir.file("my sweeps"), "--workspace", dir.file("ws"), "--json"}));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const json collected = json::parse(r.out);
    EXPECT_EQ(collected["added"], 4);
    EXPECT_EQ(collected["unfinished"], 0);
    r = runCommand(cli({"runs", "list", "--sweep", "tiny", "--workspace", dir.file("ws"), "--json"}));
    EXPECT_EQ(json::parse(r.out)["runs"].size(), 4u);
}

}  // namespace
