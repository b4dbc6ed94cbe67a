#include "core/workflow/sweep/sweep_control.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>

#include "core/base/error.h"
#include "tests/support/temp_dir.h"

namespace tm2::sweep {
namespace {

using nlohmann::json;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

SweepFile sweepOf(const std::string& dir, const json& seeds) {
    SweepFile s = parseSweep(
        json{{"name", "s"}, {"base", {{"data", "data"}}}, {"axes", {{{"param", "seed"}, {"values", seeds}}}}},
        "SWEEP.json", dir);
    s.path = dir + "/SWEEP.json";
    return s;
}

void writeRecord(const SweepFolder& f, int index, const std::string& status) {
    TrialAttempt a;
    a.status = status;
    testing::writeTextFile(trialRecordPath(f.dir, index), "");
    writeTrialRecord(trialRecordPath(f.dir, index), TrialRecord{"s", index, f.trials[index].values, {a}});
}

// A program standing in for squeue or sacct: prints `out` whatever it is asked.
void fakeProgram(const testing::TempDir& dir, const std::string& name, const std::string& out) {
    testing::writeTextFile(dir.file("bin/" + name), "#!/bin/sh\nprintf '" + out + "'\n");
    ::chmod(dir.file("bin/" + name).c_str(), 0755);
}

// Puts DIR/bin first on PATH for the test's lifetime.
struct PathFirst {
    std::string saved;
    explicit PathFirst(const testing::TempDir& dir) : saved(std::getenv("PATH") ? std::getenv("PATH") : "") {
        ::setenv("PATH", (dir.file("bin") + ":" + saved).c_str(), 1);
    }
    ~PathFirst() { ::setenv("PATH", saved.c_str(), 1); }
};

TEST(SweepControlTest, ARunStartsTheTrialsThatFailedWereCancelledInterruptedOrNeverRan) {
    testing::TempDir dir;
    const SweepFolder f =
        openSweepFolder(dir.file("sw"), sweepOf(dir.path().string(), {1, 2, 3, 4}), "local");
    writeRecord(f, 0, "finished");
    writeRecord(f, 1, "failed");
    writeRecord(f, 2, "cancelled");
    // trial 3 never ran
    const SweepState state = currentSweepState(f);
    EXPECT_TRUE(state.queue_warning.empty());
    EXPECT_THAT(trialsToRun(state.trials), ElementsAre(1, 2, 3));
    EXPECT_THAT(trialsToStart(f, "local"), ElementsAre(1, 2, 3));
}

TEST(SweepControlTest, EachLocalTrialRunsRunTrialIntoItsOwnFolderWithItsLog) {
    testing::TempDir dir;
    const SweepFolder f = openSweepFolder(dir.file("sw"), sweepOf(dir.path().string(), {1, 2, 3}), "local");
    const auto jobs = localTrialJobs(f, {0, 2}, "/opt/tinym2net");
    ASSERT_EQ(jobs.size(), 2u);
    EXPECT_EQ(jobs[1].index, 2);
    EXPECT_EQ(jobs[1].argv,
              (std::vector<std::string>{"/opt/tinym2net", "sweep", "run-trial", f.sweep_file, "--trial", "2",
                                        "--out", f.dir, "--data", f.data, "--quiet"}));
    EXPECT_EQ(jobs[1].log_path, f.dir + "/trial-0002/trial.log");
    EXPECT_TRUE(std::filesystem::is_directory(f.dir + "/trial-0002"));
    EXPECT_FALSE(std::filesystem::exists(f.dir + "/trial-0001"));
}

TEST(SweepControlTest, ATrialProcessThatDiesWithoutARecordIsRecordedAsFailedWithItsExitCode) {
    testing::TempDir dir;
    const SweepFolder f = openSweepFolder(dir.file("sw"), sweepOf(dir.path().string(), {1, 2}), "local");
    std::vector<int> ended;
    // /bin/false ignores run-trial's arguments and exits 1 without writing trial.json.
    const auto exits = runSweepLocally(
        f, {0, 1}, 2, "/bin/false", [] { return true; },
        [&](const LocalTrialExit& e) { ended.push_back(e.index); });
    ASSERT_EQ(exits.size(), 2u);
    EXPECT_EQ(ended.size(), 2u);
    const SweepState state = currentSweepState(f);
    for (const auto& s : state.trials) {
        EXPECT_EQ(s.state, TrialState::Failed) << s.index;
        ASSERT_TRUE(s.record);
        EXPECT_THAT(s.record->attempts.back().error, HasSubstr("exited with code 1"));
    }
    EXPECT_THAT(trialsToRun(state.trials), ElementsAre(0, 1));
}

TEST(SweepControlTest, ChosenSlurmOptionsWinOverTheFilesAndAddTheirExtraOptions) {
    SlurmOptions file;
    file.partition = "gpu";
    file.time = "01:00:00";
    file.cpus_per_task = 4;
    file.extra = {"--qos=long"};
    SlurmOptions chosen;
    chosen.partition = "debug";
    chosen.max_parallel = 2;
    chosen.extra = {"--nice=10"};
    const SlurmOptions o = slurmOptionsOver(file, chosen);
    EXPECT_EQ(o.partition, "debug");
    EXPECT_EQ(o.time, "01:00:00");  // not chosen: the file's
    EXPECT_EQ(o.cpus_per_task, 4);
    EXPECT_EQ(o.max_parallel, 2);
    EXPECT_EQ(o.extra, (std::vector<std::string>{"--qos=long", "--nice=10"}));
    chosen.extra = {"qos=short"};
    try {
        slurmOptionsOver(file, chosen);
        FAIL() << "an option without -- was accepted";
    } catch (const Error& e) {
        EXPECT_THAT(e.what(), HasSubstr("qos=short: expected one sbatch option such as --qos=short"));
    }
}

TEST(SweepControlTest, ASlurmSweepsStateComesFromSqueueAndSacct) {
    testing::TempDir dir;
    SweepFolder f = openSweepFolder(dir.file("sw"), sweepOf(dir.path().string(), {1, 2, 3, 4}), "slurm");
    f.submissions.push_back({"77", "0-3", "2026-01-01T00:00:00Z"});
    writeRecord(f, 0, "finished");
    // squeue lists trial 1 running and 2 pending; sacct says how trial 3's task ended (another job's line is
    // not ours).
    fakeProgram(dir, "squeue", "77 1 RUNNING\\n77 2 PENDING\\n");
    fakeProgram(dir, "sacct", "77_0|COMPLETED\\n77_3|CANCELLED by 0\\n99_1|FAILED\\n");
    const PathFirst path(dir);
    const SweepState state = currentSweepState(f);
    EXPECT_TRUE(state.queue_warning.empty()) << state.queue_warning;
    ASSERT_EQ(state.trials.size(), 4u);
    EXPECT_EQ(state.trials[0].state, TrialState::Finished);
    EXPECT_EQ(state.trials[0].slurm_state, "COMPLETED");
    EXPECT_EQ(state.trials[1].state, TrialState::Running);
    EXPECT_EQ(state.trials[2].state, TrialState::Queued);
    EXPECT_EQ(state.trials[3].state, TrialState::NotRun);  // its task was cancelled before it started
    EXPECT_EQ(state.trials[3].slurm_state, "CANCELLED");
    EXPECT_THAT(trialsToStart(f, "slurm"), ElementsAre(3));
}

TEST(SweepControlTest, NothingIsSubmittedWhenTheQueueCannotBeRead) {
    testing::TempDir dir;
    SweepFolder f = openSweepFolder(dir.file("sw"), sweepOf(dir.path().string(), {1, 2}), "slurm");
    f.submissions.push_back({"77", "0-1", "2026-01-01T00:00:00Z"});
    testing::writeTextFile(dir.file("bin/squeue"), "#!/bin/sh\necho 'slurm_load_jobs error' >&2\nexit 1\n");
    ::chmod(dir.file("bin/squeue").c_str(), 0755);
    fakeProgram(dir, "sacct", "");
    const PathFirst path(dir);
    EXPECT_THAT(currentSweepState(f).queue_warning, HasSubstr("slurm_load_jobs error"));
    try {
        trialsToStart(f, "slurm");
        FAIL() << "an unreadable queue let trials be submitted again";
    } catch (const Error& e) {
        EXPECT_THAT(e.what(), HasSubstr("nothing was submitted"));
    }
}

}  // namespace
}  // namespace tm2::sweep
