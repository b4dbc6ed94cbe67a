#include "widgets/train/train_pane.h"

#include <gtest/gtest.h>

#include <QAction>
#include <QFileInfo>
#include <QPushButton>
#include <QSignalSpy>

#include "core/experiment/experiment_store.h"
#include "core/train/augment_config.h"
#include "tests/widgets/pane_test_workspace.h"
#include "widgets/common/explain_view.h"
#include "widgets/common/message_banner.h"
#include "widgets/common/task_panel.h"
#include "widgets/common/task_runner.h"
#include "widgets/train/augment_group.h"
#include "widgets/common/curve_chart.h"
#include "widgets/common/hyper_parameter_form.h"
#include "widgets/workbench.h"

namespace tm2::gui {
namespace {

using tm2::testing::PaneTestWorkspace;
using tm2::testing::waitUntil;

TEST(TrainPane, TrainsChartsEachEpochSetsTheRunAndRecordsItInTheStore) {
    Workbench workbench;
    PaneTestWorkspace workspace(workbench);
    TrainPane pane(workbench);
    pane.resize(1400, 900);
    QSignalSpy run_changed(&workbench, &Workbench::runChanged);
    pane.setEpochs(3);
    pane.form()->setBatchSize(16);

    pane.startTraining();
    EXPECT_TRUE(pane.isTraining());
    ASSERT_TRUE(waitUntil([&] { return !pane.isTraining(); }, 120000));
    ASSERT_FALSE(pane.banner()->isError()) << pane.banner()->text().toStdString();

    // One point per epoch in each series; the validation curves only when there is a validation split
    // (the tiny demo's 8 speakers leave none: its speaker-disjoint split puts them in train and test).
    const nlohmann::json result = pane.lastResult();
    ASSERT_TRUE(result.contains("run_id"));
    ASSERT_EQ(result["history"].size(), 3u);
    const int val_points = result["val"]["samples"].get<int>() > 0 ? 3 : 0;
    EXPECT_EQ(pane.epochsShown(), 3);
    EXPECT_EQ(pane.accuracyChart()->pointCount(0), 3);
    EXPECT_EQ(pane.lossChart()->pointCount(1), val_points);
    EXPECT_EQ(pane.accuracyChart()->pointCount(1), val_points);
    EXPECT_EQ(pane.accuracyChart()->seriesCount(), 3);  // train, validation, within-epoch running mean
    EXPECT_GE(pane.accuracyChart()->pointCount(TrainPane::kBatchSeries), 3);  // at least each epoch's last batch
    EXPECT_GT(result["test"]["samples"].get<int>(), 0);
    const double accuracy = result["test"]["accuracy"].get<double>();
    EXPECT_GE(accuracy, 0.0);
    EXPECT_LE(accuracy, 1.0);
    EXPECT_TRUE(pane.summaryText().contains("UAR"));

    ASSERT_FALSE(pane.lastRunDir().isEmpty());
    EXPECT_EQ(workbench.runDir(), pane.lastRunDir());
    EXPECT_EQ(run_changed.size(), 1);
    EXPECT_TRUE(pane.lastRunDir().startsWith(workbench.workspace()));
    EXPECT_TRUE(QFileInfo::exists(pane.lastRunDir() + "/result.json"));
    EXPECT_TRUE(QFileInfo::exists(pane.lastRunDir() + "/checkpoints/best.pt"));
    // "Why it decides" (a tab beside the test metrics) is ready to explain that run.
    auto* explain = pane.findChild<ExplainView*>("explainView");
    ASSERT_NE(explain, nullptr);
    EXPECT_EQ(explain->runDir(), pane.lastRunDir());

    experiment::ExperimentStore store(workspace.workspace());
    const auto run = store.findRun(result["run_id"].get<std::string>());
    ASSERT_TRUE(run.has_value());
    EXPECT_EQ(run->kind, "train");
    EXPECT_EQ(run->status, "finished");
    EXPECT_EQ(run->params["train"]["epochs"], 3);
    EXPECT_EQ(run->params["train"]["batch_size"], 16);
    EXPECT_EQ(store.epochs(run->id).size(), 3u);
    tm2::testing::saveScreenshot(pane, "train_pane");
}

TEST(TrainPane, CancelMidTrainingEndsCancelledAndTheStoreSaysSo) {
    Workbench workbench;
    PaneTestWorkspace workspace(workbench);
    TrainPane pane(workbench);
    QSignalSpy cancelled(&pane.runner(), &TaskRunner::cancelled);
    QSignalSpy succeeded(&pane.runner(), &TaskRunner::succeeded);
    pane.setEpochs(200);  // far more than the test waits for
    pane.form()->setBatchSize(16);
    pane.startTraining();
    ASSERT_TRUE(waitUntil([&] { return pane.epochsShown() >= 1 || !pane.isTraining(); }, 120000));
    ASSERT_TRUE(pane.isTraining()) << pane.banner()->text().toStdString();
    pane.runner().cancel();
    ASSERT_TRUE(waitUntil([&] { return !pane.isTraining(); }, 60000));
    EXPECT_EQ(cancelled.size(), 1);
    EXPECT_EQ(succeeded.size(), 0);
    EXPECT_TRUE(pane.taskPanel()->statusText().contains("cancelled"));
    EXPECT_LT(pane.epochsShown(), 200);
    EXPECT_TRUE(workbench.runDir().isEmpty());  // a cancelled run is not the workbench's run

    experiment::ExperimentStore store(workspace.workspace());
    const auto runs = store.listRuns("train");
    ASSERT_EQ(runs.size(), 1u);
    EXPECT_EQ(runs[0].status, "cancelled");
}

TEST(TrainPane, ACancelledRunResumesFromItsCheckpointAndKeepsItsEarlierEpochs) {
    Workbench workbench;
    PaneTestWorkspace workspace(workbench);
    TrainPane pane(workbench);
    pane.setEpochs(200);
    pane.form()->setBatchSize(16);
    pane.startTraining();
    ASSERT_TRUE(waitUntil([&] { return pane.epochsShown() >= 1 || !pane.isTraining(); }, 120000));
    pane.runner().cancel();
    ASSERT_TRUE(waitUntil([&] { return !pane.isTraining(); }, 60000));
    ASSERT_FALSE(pane.cancelledRunDir().isEmpty()) << pane.summaryText().toStdString();
    auto* resume = pane.findChild<QPushButton*>("resumeTraining");
    ASSERT_NE(resume, nullptr);
    EXPECT_FALSE(resume->isHidden());
    // Batches were drawn within the first epoch (the epoch's running mean).
    EXPECT_GE(pane.lossChart()->pointCount(TrainPane::kBatchSeries), 1);
    const int done = pane.epochsShown();
    const QString folder = pane.cancelledRunDir();

    // The epoch budget may change on resume; everything else must match the folder.
    pane.setEpochs(done + 1);
    resume->click();
    ASSERT_TRUE(waitUntil([&] { return !pane.isTraining(); }, 120000));
    ASSERT_FALSE(pane.banner()->isError()) << pane.banner()->text().toStdString();
    EXPECT_EQ(pane.lastRunDir(), folder);  // the same folder, continued
    EXPECT_TRUE(pane.cancelledRunDir().isEmpty());
    const nlohmann::json result = pane.lastResult();
    EXPECT_EQ(result["resumed_from_epoch"].get<int>(), done);
    EXPECT_EQ(static_cast<int>(result["history"].size()), done + 1);
    EXPECT_EQ(pane.epochsShown(), done + 1);  // the earlier epochs too
    EXPECT_TRUE(resume->isHidden());
    experiment::ExperimentStore store(workspace.workspace());
    const auto runs = store.listRuns("train");  // newest first
    ASSERT_EQ(runs.size(), 2u);
    EXPECT_EQ(runs[0].status, "finished");
    EXPECT_EQ(runs[0].resumed_from, runs[1].id);
}

TEST(TrainPane, WithoutADatasetItSaysSoInsteadOfTraining) {
    Workbench workbench;
    PaneTestWorkspace workspace(workbench, false);
    TrainPane pane(workbench);
    pane.startTraining();
    EXPECT_FALSE(pane.isTraining());
    EXPECT_TRUE(pane.banner()->isError());
    EXPECT_TRUE(pane.banner()->text().contains("No dataset"));
}

TEST(TrainPane, AugmentationIsOffByDefaultAndWhenCheckedTrainsWithItAndRecordsIt) {
    Workbench workbench;
    PaneTestWorkspace workspace(workbench);
    TrainPane pane(workbench);
    pane.resize(1280, 720);
    EXPECT_EQ(pane.augment()->augmentText(), "off");
    pane.augment()->setChecked(true);
    EXPECT_EQ(pane.augment()->augmentText().toStdString(), train::toText(train::parseAugment("audio")));
    pane.augment()->setAugmentText("audio,hflip");
    EXPECT_TRUE(pane.augment()->problem().isEmpty());
    pane.setEpochs(1);
    pane.form()->setBatchSize(16);
    pane.startTraining();
    ASSERT_TRUE(waitUntil([&] { return !pane.isTraining(); }, 120000));
    ASSERT_FALSE(pane.banner()->isError()) << pane.banner()->text().toStdString();
    experiment::ExperimentStore store(workspace.workspace());
    const auto run = store.findRun(pane.lastResult()["run_id"].get<std::string>());
    ASSERT_TRUE(run.has_value());
    EXPECT_EQ(run->params["train"]["augment"]["gain_db"], 6.0);
    EXPECT_EQ(run->params["train"]["augment"]["hflip"], true);

    // A bad item is core's complaint, shown in the box; training with it fails naming the item.
    pane.augment()->setAugmentText("audio,wobble");
    EXPECT_TRUE(pane.augment()->problem().contains("wobble")) << pane.augment()->problem().toStdString();
    pane.startTraining();
    ASSERT_TRUE(waitUntil([&] { return !pane.isTraining(); }, 120000));
    EXPECT_TRUE(pane.banner()->isError());
    EXPECT_TRUE(pane.banner()->text().contains("wobble")) << pane.banner()->text().toStdString();
}

TEST(TrainPane, ExposesCtrlTAndRestoresTheFormFromSettings) {
    Workbench workbench;
    TrainPane pane(workbench);
    ASSERT_EQ(pane.mainActions().size(), 1);
    EXPECT_EQ(pane.mainActions()[0]->shortcut(), QKeySequence("Ctrl+T"));
    pane.setEpochs(7);
    pane.augment()->setAugmentText("time-mask=1:0.2");
    QSettings settings("tm2-tests", "train-pane");
    pane.saveSettings(settings);
    TrainPane again(workbench);
    again.restoreSettings(settings);
    EXPECT_EQ(again.form()->epochs(), 7);
    EXPECT_EQ(again.augment()->augmentText(), "time-mask=1:0.2");
    settings.clear();
}

}  // namespace
}  // namespace tm2::gui
