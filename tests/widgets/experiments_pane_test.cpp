#include "widgets/experiments/experiments_pane.h"

#include <gtest/gtest.h>

#include <QFile>
#include <QFileInfo>
#include <QTableWidget>
#include <QTreeWidget>

#include "core/experiment/experiment_store.h"
#include "tests/widgets/pane_test_workspace.h"
#include "widgets/common/message_banner.h"
#include "widgets/common/curve_chart.h"
#include "widgets/common/hyper_parameter_form.h"
#include "widgets/train/train_pane.h"
#include "widgets/workbench.h"

namespace tm2::gui {
namespace {

using nlohmann::json;
using tm2::testing::PaneTestWorkspace;
using tm2::testing::waitUntil;

// Three runs written straight into the store: a finished training run with two
// epochs, a finished comparison, a failed run. Returns their ids in that order.
QStringList recordRuns(const std::string& workspace) {
    experiment::ExperimentStore store(workspace);
    const std::string train = store.createRun("train", "small-cnn", nullptr, json{{"train", {{"epochs", 2}}}}, "fp1");
    store.appendEpoch(train, 1, json{{"train_loss", 1.0}, {"train_accuracy", 0.5}, {"val_loss", 1.1}, {"val_accuracy", 0.4}});
    store.appendEpoch(train, 2, json{{"train_loss", 0.5}, {"train_accuracy", 0.8}, {"val_loss", 0.9}, {"val_accuracy", 0.6}});
    store.addArtifact(train, "run_folder", "/tmp/runs/train-1");
    store.finishRun(train, json{{"test", {{"accuracy", 0.75}, {"balanced_accuracy", 0.5}, {"macro_f1", 0.25}}},
                                {"best_epoch", 2}});
    const std::string compare = store.createRun("compare", "fusion", nullptr, json::object(), "fp1");
    store.finishRun(compare,
                    json{{"multimodal", {{"test", {{"accuracy", 0.9}}},
                                         {"history", json::array({{{"epoch", 1}, {"train_accuracy", 0.7}}})}}},
                         {"unimodal", {{"audio", {{"test", {{"accuracy", 0.6}}}}}}},
                         {"fusion_gain", 0.3}});
    const std::string failed = store.createRun("train", "diverged", nullptr, json::object(), "fp1");
    store.failRun(failed, "failed", "epoch 1, batch 2: loss is NaN");
    return {QString::fromStdString(train), QString::fromStdString(compare), QString::fromStdString(failed)};
}

QString readText(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QString();
}

TEST(ExperimentsPane, ListsRunsWithStatusAndKeyMetric) {
    Workbench workbench;
    PaneTestWorkspace workspace(workbench, false);
    const QStringList ids = recordRuns(workspace.workspace());
    ExperimentsPane pane(workbench);
    pane.refresh();
    ASSERT_EQ(pane.runCount(), 3);
    EXPECT_EQ(pane.statusOf(ids[0]), "finished");
    EXPECT_EQ(pane.statusOf(ids[2]), "failed");
    QTableWidget* table = pane.runsTable();
    for (int row = 0; row < table->rowCount(); ++row) {
        const QString id = table->item(row, 0)->text();
        const QString metric = table->item(row, 5)->text();
        if (id == ids[0]) {
            EXPECT_EQ(metric, "75.0 %");  // test accuracy
        } else if (id == ids[1]) {
            EXPECT_EQ(metric, "90.0 %");  // the multimodal network's
        } else {
            EXPECT_EQ(metric, "");
        }
    }
}

TEST(ExperimentsPane, OneSelectedRunShowsDetailsTwoShowSideBySide) {
    Workbench workbench;
    PaneTestWorkspace workspace(workbench, false);
    const QStringList ids = recordRuns(workspace.workspace());
    ExperimentsPane pane(workbench);
    pane.resize(1400, 900);
    pane.refresh();

    pane.selectRuns({ids[0]});
    EXPECT_EQ(pane.selectedRunIds(), QStringList{ids[0]});
    EXPECT_EQ(pane.epochChart()->pointCount(0), 2);  // train accuracy, epochs 1 and 2
    EXPECT_EQ(pane.epochChart()->pointCount(1), 2);  // validation
    QStringList top;
    for (int i = 0; i < pane.detailsTree()->topLevelItemCount(); ++i) top << pane.detailsTree()->topLevelItem(i)->text(0);
    EXPECT_TRUE(top.contains("params"));
    EXPECT_TRUE(top.contains("result"));
    EXPECT_TRUE(top.contains("artifacts"));

    pane.selectRuns({ids[0], ids[1]});
    QTableWidget* side = pane.sideBySideTable();
    ASSERT_EQ(side->columnCount(), 2);
    // Rows: kind, status, then the union of metrics; the train run has test_accuracy, the comparison not.
    int test_accuracy_row = -1;
    for (int r = 0; r < side->rowCount(); ++r)
        if (side->verticalHeaderItem(r)->text() == "test_accuracy") test_accuracy_row = r;
    ASSERT_GE(test_accuracy_row, 0);
    const int train_column = side->horizontalHeaderItem(0)->text() == "small-cnn" ? 0 : 1;
    EXPECT_EQ(side->item(test_accuracy_row, train_column)->text(), "75.0 %");
    EXPECT_EQ(side->item(test_accuracy_row, 1 - train_column)->text(), "");
    EXPECT_EQ(pane.overlayChart()->seriesCount(), 2);  // both have curves (the comparison's multimodal history)
    tm2::testing::saveScreenshot(pane, "experiments_pane");
}

TEST(ExperimentsPane, RunsReadAsNumbersSortFilterAndShowDatasetAndParent) {
    Workbench workbench;
    PaneTestWorkspace workspace(workbench, false);
    const QStringList ids = recordRuns(workspace.workspace());
    experiment::ExperimentStore store(workspace.workspace());
    // A quantize run of a trained folder whose run.json names its dataset.
    const std::string folder = workspace.dir.file("runs/train-7");
    tm2::testing::writeTextFile(folder + "/run.json", R"({"dataset": {"path": "/data/coughs"}})");
    const std::string quantize = store.createRun("quantize", "int8", nullptr, json{{"run", folder}}, "fp1");
    store.finishRun(quantize, json{{"accuracy", 0.125}, {"fp32_accuracy", 0.75}, {"parameters", 52426}});
    ExperimentsPane pane(workbench);
    pane.refresh();
    QTableWidget* table = pane.runsTable();
    const auto row_of = [&](const std::string& id) {
        for (int r = 0; r < table->rowCount(); ++r)
            if (table->item(r, 0)->text().toStdString() == id) return r;
        return -1;
    };
    const int q = row_of(quantize);
    ASSERT_GE(q, 0);
    EXPECT_EQ(table->horizontalHeaderItem(5)->text(), "test accuracy");
    EXPECT_EQ(table->item(q, 5)->text(), "12.5 %");  // one vocabulary: a quantize run's accuracy is its test accuracy
    EXPECT_EQ(table->item(q, 6)->text(), "coughs");
    EXPECT_EQ(table->item(q, 7)->text(), "train-7");
    EXPECT_FALSE(table->item(q, 4)->text().contains('T'));  // local time, not the raw ISO string

    // Sorted by test accuracy as numbers: 12.5 % < 75.0 % < 90.0 %, the failed run (none) first.
    table->sortItems(5, Qt::AscendingOrder);
    QStringList order;
    for (int r = 0; r < table->rowCount(); ++r) order << table->item(r, 5)->text();
    EXPECT_EQ(order, (QStringList{"", "12.5 %", "75.0 %", "90.0 %"}));

    pane.setFilter("coughs");
    EXPECT_EQ(pane.shownRunCount(), 1);
    pane.setFilter("TRAIN");  // any column, any case: the two training runs and the quantize run's parent
    EXPECT_EQ(pane.shownRunCount(), 3);
    pane.setFilter("");
    EXPECT_EQ(pane.shownRunCount(), 4);

    // Side by side: numbers formatted, rows that differ highlighted.
    pane.selectRuns({ids[0], QString::fromStdString(quantize)});
    QTableWidget* side = pane.sideBySideTable();
    int accuracy_row = -1, kind_row = -1;
    for (int r = 0; r < side->rowCount(); ++r) {
        if (side->verticalHeaderItem(r)->text() == "test_accuracy") accuracy_row = r;
        if (side->verticalHeaderItem(r)->text() == "kind") kind_row = r;
    }
    ASSERT_GE(accuracy_row, 0);
    EXPECT_NE(side->item(accuracy_row, 0)->background(), QBrush());  // 75.0 % vs 12.5 %
    EXPECT_NE(side->item(kind_row, 0)->background(), QBrush());
    int status_row = -1;
    for (int r = 0; r < side->rowCount(); ++r)
        if (side->verticalHeaderItem(r)->text() == "status") status_row = r;
    EXPECT_EQ(side->item(status_row, 0)->background(), QBrush());  // both finished
}

TEST(ExperimentsPane, ExportsReportCsvJsonAndChartImages) {
    Workbench workbench;
    PaneTestWorkspace workspace(workbench, false);
    const QStringList ids = recordRuns(workspace.workspace());
    ExperimentsPane pane(workbench);
    pane.refresh();
    pane.selectRuns({ids[0], ids[2]});
    const QString dir = QString::fromStdString(workspace.workspace()) + "/report";
    ASSERT_TRUE(pane.exportReport(dir)) << pane.banner()->text().toStdString();

    const QStringList lines = readText(dir + "/runs.csv").split('\n', Qt::SkipEmptyParts);
    ASSERT_EQ(lines.size(), 3);  // header + the two selected runs
    EXPECT_TRUE(lines[0].startsWith("id,kind,name,status,created_at,finished_at,data_fingerprint,test_accuracy"));
    const QString train_row = lines[1].startsWith(ids[0]) ? lines[1] : lines[2];
    const QString failed_row = lines[1].startsWith(ids[0]) ? lines[2] : lines[1];
    EXPECT_TRUE(train_row.contains(",train,small-cnn,finished,"));
    EXPECT_TRUE(train_row.contains(",fp1,0.75,0.5,0.25,2"));
    EXPECT_TRUE(failed_row.startsWith(ids[2] + ",train,diverged,failed,"));

    const json report = json::parse(readText(dir + "/report.json").toStdString());
    ASSERT_EQ(report["runs"].size(), 2u);
    for (const auto& r : report["runs"])
        if (r["id"] == ids[0].toStdString()) {
            EXPECT_EQ(r["epochs"].size(), 2u);
            EXPECT_EQ(r["artifacts"]["run_folder"], "/tmp/runs/train-1");
        }
    for (const QString name : {"accuracy_curves.png", "accuracy_curves.svg", "key_metric.png", "key_metric.svg"})
        EXPECT_GT(QFileInfo(dir + "/" + name).size(), 0) << name.toStdString();
    EXPECT_TRUE(readText(dir + "/accuracy_curves.svg").contains("<svg"));
}

TEST(ExperimentsPane, DeleteRemovesTheRunFromTheTableAndTheStore) {
    Workbench workbench;
    PaneTestWorkspace workspace(workbench, false);
    const QStringList ids = recordRuns(workspace.workspace());
    ExperimentsPane pane(workbench);
    pane.refresh();
    ASSERT_TRUE(pane.deleteRun(ids[1]));
    EXPECT_EQ(pane.runCount(), 2);
    EXPECT_FALSE(pane.runIds().contains(ids[1]));
    EXPECT_FALSE(experiment::ExperimentStore(workspace.workspace()).findRun(ids[1].toStdString()).has_value());
    EXPECT_FALSE(pane.deleteRun(ids[1]));  // already gone: a message, not a crash
    EXPECT_TRUE(pane.banner()->isError());
}

TEST(ExperimentsPane, ListsARunTrainedByTheTrainPane) {
    Workbench workbench;
    PaneTestWorkspace workspace(workbench);
    TrainPane train(workbench);
    ExperimentsPane pane(workbench);
    pane.refresh();
    EXPECT_EQ(pane.runCount(), 0);
    train.setEpochs(1);
    train.form()->setBatchSize(16);
    train.startTraining();
    ASSERT_TRUE(waitUntil([&] { return !train.isTraining(); }, 120000));
    ASSERT_FALSE(train.banner()->isError()) << train.banner()->text().toStdString();
    // The finished run became the workbench's run; the pane refreshed on that.
    ASSERT_EQ(pane.runCount(), 1);
    const QString id = QString::fromStdString(train.lastResult()["run_id"].get<std::string>());
    EXPECT_EQ(pane.runIds(), QStringList{id});
    EXPECT_EQ(pane.statusOf(id), "finished");
    pane.selectRuns({id});
    EXPECT_EQ(pane.epochChart()->pointCount(0), 1);
}

TEST(ExperimentsPane, WorkspaceChangeRefreshesTheList) {
    Workbench workbench;
    PaneTestWorkspace first(workbench, false);
    recordRuns(first.workspace());
    ExperimentsPane pane(workbench);
    pane.refresh();
    EXPECT_EQ(pane.runCount(), 3);
    tm2::testing::TempDir empty;
    workbench.setWorkspace(QString::fromStdString(empty.path().string()));
    EXPECT_EQ(pane.runCount(), 0);
}

}  // namespace
}  // namespace tm2::gui
