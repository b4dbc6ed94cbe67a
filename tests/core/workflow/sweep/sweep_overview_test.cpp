#include "core/workflow/sweep/sweep_overview.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>

#include "tests/support/temp_dir.h"

namespace tm2::sweep {
namespace {

using nlohmann::json;
using ::testing::ElementsAre;

// A 2 × 2 sweep whose file lists seed before fusion (not the alphabetical order).
SweepFile writeSweep(const testing::TempDir& dir) {
    const json s{
        {"name", "grid"},
        {"base", {{"data", "demo"}}},
        {"axes",
         {{{"param", "seed"}, {"values", {1, 2}}}, {{"param", "fusion"}, {"values", {"concat", "sum"}}}}}};
    testing::writeTextFile(dir.file("SWEEP.json"), s.dump());
    return readSweepFile(dir.file("SWEEP.json"));
}

void writeRecord(const SweepFolder& f, int index, std::vector<TrialAttempt> attempts) {
    testing::writeTextFile(trialRecordPath(f.dir, index), "");
    writeTrialRecord(trialRecordPath(f.dir, index),
                     TrialRecord{"grid", index, f.trials[index].values, attempts});
}

TrialAttempt finished(double accuracy, double parameters) {
    TrialAttempt a;
    a.status = "finished";
    a.host = "node1";
    a.metrics = {{"test_accuracy", accuracy}, {"parameters", parameters}, {"best_epoch", 1}};
    return a;
}

TEST(SweepOverviewTest, RowsCarryEachTrialsStateMetricsAndSlurmJob) {
    testing::TempDir dir;
    const SweepFolder f = openSweepFolder(dir.file("sw"), writeSweep(dir), "local");
    // Grid order, the last axis fastest: 0 seed1/concat, 1 seed1/sum, 2 seed2/concat, 3 seed2/sum.
    TrialAttempt on_slurm = finished(0.5, 1000);
    on_slurm.slurm_job_id = "77";
    on_slurm.slurm_array_task_id = "0";
    writeRecord(f, 0, {on_slurm});
    TrialAttempt failed;
    failed.status = "failed";
    failed.error = "out of memory";
    writeRecord(f, 1, {finished(0.6, 900), failed});  // a rerun failed: the earlier finish's metrics stay
    writeRecord(f, 2, {finished(0.7, 1000)});
    const SweepOverview o = readSweepOverview(f.dir);
    EXPECT_EQ(o.name, "grid");
    EXPECT_FALSE(o.planned_only);
    EXPECT_EQ(o.axes, (std::vector<std::string>{"seed", "fusion"}));
    ASSERT_EQ(o.rows.size(), 4u);
    EXPECT_EQ(o.rows[0].state, TrialState::Finished);
    EXPECT_EQ(o.rows[0].slurm_job_id, "77");
    EXPECT_EQ(o.rows[0].slurm_array_task_id, "0");
    EXPECT_EQ(o.rows[0].host, "node1");
    EXPECT_EQ(o.rows[0].folder, "trial-0000");
    EXPECT_DOUBLE_EQ(o.rows[0].metrics.at("test_accuracy"), 0.5);
    // 1000 parameters × 4 bytes (float32).
    EXPECT_DOUBLE_EQ(o.rows[0].metrics.at(kFp32BytesMetric), 4000);
    EXPECT_EQ(o.rows[1].state, TrialState::Failed);
    EXPECT_EQ(o.rows[1].attempts, 2);
    EXPECT_EQ(o.rows[1].error, "out of memory");
    EXPECT_DOUBLE_EQ(o.rows[1].metrics.at("test_accuracy"), 0.6);
    EXPECT_EQ(o.rows[3].state, TrialState::NotRun);
    EXPECT_TRUE(o.rows[3].metrics.empty());
    EXPECT_EQ(o.rows[3].values, (json{{"fusion", "sum"}, {"seed", 2}}));
    // The headline metrics first, the rest by name.
    EXPECT_THAT(o.metrics, ElementsAre("test_accuracy", kFp32BytesMetric, "best_epoch", "parameters"));
    EXPECT_EQ(stateCountsText(o), "1 not-run, 2 finished, 1 failed");
}

TEST(SweepOverviewTest, SeedGroupsAverageTheFinishedTrialsOfEachConfiguration) {
    testing::TempDir dir;
    const SweepFolder f = openSweepFolder(dir.file("sw"), writeSweep(dir), "local");
    writeRecord(f, 0, {finished(0.5, 1000)});  // concat, seed 1
    writeRecord(f, 2, {finished(0.7, 1000)});  // concat, seed 2
    writeRecord(f, 1, {finished(0.9, 800)});   // sum, seed 1 (seed 2 not run)
    const SweepOverview o = readSweepOverview(f.dir);
    ASSERT_EQ(o.seed_groups.size(), 2u);
    const SeedGroup& concat = o.seed_groups[0];
    EXPECT_EQ(concat.values, (json{{"fusion", "concat"}}));
    EXPECT_THAT(concat.trials, ElementsAre(0, 2));
    // mean 0.6; s = √((0.1² + 0.1²)/1) = 0.1414; half-width t(0.975, 1) · s/√2 = 12.706 · 0.1 = 1.2706.
    const MetricSummary& acc = concat.metrics.at("test_accuracy");
    EXPECT_NEAR(acc.mean, 0.6, 1e-12);
    EXPECT_NEAR(acc.half_width, 1.27062047, 1e-6);
    // Bytes: 4 × 1000 for both seeds; no spread.
    EXPECT_NEAR(concat.metrics.at(kFp32BytesMetric).mean, 4000, 1e-9);
    EXPECT_NEAR(concat.metrics.at(kFp32BytesMetric).half_width, 0, 1e-9);
    const SeedGroup& sum = o.seed_groups[1];
    EXPECT_EQ(sum.metrics.at("test_accuracy").n, 1);
    EXPECT_FALSE(sum.metrics.at("test_accuracy").has_interval);
    EXPECT_EQ(valuesLabel(o.axes, sum.values), "fusion=sum");
}

TEST(SweepOverviewTest, TheChartsDefaultToTheQuantizedNetworksMetricsWhenTrialsQuantize) {
    SweepOverview o;
    o.rows.resize(2);
    o.rows[0].metrics = {{"test_accuracy", 0.8}, {kFp32BytesMetric, 4000}};
    EXPECT_EQ(accuracyMetricOf(o), "test_accuracy");
    EXPECT_EQ(bytesMetricOf(o), kFp32BytesMetric);
    o.rows[1].metrics = {{"quantize.test_accuracy", 0.78},
                         {"quantize.model_bytes", 1200},
                         {"quantize.bops", 3e6},
                         {"latency_us", 40}};
    o.metrics = {"quantize.test_accuracy", "quantize.model_bytes", "quantize.bops", "latency_us"};
    EXPECT_EQ(accuracyMetricOf(o), "quantize.test_accuracy");
    EXPECT_EQ(bytesMetricOf(o), "quantize.model_bytes");
    EXPECT_THAT(costMetricsOf(o), ElementsAre("latency_us", "quantize.bops"));
    EXPECT_EQ(accuracyMetricOf(SweepOverview{}), "");
}

TEST(SweepOverviewTest, ASweepNotRunYetListsItsPlannedTrials) {
    testing::TempDir dir;
    const SweepOverview o = plannedOverview(writeSweep(dir));
    EXPECT_TRUE(o.planned_only);
    EXPECT_TRUE(o.dir.empty());
    ASSERT_EQ(o.rows.size(), 4u);
    for (const auto& r : o.rows) EXPECT_EQ(r.state, TrialState::NotRun);
    EXPECT_EQ(valuesLabel(o.axes, o.rows[1].values), "seed=1 fusion=sum");  // the file's axis order
    EXPECT_EQ(valuesLabel(o.axes, json::object()), "(base)");
    EXPECT_EQ(stateCountsText(o), "4 not-run");
}

}  // namespace
}  // namespace tm2::sweep
