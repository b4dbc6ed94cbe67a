#include "core/workflow/sweep/sweep_collect.h"

#include <gtest/gtest.h>

#include "core/workflow/sweep/run_record_json.h"
#include "tests/support/temp_dir.h"

namespace tm2::sweep {
namespace {

using nlohmann::json;

json exportedRun(const std::string& id) {
    ExportedRun run;
    run.record.id = id;
    run.record.kind = "train";
    run.record.status = "finished";
    run.record.created_at = "2026-12-07T00:00:00.000Z";
    run.record.sweep = "s";
    run.record.result = json{{"test", {{"accuracy", 0.5}}}};
    run.epochs = {{1, json{{"loss", 1.0}}}};
    run.artifacts = {{"run_folder", "/x/" + id}};
    return runToJson(run);
}

TrialStatus finished(int index, const json& values, double accuracy, const std::string& run_id) {
    TrialAttempt a;
    a.status = "finished";
    a.metrics = {{"test_accuracy", accuracy}};
    a.runs = json::array({exportedRun(run_id)});
    return {index, TrialState::Finished, TrialRecord{"s", index, values, {a}}, ""};
}

TEST(SweepCollectTest, MergingTwiceAddsEachRunOnceAndChangesNothingTheSecondTime) {
    testing::TempDir dir;
    experiment::ExperimentStore store(dir.file("ws"));
    const std::vector<TrialStatus> trials{finished(0, {{"seed", 1}}, 0.5, "run-a"),
                                          finished(1, {{"seed", 2}}, 0.7, "run-b"),
                                          {2, TrialState::Running, std::nullopt, ""}};
    const CollectReport first = collectSweep(trials, store);
    EXPECT_EQ(first.added, 2);
    EXPECT_EQ(first.already, 0);
    EXPECT_EQ(first.unfinished, 1);
    const auto before = store.listRuns();
    const CollectReport second = collectSweep(trials, store);
    EXPECT_EQ(second.added, 0);
    EXPECT_EQ(second.already, 2);
    const auto after = store.listRuns();
    ASSERT_EQ(after.size(), before.size());
    for (std::size_t i = 0; i < after.size(); ++i) {
        EXPECT_EQ(after[i].id, before[i].id);
        EXPECT_EQ(after[i].heartbeat_at, before[i].heartbeat_at);
        EXPECT_EQ(store.epochs(after[i].id).size(), 1u);
        EXPECT_EQ(store.artifacts(after[i].id).size(), 1u);
    }
    EXPECT_EQ(store.findRun("run-a")->sweep, "s");
}

TEST(SweepCollectTest, ADamagedRunIsNamedAndTheOthersStillMerge) {
    testing::TempDir dir;
    experiment::ExperimentStore store(dir.file("ws"));
    TrialStatus bad = finished(0, {{"seed", 1}}, 0.5, "run-a");
    bad.record->attempts[0].runs.push_back(json{{"kind", "train"}});  // no id
    const CollectReport r = collectSweep({bad}, store);
    EXPECT_EQ(r.added, 1);
    ASSERT_EQ(r.problems.size(), 1u);
    EXPECT_NE(r.problems[0].find("trial-0000/trial.json: attempt 1: runs[1].id: missing"), std::string::npos);
}

TEST(SweepCollectTest, SeedsOfTheSameSettingsAreSummarizedTogether) {
    // lr 0.1: accuracies 0.5, 0.7 → mean 0.6, s = 0.1414214, half = 12.7062047 · 0.1414214 / √2 = 1.2706205.
    const std::vector<TrialStatus> trials{finished(0, {{"lr", 0.1}, {"seed", 1}}, 0.5, "a"),
                                          finished(1, {{"lr", 0.1}, {"seed", 2}}, 0.7, "b"),
                                          finished(2, {{"lr", 0.2}, {"seed", 1}}, 0.9, "c"),
                                          {3, TrialState::Failed, std::nullopt, ""}};
    const auto groups = seedGroups(trials);
    ASSERT_EQ(groups.size(), 2u);
    EXPECT_EQ(groups[0].values, (json{{"lr", 0.1}}));
    EXPECT_EQ(groups[0].trials, (std::vector<int>{0, 1}));
    const MetricSummary& m = groups[0].metrics.at("test_accuracy");
    EXPECT_NEAR(m.mean, 0.6, 1e-12);
    EXPECT_NEAR(m.std, 0.1414214, 1e-6);
    EXPECT_NEAR(m.half_width, 1.2706205, 1e-6);
    EXPECT_EQ(groups[1].metrics.at("test_accuracy").n, 1);
}

}  // namespace
}  // namespace tm2::sweep
