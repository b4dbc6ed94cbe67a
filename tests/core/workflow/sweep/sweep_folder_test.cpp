#include "core/workflow/sweep/sweep_folder.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include "core/base/error.h"
#include "core/experiment/process_identity.h"
#include "tests/support/temp_dir.h"

namespace tm2::sweep {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;

SweepFile sweepOf(const std::string& data, const json& seeds) {
    return parseSweep(
        json{{"name", "s"}, {"base", {{"data", data}}}, {"axes", {{{"param", "seed"}, {"values", seeds}}}}},
        "SWEEP.json", "/d");
}

TrialAttempt attempt(const std::string& status, std::int64_t pid = 0) {
    TrialAttempt a;
    a.status = status;
    a.pid = pid;
    a.host = experiment::currentProcess().host;
    return a;
}

void writeRecord(const SweepFolder& f, int index, std::vector<TrialAttempt> attempts) {
    testing::writeTextFile(trialRecordPath(f.dir, index), "");
    writeTrialRecord(trialRecordPath(f.dir, index),
                     TrialRecord{"s", index, f.trials[index].values, attempts});
}

TEST(SweepFolderTest, AFolderKeepsItsPlanAndRefusesAnotherSweep) {
    testing::TempDir dir;
    const SweepFolder f = openSweepFolder(dir.file("sw"), sweepOf("data", {1, 2}), "local");
    EXPECT_EQ(readSweepFolder(dir.file("sw")).trials.size(), 2u);
    EXPECT_NO_THROW(openSweepFolder(dir.file("sw"), sweepOf("data", {1, 2}), "slurm"));
    EXPECT_EQ(readSweepFolder(dir.file("sw")).executor, "slurm");
    try {
        openSweepFolder(dir.file("sw"), sweepOf("data", {1, 3}), "local");
        FAIL() << "a changed plan was accepted";
    } catch (const Error& e) {
        EXPECT_THAT(e.what(), HasSubstr("now plans other trials or data"));
    }
    EXPECT_THROW(requirePlannedTrial(f, sweepOf("data", {1, 3}), 1), Error);
    EXPECT_THROW(requirePlannedTrial(f, sweepOf("data", {1, 2}), 2), Error);
    EXPECT_NO_THROW(requirePlannedTrial(f, sweepOf("data", {1, 2}), 1));
    EXPECT_THROW(readSweepFolder(dir.file("none")), Error);
}

TEST(SweepFolderTest, StatesComeFromRecordsProcessesAndTheQueue) {
    testing::TempDir dir;
    SweepFolder f = openSweepFolder(dir.file("sw"), sweepOf("data", {1, 2, 3, 4, 5, 6}), "local");
    writeRecord(f, 0, {attempt("finished")});
    writeRecord(f, 1, {attempt("finished"), attempt("failed")});
    writeRecord(f, 2, {attempt("running", getpid())});   // this process: alive
    writeRecord(f, 3, {attempt("running", 999999999)});  // no such process: it died
    writeRecord(f, 4, {attempt("cancelled")});
    auto s = trialStatuses(f, {});
    EXPECT_EQ(s[0].state, TrialState::Finished);
    EXPECT_EQ(s[1].state, TrialState::Failed);
    EXPECT_EQ(s[2].state, TrialState::Running);
    EXPECT_EQ(s[3].state, TrialState::Interrupted);
    EXPECT_EQ(s[4].state, TrialState::Cancelled);
    EXPECT_EQ(s[5].state, TrialState::NotRun);
    for (int i : {1, 3, 4, 5}) EXPECT_TRUE(needsRerun(s[i].state)) << i;
    for (int i : {0, 2}) EXPECT_FALSE(needsRerun(s[i].state)) << i;

    // Under Slurm: a queued task is queued; a recorded run whose task left the queue died with it.
    f.executor = "slurm";
    TrialAttempt on_node = attempt("running", getpid());
    on_node.slurm_job_id = "77";
    writeRecord(f, 2, {on_node});
    s = trialStatuses(f, {{5, "PENDING"}, {1, "RUNNING"}});
    EXPECT_EQ(s[5].state, TrialState::Queued);
    EXPECT_EQ(s[1].state, TrialState::Running);
    EXPECT_EQ(s[2].state, TrialState::Interrupted);
    EXPECT_EQ(trialStatuses(f, {{2, "RUNNING"}})[2].state, TrialState::Running);
}

}  // namespace
}  // namespace tm2::sweep
