// The Experiments pane's Sweeps view: a sweep file's plan, a sweep folder's
// trials and charts (from trial records this test writes), and the tiny sweep
// run here from the view: live status, cancel, resume and collect.

#include "widgets/experiments/sweeps_view.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <QApplication>
#include <QComboBox>
#include <QDir>
#include <QLineEdit>
#include <QMainWindow>
#include <QPushButton>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableWidget>
#include <cstdlib>
#include <filesystem>

#include "core/experiment/experiment_store.h"
#include "core/workflow/sweep/pareto_front.h"
#include "tests/widgets/pane_test_workspace.h"
#include "widgets/common/message_banner.h"
#include "widgets/common/task_panel.h"
#include "widgets/common/task_runner.h"
#include "widgets/experiments/accuracy_size_chart.h"
#include "widgets/experiments/experiments_pane.h"
#include "widgets/experiments/parallel_coordinates_chart.h"
#include "widgets/experiments/seed_interval_chart.h"
#include "widgets/main_window.h"
#include "widgets/workbench.h"

namespace tm2::gui {
namespace {

using nlohmann::json;
using tm2::testing::PaneTestWorkspace;
using tm2::testing::TempDir;
using tm2::testing::waitUntil;

QString qs(const std::string& s) { return QString::fromStdString(s); }

// resources/sweeps/tiny.json (fusion concat|sum × seed 1|2, one epoch) on the tests' tiny demo;
// on `data` instead for tests that never train (planning and submitting read no data).
std::string writeTinySweep(const TempDir& dir, const std::string& data = "") {
    json s =
        json::parse(tm2::testing::readFileBytes(std::string(TM2_SOURCE_DIR) + "/resources/sweeps/tiny.json"));
    s["base"]["data"] = data.empty() ? tm2::testing::tinyImageAudioDemo() : data;
    s["base"]["train"]["cache_dir"] = dir.file("cache");
    tm2::testing::writeTextFile(dir.file("SWEEP.json"), s.dump());
    return dir.file("SWEEP.json");
}

// A quantizing sweep, fusion (3) × α (3) × seed (2) = 18 trials, all finished, with made-up
// metrics: accuracy grows with α and the fusion's rank, size with α; the seed moves both a little.
std::string writeFinishedGrid(const TempDir& dir) {
    const json s{{"name", "grid"},
                 {"base", {{"data", dir.file("demo")}, {"quantize", {{"mode", "mp"}}}}},
                 {"axes",
                  {{{"param", "fusion"}, {"values", {"concat", "sum", "gated"}}},
                   {{"param", "quantize.alpha"}, {"values", {0.25, 0.5, 1.0}}},
                   {{"param", "seed"}, {"values", {1, 2}}}}}};
    tm2::testing::writeTextFile(dir.file("GRID.json"), s.dump());
    const sweep::SweepFolder f =
        sweep::openSweepFolder(dir.file("grid"), sweep::readSweepFile(dir.file("GRID.json")), "local");
    for (const auto& t : f.trials) {
        const int fusion = t.index / 6, alpha = (t.index / 2) % 3, seed = t.index % 2;
        sweep::TrialAttempt a;
        a.status = "finished";
        a.host = "node1";
        a.metrics = {{"test_accuracy", 0.70 + 0.05 * fusion + 0.02 * seed},
                     {"quantize.test_accuracy", 0.55 + 0.08 * alpha + 0.04 * fusion + 0.03 * seed},
                     {"quantize.model_bytes", 9000.0 + 6000.0 * alpha + 700.0 * fusion},
                     {"quantize.bops", 2.0e6 + 1.5e6 * alpha + 0.3e6 * fusion},
                     {"parameters", 20000 + 1000 * fusion}};
        tm2::testing::writeTextFile(sweep::trialRecordPath(f.dir, t.index), "");
        sweep::writeTrialRecord(sweep::trialRecordPath(f.dir, t.index),
                                sweep::TrialRecord{"grid", t.index, t.values, {a}});
    }
    return f.dir;
}

QStringList columnTexts(QTableWidget* table, int column) {
    QStringList out;
    for (int r = 0; r < table->rowCount(); ++r)
        out << (table->item(r, column) ? table->item(r, column)->text() : "");
    return out;
}

int columnOf(QTableWidget* table, const QString& header) {
    for (int c = 0; c < table->columnCount(); ++c)
        if (table->horizontalHeaderItem(c)->text() == header) return c;
    return -1;
}

void expectReadable(QChartView& chart, const char* name) {
    const QStringList shown = tm2::testing::shownChartTexts(chart);
    for (const QString& text : shown)
        EXPECT_FALSE(text.endsWith("...") || text.endsWith(QChar(0x2026)))
            << name << ": '" << text.toStdString() << "' is elided";
    EXPECT_TRUE(tm2::testing::overlappingChartTexts(chart).isEmpty())
        << name << ": " << tm2::testing::overlappingChartTexts(chart).join(", ").toStdString();
}

TEST(SweepsView, ASweepFileShowsItsPlannedTrialsBeforeItRuns) {
    Workbench workbench;
    PaneTestWorkspace workspace(workbench, false);
    TempDir dir;
    ExperimentsPane pane(workbench);
    SweepsView& view = *pane.sweepsView();
    ASSERT_TRUE(view.open(qs(writeTinySweep(dir, dir.file("demo")))));
    EXPECT_TRUE(view.overview().planned_only);
    QTableWidget* table = view.trialsTable();
    ASSERT_EQ(table->rowCount(), 4);
    // Grid order, the last axis fastest: concat 1, concat 2, sum 1, sum 2.
    EXPECT_EQ(columnTexts(table, columnOf(table, "fusion")), (QStringList{"concat", "concat", "sum", "sum"}));
    EXPECT_EQ(columnTexts(table, columnOf(table, "seed")), (QStringList{"1", "2", "1", "2"}));
    EXPECT_EQ(columnTexts(table, columnOf(table, "state")), QStringList(4, "not-run"));
    // The trials go into the workspace's sweeps/tiny unless the user picks another folder.
    EXPECT_EQ(view.outputFolder(), QDir(qs(workspace.workspace())).filePath("sweeps/tiny"));
    EXPECT_TRUE(view.findChild<QPushButton*>("sweepRun")->isEnabled());
    EXPECT_FALSE(view.findChild<QPushButton*>("sweepResume")->isEnabled());
    EXPECT_FALSE(view.findChild<QPushButton*>("sweepCollect")->isEnabled());
    // A damaged file: the banner names it, nothing crashes.
    tm2::testing::writeTextFile(
        dir.file("BAD.json"),
        R"({"name": "bad", "base": {"data": "d"}, "axes": [{"param": "lr", "values": ["fast"]}]})");
    EXPECT_FALSE(view.open(qs(dir.file("BAD.json"))));
    EXPECT_TRUE(pane.banner()->isError());
    EXPECT_TRUE(pane.banner()->text().contains("axes[0].values[0]")) << pane.banner()->text().toStdString();
}

TEST(SweepsView, AFinishedSweepChartsEveryTrialReadablyAtALaptopSize) {
    Workbench workbench;
    PaneTestWorkspace workspace(workbench, false);
    TempDir dir;
    const std::string folder = writeFinishedGrid(dir);
    ExperimentsPane pane(workbench);
    SweepsView& view = *pane.sweepsView();
    pane.viewTabs()->setCurrentWidget(&view);
    pane.resize(1280, 620);  // the pane's share of a 1280×720 window
    pane.show();
    ASSERT_TRUE(view.open(qs(folder)));
    EXPECT_FALSE(view.overview().planned_only);
    EXPECT_EQ(view.trialsTable()->rowCount(), 18);
    // The quantized network's metrics are the defaults: accuracy and its size, coloured by BOPS.
    EXPECT_EQ(view.metricBox()->currentText(), "quantize.test_accuracy");
    EXPECT_EQ(view.colourBox()->currentText(), "quantize.bops");
    QTableWidget* table = view.trialsTable();
    const int acc = columnOf(table, "accuracy"), size = columnOf(table, "size");
    ASSERT_GE(acc, 0);
    ASSERT_GE(size, 0);
    EXPECT_EQ(table->horizontalHeaderItem(acc)->toolTip(), "quantize.test_accuracy");  // which accuracy
    EXPECT_EQ(table->horizontalHeaderItem(size)->toolTip(), "quantize.model_bytes");
    // Trial 17: gated (2), α 1.0 (2), seed 2 (1): 0.55 + 0.16 + 0.08 + 0.03 = 0.82.
    EXPECT_EQ(table->item(17, acc)->text(), "82.0 %");
    // 9000 + 12000 + 1400 = 22400 bytes = 21.9 KiB.
    EXPECT_EQ(table->item(17, size)->text(), "21.9 KiB");

    ParallelCoordinatesChart& parallel = *view.parallelChart();
    EXPECT_EQ(parallel.lineCount(), 18);
    EXPECT_EQ(parallel.axisCount(), 4);  // fusion, α, seed, the metric
    const QStringList parallel_texts = tm2::testing::shownChartTexts(parallel);
    for (const char* text :
         {"fusion", "quantize.alpha", "seed", "quantize.test_accuracy (%)", "concat", "gated", "0.25", "1"})
        EXPECT_TRUE(parallel_texts.contains(text))
            << text << " not in " << parallel_texts.join(" | ").toStdString();
    expectReadable(parallel, "parallel coordinates");

    view.chartTabs()->setCurrentWidget(view.accuracySizeChart());
    QApplication::processEvents();
    AccuracySizeChart& scatter = *view.accuracySizeChart();
    EXPECT_EQ(scatter.pointCount(), 18);
    EXPECT_EQ(
        scatter.frontCount(),
        static_cast<int>(
            sweep::paretoTrials(view.overview(), "quantize.test_accuracy", "quantize.model_bytes").size()));
    EXPECT_GE(scatter.frontCount(), 2);
    const QStringList scatter_texts = tm2::testing::shownChartTexts(scatter);
    EXPECT_TRUE(scatter_texts.contains("Pareto front")) << scatter_texts.join(" | ").toStdString();
    EXPECT_TRUE(scatter_texts.contains("quantize.test_accuracy (%)"))
        << scatter_texts.join(" | ").toStdString();
    expectReadable(scatter, "accuracy vs size");

    view.chartTabs()->setCurrentWidget(view.seedChart());
    QApplication::processEvents();
    SeedIntervalChart& seeds = *view.seedChart();
    EXPECT_EQ(seeds.barCount(), 9);       // fusion × α
    EXPECT_EQ(seeds.intervalCount(), 9);  // two seeds each
    const QStringList seed_texts = tm2::testing::shownChartTexts(seeds);
    EXPECT_TRUE(seed_texts.contains("fusion=gated quantize.alpha=1.0 (n 2)"))
        << seed_texts.join(" | ").toStdString();
    expectReadable(seeds, "across seeds");

    // Another metric: the parallel coordinates and the bars follow it.
    view.metricBox()->setCurrentText("test_accuracy");
    EXPECT_TRUE(tm2::testing::shownChartTexts(parallel).contains("test_accuracy (%)"));
    EXPECT_EQ(seeds.barCount(), 9);
}

// The local executor from the GUI: the pane's job runs `tinym2net sweep run-trial` one trial at a
// time; the table follows the trial records live; Cancel stops it, Resume reruns only what did not
// finish; Collect adds every trial's run to the store.
TEST(SweepsView, RunsTheTinySweepHereWithLiveStatusCancelResumeAndCollect) {
    Workbench workbench;
    PaneTestWorkspace workspace(workbench, false);
    TempDir dir;
    ExperimentsPane pane(workbench);
    SweepsView& view = *pane.sweepsView();
    view.setProgram(TM2_CLI_PATH);
    ASSERT_TRUE(view.open(qs(writeTinySweep(dir))));
    view.setOutputFolder(qs(dir.file("sw")));
    view.setExecutor("local");
    view.setJobs(1);
    pane.viewTabs()->setCurrentWidget(&view);
    pane.resize(1280, 620);
    pane.show();
    ASSERT_TRUE(view.run());
    EXPECT_TRUE(pane.runner().isRunning());
    EXPECT_TRUE(view.isFollowing());
    EXPECT_FALSE(view.findChild<QPushButton*>("sweepRun")->isEnabled());
    // Live: the view re-reads the folder by itself (nothing here refreshes it) and sees trial 0 end.
    const auto state = [&](int i) { return view.overview().rows.at(static_cast<std::size_t>(i)).state; };
    ASSERT_TRUE(waitUntil(
        [&] { return !view.overview().planned_only && state(0) == sweep::TrialState::Finished; }, 300000))
        << pane.banner()->text().toStdString();
    // Cancel while trial 1 or 2 runs (one at a time: 3 has not started). Refreshed here at once, so a
    // trial shorter than the view's one-second poll is not missed.
    ASSERT_TRUE(waitUntil(
        [&] {
            view.refresh();
            return state(1) == sweep::TrialState::Running || state(2) == sweep::TrialState::Running;
        },
        300000))
        << pane.banner()->text().toStdString();
    EXPECT_EQ(view.trialsTable()->item(0, columnOf(view.trialsTable(), "state"))->text(), "finished");
    tm2::testing::saveScreenshot(pane, "8-sweeps-running-1280x620");
    view.cancel();
    ASSERT_TRUE(pane.runner().wait(120000));
    EXPECT_FALSE(view.isFollowing());
    view.refresh();
    EXPECT_EQ(state(3), sweep::TrialState::NotRun);
    std::vector<int> finished_before;
    for (const auto& r : view.overview().rows)
        if (r.state == sweep::TrialState::Finished) finished_before.push_back(r.index);
    EXPECT_TRUE(view.findChild<QPushButton*>("sweepResume")->isEnabled());

    ASSERT_TRUE(view.resume());
    ASSERT_TRUE(pane.runner().wait(300000));
    ASSERT_FALSE(pane.banner()->isError()) << pane.banner()->text().toStdString();
    for (const auto& r : view.overview().rows)
        EXPECT_EQ(r.state, sweep::TrialState::Finished) << r.index << ": " << r.error;
    // What had finished ran once; the rest again or for the first time.
    for (int i : finished_before)
        EXPECT_EQ(view.overview().rows[static_cast<std::size_t>(i)].attempts, 1) << i;
    EXPECT_EQ(view.overview().rows[3].attempts, 1);
    EXPECT_FALSE(view.findChild<QPushButton*>("sweepResume")->isEnabled());
    EXPECT_EQ(view.accuracySizeChart()->pointCount(), 4);  // float32 size from each run's parameters
    EXPECT_EQ(view.seedChart()->barCount(), 2);            // concat, sum
    EXPECT_EQ(view.seedChart()->intervalCount(), 2);

    ASSERT_TRUE(view.collect());
    EXPECT_FALSE(pane.banner()->isError()) << pane.banner()->text().toStdString();
    EXPECT_TRUE(pane.banner()->text().contains("runs added")) << pane.banner()->text().toStdString();
    // The runs table (the tab beside) shows them, tagged with the sweep: one training per trial,
    // and the cancelled attempt's run too when it had started training.
    const int runs = pane.runCount();
    EXPECT_GE(runs, 4);
    experiment::ExperimentStore store(workspace.workspace());
    for (const auto& run : store.listRuns()) EXPECT_EQ(run.sweep, "tiny");
    ASSERT_TRUE(view.collect());  // idempotent
    EXPECT_TRUE(pane.banner()->text().contains("0 runs added")) << pane.banner()->text().toStdString();
    EXPECT_EQ(pane.runCount(), runs);
}

// Slurm from the GUI, with stand-ins for sbatch, squeue, sacct and scancel on PATH (no cluster here):
// the submission carries the view's partition over the file's options, the queue shows as the trials'
// states and is followed, and Cancel runs scancel on the sweep's job.
TEST(SweepsView, SubmitsToSlurmFollowsTheQueueAndCancelsWithScancel) {
    Workbench workbench;
    PaneTestWorkspace workspace(workbench, false);
    TempDir dir;
    const auto program = [&](const std::string& name, const std::string& body) {
        tm2::testing::writeTextFile(dir.file("bin/" + name), "#!/bin/sh\n" + body);
        std::filesystem::permissions(dir.file("bin/" + name), std::filesystem::perms::owner_all);
    };
    program("sbatch", "echo \"$@\" > '" + dir.file("sbatch.args") + "'\necho 4242\n");
    program("squeue", "printf '4242 0 RUNNING\\n4242 1 PENDING\\n4242 2 PENDING\\n4242 3 PENDING\\n'\n");
    program("sacct", "exit 0\n");
    program("scancel", "echo \"$@\" > '" + dir.file("scancel.args") + "'\n");
    const std::string path = std::getenv("PATH") ? std::getenv("PATH") : "";
    ::setenv("PATH", (dir.file("bin") + ":" + path).c_str(), 1);
    struct RestorePath {
        std::string path;
        ~RestorePath() { ::setenv("PATH", path.c_str(), 1); }
    } restore{path};

    ExperimentsPane pane(workbench);
    SweepsView& view = *pane.sweepsView();
    view.setProgram(TM2_CLI_PATH);
    ASSERT_TRUE(view.open(qs(writeTinySweep(dir, dir.file("demo")))));
    view.setOutputFolder(qs(dir.file("sw")));
    view.setExecutor("slurm");
    view.findChild<QLineEdit*>("slurmPartition")->setText("debug");
    ASSERT_TRUE(view.run());
    ASSERT_FALSE(pane.banner()->isError()) << pane.banner()->text().toStdString();
    EXPECT_FALSE(pane.runner().isRunning());  // nothing runs here: the cluster does
    // tiny.json's max_parallel 2 is the array's %2; the view's partition joins the file's time limit.
    EXPECT_THAT(tm2::testing::readFileBytes(dir.file("sbatch.args")), ::testing::HasSubstr("--array=0-3%2"));
    const std::string script = tm2::testing::readFileBytes(dir.file("sw/slurm/sweep-1.sbatch"));
    EXPECT_THAT(script, ::testing::HasSubstr("#SBATCH --partition=debug\n"));
    EXPECT_THAT(script, ::testing::HasSubstr("#SBATCH --time=00:10:00\n"));
    EXPECT_THAT(script, ::testing::HasSubstr("sweep run-trial"));
    EXPECT_TRUE(pane.banner()->text().contains("submitted job 4242")) << pane.banner()->text().toStdString();
    // The queue, as squeue lists it.
    const auto& rows = view.overview().rows;
    ASSERT_EQ(rows.size(), 4u);
    EXPECT_EQ(rows[0].state, sweep::TrialState::Running);
    for (int i = 1; i < 4; ++i)
        EXPECT_EQ(rows[static_cast<std::size_t>(i)].state, sweep::TrialState::Queued) << i;
    EXPECT_EQ(view.trialsTable()->item(1, columnOf(view.trialsTable(), "state"))->text(), "queued (PENDING)");
    EXPECT_TRUE(view.isFollowing());
    EXPECT_FALSE(view.findChild<QPushButton*>("sweepResume")->isEnabled());  // nothing to rerun
    ASSERT_TRUE(view.findChild<QPushButton*>("sweepCancel")->isEnabled());
    // The live poll (and Refresh) asks squeue off the GUI thread: while a squeue that answers only
    // once released is on its way, the view returns at once and keeps its rows; a second poll then
    // starts no second squeue; the answer, when it comes, is shown.
    program("squeue", "echo ask >> '" + dir.file("squeue.calls") + "'\ni=0\nwhile [ ! -f '" +
                          dir.file("release") + "' ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i+1)); done\n" +
                          "printf '4242 0 RUNNING\\n4242 1 RUNNING\\n4242 2 PENDING\\n4242 3 PENDING\\n'\n");
    view.poll();
    EXPECT_TRUE(view.pollPending());
    view.poll();
    EXPECT_EQ(view.overview().rows[1].state, sweep::TrialState::Queued);
    tm2::testing::writeTextFile(dir.file("release"), "");
    ASSERT_TRUE(waitUntil([&] { return !view.pollPending(); }, 30000));
    EXPECT_EQ(tm2::testing::readFileBytes(dir.file("squeue.calls")), "ask\n");
    EXPECT_EQ(view.overview().rows[1].state, sweep::TrialState::Running);
    EXPECT_FALSE(pane.banner()->isError()) << pane.banner()->text().toStdString();
    EXPECT_TRUE(view.isFollowing());
    view.cancel();
    EXPECT_EQ(tm2::testing::readFileBytes(dir.file("scancel.args")), "4242\n");
    EXPECT_TRUE(pane.banner()->text().contains("Cancelled Slurm job 4242"))
        << pane.banner()->text().toStdString();
}

// Screenshots of the view (a finished 18-trial grid) in the main window at both sizes, one per chart.
TEST(Screenshots, SweepsViewAtBothWindowSizes) {
    TempDir dir;
    MainWindow window;
    window.workbench().setWorkspace(QString::fromStdString((dir.path() / "workspace").string()));
    window.resize(1600, 1000);
    window.show();
    ExperimentsPane& pane = *window.experimentsPane();
    window.showPane(&pane);
    pane.viewTabs()->setCurrentWidget(pane.sweepsView());
    // First a sweep file not run yet: its plan.
    ASSERT_TRUE(pane.sweepsView()->open(qs(writeTinySweep(dir, dir.file("demo")))));
    window.resize(1280, 720);
    QApplication::processEvents();
    tm2::testing::saveScreenshot(window, "8-sweeps-planned-1280x720");
    ASSERT_TRUE(pane.sweepsView()->open(qs(writeFinishedGrid(dir))));
    for (const QSize size : {QSize(1600, 1000), QSize(1280, 720)})
        for (int tab = 0; tab < 3; ++tab) {
            window.resize(size);
            pane.sweepsView()->chartTabs()->setCurrentIndex(tab);
            QApplication::processEvents();
            QApplication::processEvents();
            EXPECT_LE(window.height(), size.height());
            tm2::testing::saveScreenshot(
                window, QString("8-sweeps-%1-%2x%3").arg(tab).arg(size.width()).arg(size.height()));
        }
}

}  // namespace
}  // namespace tm2::gui
