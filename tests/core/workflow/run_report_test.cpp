#include "core/workflow/run_report.h"

#include <gtest/gtest.h>

namespace tm2::workflow {
namespace {

using nlohmann::json;

experiment::RunRecord trainRun() {
    experiment::RunRecord r;
    r.id = "20261124-201530-train-3f9a";
    r.kind = "train";
    r.name = "train-1";
    r.status = "finished";
    r.created_at = "2026-11-24T20:15:30Z";
    r.finished_at = "2026-11-24T20:16:00Z";
    r.data_fingerprint = "abc";
    r.result = json{{"test", {{"accuracy", 0.75}, {"balanced_accuracy", 0.5}, {"macro_f1", 0.25}, {"confusion", {{1, 0}, {1, 2}}}}},
                    {"val", {{"accuracy", 0.625}}},
                    {"test_acc", 0.75},
                    {"test_missing", {{"audio", {{"accuracy", 0.125}}}}},
                    {"best_epoch", 2},
                    {"stopped_early", false},
                    {"run_id", "20261124-201530-train-3f9a"},
                    {"history", json::array({{{"epoch", 2}, {"train_loss", 0.5}, {"val_accuracy", 0.6}},
                                             {{"epoch", 1}, {"train_loss", 0.9}, {"val_accuracy", 0.4}}})}};
    return r;
}

std::vector<std::string> names(const std::vector<RunMetric>& metrics) {
    std::vector<std::string> out;
    for (const auto& m : metrics) out.push_back(m.name);
    return out;
}

TEST(RunReport, TrainMetricsComeFromTestValMissingAndTopLevelNumbers) {
    const auto metrics = runMetrics(trainRun());
    // test_acc is a duplicate of test.accuracy; booleans and strings are not metrics.
    const std::vector<std::string> expected{"test_accuracy", "test_uar", "test_macro_f1", "val_accuracy",
                                            "without_audio.test_accuracy", "best_epoch"};
    EXPECT_EQ(names(metrics), expected);
    EXPECT_DOUBLE_EQ(metrics[1].value, 0.5);
    EXPECT_DOUBLE_EQ(metrics[4].value, 0.125);
    EXPECT_DOUBLE_EQ(metrics[5].value, 2.0);
    ASSERT_TRUE(keyMetric(trainRun()).has_value());
    EXPECT_EQ(keyMetric(trainRun())->name, "test_accuracy");
    EXPECT_DOUBLE_EQ(keyMetric(trainRun())->value, 0.75);
}

TEST(RunReport, ComparisonMetricsArePrefixedPerVariantAndKeyIsMultimodal) {
    experiment::RunRecord r;
    r.kind = "compare";
    r.result = json{{"multimodal", {{"test", {{"accuracy", 0.9}}}}},
                    {"unimodal", {{"image", {{"test", {{"accuracy", 0.7}}}}}, {"audio", {{"test", {{"accuracy", 0.6}}}}}}},
                    {"fusion_gain", 0.2},
                    {"best_unimodal", "image"}};
    const auto metrics = runMetrics(r);
    const std::vector<std::string> expected{"fusion_gain", "multimodal.test_accuracy", "only-audio.test_accuracy",
                                            "only-image.test_accuracy"};
    EXPECT_EQ(names(metrics), expected);
    EXPECT_DOUBLE_EQ(metrics[0].value, 0.2);
    EXPECT_EQ(keyMetric(r)->name, "multimodal.test_accuracy");
    EXPECT_DOUBLE_EQ(keyMetric(r)->value, 0.9);
}

TEST(RunReport, RunningRunsHaveNoMetrics) {
    experiment::RunRecord r;
    r.status = "running";
    EXPECT_TRUE(runMetrics(r).empty());
    EXPECT_FALSE(keyMetric(r).has_value());
}

TEST(RunReport, HistoryPrefersStoreRowsThenResultHistorySortedByEpoch) {
    const auto from_result = runHistory(trainRun(), {});
    ASSERT_EQ(from_result.size(), 2u);
    EXPECT_EQ(from_result[0].epoch, 1);
    EXPECT_DOUBLE_EQ(from_result[0].train_loss, 0.9);
    EXPECT_DOUBLE_EQ(from_result[1].val_accuracy, 0.6);

    const std::vector<experiment::EpochRow> rows{{3, json{{"train_accuracy", 0.8}}}};
    const auto from_rows = runHistory(trainRun(), rows);
    ASSERT_EQ(from_rows.size(), 1u);
    EXPECT_EQ(from_rows[0].epoch, 3);
    EXPECT_DOUBLE_EQ(from_rows[0].train_accuracy, 0.8);

    experiment::RunRecord compare;
    compare.result = json{{"multimodal", {{"history", json::array({{{"epoch", 1}, {"val_loss", 1.5}}})}}}};
    const auto from_multimodal = runHistory(compare, {});
    ASSERT_EQ(from_multimodal.size(), 1u);
    EXPECT_DOUBLE_EQ(from_multimodal[0].val_loss, 1.5);
}

TEST(RunReport, CsvHasFixedColumnsThenTheUnionOfMetricsWithQuoting) {
    experiment::RunRecord second;
    second.id = "r2";
    second.kind = "quantize";
    second.name = "int8, \"fast\"";
    second.status = "finished";
    second.result = json{{"accuracy", 0.5}, {"model_bytes", 1024}};
    const std::string csv = runsCsv({trainRun(), second});
    const std::string expected =
        "id,kind,name,status,created_at,finished_at,data_fingerprint,test_accuracy,test_uar,test_macro_f1,"
        "val_accuracy,without_audio.test_accuracy,best_epoch,model_bytes\n"
        "20261124-201530-train-3f9a,train,train-1,finished,2026-11-24T20:15:30Z,2026-11-24T20:16:00Z,abc,"
        "0.75,0.5,0.25,0.625,0.125,2,\n"
        "r2,quantize,\"int8, \"\"fast\"\"\",finished,,,,0.5,,,,,,1024\n";  // its accuracy is test_accuracy
    EXPECT_EQ(csv, expected);
}

TEST(RunReport, QuantizeRunsNameTheirTestFiguresAsTrainingDoesSoKeyMetricsLineUp) {
    experiment::RunRecord q;
    q.kind = "quantize";
    q.status = "finished";
    q.result = json{{"accuracy", 0.5}, {"fp32_accuracy", 0.625}, {"integer_accuracy", 0.5}, {"accuracy_delta", -0.125}};
    std::vector<std::string> names;
    for (const auto& m : runMetrics(q)) names.push_back(m.name);
    EXPECT_EQ(names, (std::vector<std::string>{"test_accuracy", "test_accuracy_delta", "fp32_test_accuracy",
                                               "integer_test_accuracy"}));  // the result's keys in order
    ASSERT_TRUE(keyMetric(q).has_value());
    EXPECT_EQ(keyMetric(q)->name, "test_accuracy");
    EXPECT_EQ(keyMetric(trainRun())->name, "test_accuracy");
}

TEST(RunReport, MetricTextShowsRatesInPercentDifferencesInPointsAndWholeNumbersWithoutDecimals) {
    EXPECT_EQ(metricText({"test_accuracy", 0.6696428571428571}), "67.0 %");
    EXPECT_EQ(metricText({"multimodal.test_uar", 0.5}), "50.0 %");
    EXPECT_EQ(metricText({"test_accuracy_delta", -0.02}), "-2.0 pts");
    EXPECT_EQ(metricText({"fusion_gain", 0.015}), "+1.5 pts");
    EXPECT_EQ(metricText({"best_epoch", 2.0}), "2");
    EXPECT_EQ(metricText({"parameters", 52426}), "52426");
    EXPECT_EQ(metricText({"train_samples_per_s", 325.4567}), "325.5");
    EXPECT_EQ(metricText({"hessian_trace", 0.000123456}), "0.0001235");
}

TEST(RunReport, ReportJsonHoldsEverythingPerRun) {
    ReportedRun reported{trainRun(), {{1, json{{"train_loss", 0.9}}}}, {{"run_folder", "/tmp/run"}}};
    const json report = runsReport({reported});
    ASSERT_EQ(report["runs"].size(), 1u);
    const json& r = report["runs"][0];
    EXPECT_EQ(r["id"], "20261124-201530-train-3f9a");
    EXPECT_EQ(r["status"], "finished");
    EXPECT_DOUBLE_EQ(r["metrics"]["test_uar"].get<double>(), 0.5);
    EXPECT_EQ(r["epochs"][0]["epoch"], 1);
    EXPECT_DOUBLE_EQ(r["epochs"][0]["train_loss"].get<double>(), 0.9);
    EXPECT_EQ(r["artifacts"]["run_folder"], "/tmp/run");
    EXPECT_EQ(r["result"]["best_epoch"], 2);
}

}  // namespace
}  // namespace tm2::workflow
