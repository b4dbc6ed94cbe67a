#include <gtest/gtest.h>

#include "core/base/error.h"
#include "core/experiment/experiment_store.h"
#include "tests/support/temp_dir.h"

namespace tm2::experiment {
namespace {

using nlohmann::json;

RunRecord trialRun() {
    RunRecord r;
    r.id = "20261207-010203-train-ab12";
    r.kind = "train";
    r.name = "trial-0001";
    r.status = "finished";
    r.created_at = "2026-12-07T01:02:03.000Z";
    r.finished_at = "2026-12-07T01:03:00.000Z";
    r.data_fingerprint = "fp";
    r.spec = json{{"name", "tinym2net"}};
    r.params = json{{"out", "/sweep/trial-0001"}};
    r.result = json{{"test", {{"accuracy", 0.5}}}};
    r.sweep = "tiny";
    r.pid = 42;
    r.host = "node7";
    return r;
}

TEST(ExperimentStoreImportTest, AnImportedRunKeepsItsIdStatusTimesSweepEpochsAndArtifacts) {
    testing::TempDir dir;
    ExperimentStore store(dir.file("ws"));
    EXPECT_TRUE(
        store.importRun(trialRun(), {{1, json{{"loss", 0.7}}}}, {{"run_folder", "/sweep/trial-0001"}}));
    const auto run = store.findRun("20261207-010203-train-ab12");
    ASSERT_TRUE(run);
    EXPECT_EQ(run->status, "finished");
    EXPECT_EQ(run->created_at, "2026-12-07T01:02:03.000Z");
    EXPECT_EQ(run->finished_at, "2026-12-07T01:03:00.000Z");
    EXPECT_EQ(run->sweep, "tiny");
    EXPECT_EQ(run->host, "node7");
    EXPECT_EQ(run->result, trialRun().result);
    ASSERT_EQ(store.epochs(run->id).size(), 1u);
    EXPECT_EQ(store.epochs(run->id)[0].metrics, (json{{"loss", 0.7}}));
    ASSERT_EQ(store.artifacts(run->id).size(), 1u);
}

TEST(ExperimentStoreImportTest, ImportingTheSameRunTwiceChangesNothing) {
    testing::TempDir dir;
    ExperimentStore store(dir.file("ws"));
    ASSERT_TRUE(store.importRun(trialRun(), {{1, json{{"loss", 0.7}}}}, {{"run_folder", "/a"}}));
    RunRecord changed = trialRun();
    changed.status = "failed";
    EXPECT_FALSE(store.importRun(changed, {{2, json{{"loss", 0.1}}}}, {{"run_folder", "/b"}}));
    EXPECT_EQ(store.listRuns().size(), 1u);
    EXPECT_EQ(store.findRun(changed.id)->status, "finished");
    EXPECT_EQ(store.epochs(changed.id).size(), 1u);
    EXPECT_EQ(store.artifacts(changed.id).size(), 1u);
}

TEST(ExperimentStoreImportTest, ARunWithoutIdIsRefused) {
    testing::TempDir dir;
    ExperimentStore store(dir.file("ws"));
    RunRecord r = trialRun();
    r.id.clear();
    EXPECT_THROW(store.importRun(r, {}, {}), Error);
}

}  // namespace
}  // namespace tm2::experiment
