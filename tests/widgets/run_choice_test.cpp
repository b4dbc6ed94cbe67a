// The user picks the run Quantize and Benchmark act on: the run picker lists the
// open dataset's trained runs and names a run of another dataset; a finished
// training replaces an active run only through "Use this run"; Experiments can
// make a run active.

#include <gtest/gtest.h>

#include <QComboBox>
#include <QDir>
#include <filesystem>

#include "core/experiment/experiment_store.h"
#include "core/workflow/quantize_session.h"
#include "tests/support/temp_dir.h"
#include "tests/widgets/pane_test_workspace.h"
#include "tests/widgets/trained_demo_run.h"
#include "widgets/benchmark/benchmark_pane.h"
#include "widgets/common/message_banner.h"
#include "widgets/common/run_picker.h"
#include "widgets/common/task_runner.h"
#include "widgets/common/use_run_button.h"
#include "widgets/experiments/experiments_pane.h"
#include "widgets/quantize/quantize_pane.h"
#include "widgets/train/train_pane.h"
#include "widgets/workbench.h"

namespace tm2::gui {
namespace {

using tm2::testing::PaneTestWorkspace;

// A run folder that looks trained (run.json naming its dataset, checkpoints/best.pt),
// recorded in the workspace's store as a finished run of `kind`.
std::string recordTrainedRun(const PaneTestWorkspace& w, const std::string& name, const std::string& dataset,
                             const std::string& kind = "train", double accuracy = 0.5) {
    const std::string folder = (w.dir.path() / "runs" / name).string();
    tm2::testing::writeTextFile(folder + "/run.json", nlohmann::json{{"dataset", {{"path", dataset}}}}.dump());
    tm2::testing::writeTextFile(folder + "/checkpoints/best.pt", "weights");
    experiment::ExperimentStore store(w.workspace());
    const std::string id = store.createRun(kind, name, nullptr, {{"data", dataset}, {"out", folder}}, "");
    store.finishRun(id, {{"test", {{"accuracy", accuracy}}}});
    return folder;
}

TEST(RunChoice, QuantizeAndBenchmarkOfferTheDatasetsTrainedRunsAndPickingOneMakesItActive) {
    Workbench workbench;
    PaneTestWorkspace workspace(workbench);
    const std::string dataset = workbench.dataset().path;
    const std::string first = recordTrainedRun(workspace, "first", dataset, "train", 0.625);
    const std::string second = recordTrainedRun(workspace, "second", dataset, "compare");
    recordTrainedRun(workspace, "elsewhere", (workspace.dir.path() / "other-dataset").string());
    QuantizePane quantize(workbench);
    BenchmarkPane benchmark(workbench);
    auto* picker = quantize.findChild<RunPicker*>("runPicker");
    ASSERT_NE(picker, nullptr);
    picker->refresh();
    // Newest first; the other dataset's run is not offered.
    EXPECT_EQ(picker->folders(), (QStringList{QString::fromStdString(second), QString::fromStdString(first)}));
    auto* combo = picker->findChild<QComboBox*>("runPickerCombo");
    EXPECT_TRUE(combo->itemText(1).contains("test accuracy 62.5 %")) << combo->itemText(1).toStdString();
    EXPECT_TRUE(combo->itemText(1).contains("first"));

    picker->pick(QString::fromStdString(first));
    EXPECT_EQ(workbench.runDir().toStdString(), first);
    // The Benchmark pane's picker follows.
    auto* bench_combo = benchmark.findChild<RunPicker*>("runPicker")->findChild<QComboBox*>("runPickerCombo");
    EXPECT_EQ(bench_combo->currentData().toString().toStdString(), first);
    EXPECT_TRUE(picker->warning().isEmpty());
}

TEST(RunChoice, AnActiveRunOfAnotherDatasetIsNamedAsSuch) {
    Workbench workbench;
    PaneTestWorkspace workspace(workbench);
    const std::string other = recordTrainedRun(workspace, "other", (workspace.dir.path() / "other-dataset").string());
    workbench.setRunDir(QString::fromStdString(other));
    QuantizePane quantize(workbench);
    auto* picker = quantize.findChild<RunPicker*>("runPicker");
    picker->refresh();
    EXPECT_TRUE(picker->warning().contains("other-dataset")) << picker->warning().toStdString();
    EXPECT_TRUE(picker->warning().contains("not on the open dataset"));
    // Still shown (and current), marked as not of this dataset.
    auto* combo = picker->findChild<QComboBox*>("runPickerCombo");
    EXPECT_EQ(combo->currentData().toString().toStdString(), other);
    EXPECT_TRUE(combo->currentText().contains("not a finished run of the open dataset"));
}

TEST(RunChoice, AFinishedTrainingReplacesTheActiveRunOnlyWhenTheUserSaysSo) {
    Workbench workbench;
    PaneTestWorkspace workspace(workbench);
    const QString before =
        QString::fromStdString(recordTrainedRun(workspace, "before", workbench.dataset().path));
    workbench.setRunDir(before);
    TrainPane train(workbench);
    train.setEpochs(1);
    train.startTraining();
    ASSERT_TRUE(train.runner().wait(120000));
    ASSERT_FALSE(train.banner()->isError()) << train.banner()->text().toStdString();
    EXPECT_EQ(workbench.runDir(), before);  // not switched behind the user's back
    EXPECT_TRUE(train.summaryText().contains("still use before")) << train.summaryText().toStdString();
    auto* use = train.findChild<UseRunButton*>("useRunButton");
    ASSERT_NE(use, nullptr);
    EXPECT_FALSE(use->isHidden());
    use->click();
    EXPECT_EQ(workbench.runDir(), train.lastRunDir());
    EXPECT_TRUE(use->isHidden());
}

TEST(RunChoice, ExperimentsMakesATrainedRunActiveAndRefusesOneWithoutANetwork) {
    Workbench workbench;
    PaneTestWorkspace workspace(workbench);
    const std::string folder = recordTrainedRun(workspace, "trained", workbench.dataset().path);
    experiment::ExperimentStore store(workspace.workspace());
    const std::string quantize_run = store.createRun("quantize", "mp", nullptr, {{"run", folder}}, "");
    store.finishRun(quantize_run, {{"accuracy", 0.5}});
    ExperimentsPane experiments(workbench);
    experiments.refresh();
    ASSERT_EQ(experiments.runCount(), 2);
    const QString trained_id = experiments.runIds().back();  // oldest last

    EXPECT_FALSE(experiments.makeActive(QString::fromStdString(quantize_run)));
    EXPECT_TRUE(experiments.banner()->isError());
    EXPECT_TRUE(workbench.runDir().isEmpty());
    EXPECT_TRUE(experiments.makeActive(trained_id));
    EXPECT_EQ(workbench.runDir().toStdString(), folder);
}

TEST(RunChoice, APickedOrReopenedRunShowsItsSavedCurvesMetricsAndQuantizationResults) {
    // A copy of the shared trained run, quantized to INT8 by core as the CLI would.
    tm2::testing::TempDir dir;
    const std::string run = dir.file("run");
    std::filesystem::copy(tm2::testing::trainedDemoRun().run_dir, run, std::filesystem::copy_options::recursive);
    for (const char* other : {"quant-int8.json", "quant-int4.json", "quant-mp.json", "pareto.json"})
        std::filesystem::remove(std::filesystem::path(run) / other);  // what other tests quantized
    workflow::QuantSettings settings;
    settings.mode = "int8";
    settings.threads = 1;
    settings.workspace = dir.file("workspace");
    const nlohmann::json int8 = workflow::quantizeAndRecord(run, settings).result;

    Workbench workbench;
    workbench.setWorkspace(QString::fromStdString(dir.file("workspace")));
    TrainPane train(workbench);
    QuantizePane quantize(workbench);
    workbench.setRunDir(QString::fromStdString(run));

    const nlohmann::json saved = train.lastResult();
    ASSERT_TRUE(saved.contains("history")) << train.summaryText().toStdString();
    EXPECT_EQ(train.epochsShown(), static_cast<int>(saved["history"].size()));
    EXPECT_TRUE(train.summaryText().contains("Read back from the run folder"));
    EXPECT_EQ(train.lastRunDir().toStdString(), run);
    ASSERT_TRUE(quantize.hasResult("int8"));
    EXPECT_FALSE(quantize.hasResult("mp"));
    EXPECT_EQ(quantize.result("int8")["accuracy"], int8["accuracy"]);
    EXPECT_TRUE(quantize.banner()->text().contains("Read back from the run folder: INT8"))
        << quantize.banner()->text().toStdString();
    EXPECT_EQ(workbench.plans().count("int8"), 1u);
}

}  // namespace
}  // namespace tm2::gui
