// The whole workflow through the real widgets, as a new user would walk it:
// demo dataset → preset → one short epoch → modality comparison → INT8 and
// MP quantization → exported model benchmarked on this machine (the network,
// then front-end vs network). Each pane is saved as a screenshot
// (build/screenshots/) on the way, at 1600×1000 and at a laptop's 1280×720,
// where the window must still fit with its status bar. CTest runs this under
// Xvfb (QT_QPA_PLATFORM=xcb, test "widgets.screenshots_under_xvfb").

#include <gtest/gtest.h>

#include <QApplication>
#include <QScrollArea>
#include <QStatusBar>
#include <QTabWidget>
#include <filesystem>

#include "tests/support/temp_dir.h"
#include "tests/widgets/widget_test_support.h"
#include "widgets/benchmark/benchmark_pane.h"
#include "widgets/common/message_banner.h"
#include "widgets/common/task_panel.h"
#include "widgets/common/task_runner.h"
#include "widgets/compare/compare_pane.h"
#include "widgets/dataset/dataset_pane.h"
#include "widgets/designer/designer_pane.h"
#include "widgets/experiments/experiments_pane.h"
#include "widgets/main_window.h"
#include "widgets/quantize/quantize_pane.h"
#include "widgets/train/train_pane.h"
#include "widgets/workbench.h"

namespace tm2::gui {
namespace {

// Waits for the pane's job; fails the test with the banner's text when the job failed.
void finishJob(Pane& pane, int timeout_ms = 600000) {
    ASSERT_TRUE(pane.runner().wait(timeout_ms)) << pane.title().toStdString() << ": job did not finish";
    ASSERT_FALSE(pane.banner()->isError()) << pane.title().toStdString() << ": " << pane.banner()->text().toStdString();
}

// Saves the pane at both sizes ("3-train-1600x1000.png", "3-train-1280x720.png");
// at each the window keeps that size (the pane scrolls instead of growing it)
// and the status bar and the task panel are on screen.
void snap(MainWindow& window, Pane* pane, const QString& name) {
    window.showPane(pane);
    for (const QSize size : {QSize(1600, 1000), QSize(1280, 720)}) {
        window.resize(size);
        QApplication::processEvents();
        QApplication::processEvents();
        EXPECT_LE(window.height(), size.height()) << name.toStdString();
        EXPECT_LE(window.width(), size.width()) << name.toStdString();
        const QRect status = window.statusBar()->geometry();
        EXPECT_TRUE(window.statusBar()->isVisible());
        EXPECT_LE(status.bottom(), window.height()) << name.toStdString();
        EXPECT_LE(pane->taskPanel()->mapTo(&window, QPoint(0, pane->taskPanel()->height())).y(), window.height())
            << name.toStdString();
        tm2::testing::saveScreenshot(window, QString("%1-%2x%3").arg(name).arg(size.width()).arg(size.height()));
    }
}

TEST(Screenshots, WholeWorkflowFromDemoDatasetToBenchmarkedMixedPrecision) {
    tm2::testing::TempDir dir;
    MainWindow window;
    window.workbench().setWorkspace(QString::fromStdString((dir.path() / "workspace").string()));
    window.workbench().setThreads(1);
    window.resize(1600, 1000);
    window.show();

    // 1. Dataset: a small image-audio demo, made and opened from the pane.
    DatasetPane& dataset = *window.datasetPane();
    dataset.makeDemo("image-audio", QString::fromStdString((dir.path() / "demo").string()), 8);
    finishJob(dataset);
    ASSERT_TRUE(tm2::testing::waitUntil([&] { return window.workbench().hasDataset() && !dataset.runner().isRunning(); }));
    finishJob(dataset);
    EXPECT_EQ(dataset.sampleCount(), 80);  // 10 classes × 8
    dataset.selectSample(0);
    ASSERT_TRUE(tm2::testing::waitUntil([&] { return !dataset.previewPending(); }));
    snap(window, &dataset, "1-dataset");

    // 2. Network: the paper's image + audio case study.
    DesignerPane& designer = *window.designerPane();
    designer.loadPreset("tinym2net-image-audio");
    ASSERT_EQ(window.workbench().spec().branches.size(), 2u);
    snap(window, &designer, "2-network");

    // 3. Train one short epoch.
    TrainPane& train = *window.trainPane();
    train.setEpochs(1);
    train.startTraining();
    finishJob(train);
    ASSERT_FALSE(window.workbench().runDir().isEmpty());
    EXPECT_TRUE(std::filesystem::exists(window.workbench().runDir().toStdString() + "/checkpoints/best.pt"));
    snap(window, &train, "3-train");

    // 4. Compare: multimodal against each single modality under the same budget.
    ComparePane& compare = *window.comparePane();
    compare.startComparison(1);
    finishJob(compare);
    EXPECT_EQ(compare.variants().size(), 3);  // multimodal, only audio, only image
    snap(window, &compare, "4-compare");

    // 5. Quantize: INT8, then mixed precision by the ILP.
    QuantizePane& quantize = *window.quantizePane();
    quantize.quantize("int8");
    finishJob(quantize);
    ASSERT_TRUE(quantize.hasResult("int8"));
    quantize.quantize("mp");
    finishJob(quantize);
    ASSERT_TRUE(quantize.hasResult("mp"));
    ASSERT_EQ(window.workbench().plans().count("mp"), 1u);
    const auto bits = quantize.result("mp")["bits"];
    ASSERT_FALSE(bits.empty());
    for (const auto& [layer, b] : bits.items()) EXPECT_TRUE(b == 4 || b == 8) << layer;
    snap(window, &quantize, "5-quantize");

    // 6. Check the exported mixed-precision model against the network, then benchmark it on this machine.
    BenchmarkPane& benchmark = *window.benchmarkPane();
    benchmark.exportModel("mp");
    finishJob(benchmark);
    ASSERT_TRUE(std::filesystem::exists(window.workbench().modelPath().toStdString()));
    benchmark.checkParity();  // the MP model against the network it came from
    finishJob(benchmark);
    ASSERT_FALSE(benchmark.lastParity().is_null());
    EXPECT_EQ(benchmark.lastParity()["integer_reference"]["max_logit_diff"].get<double>(), 0.0);
    benchmark.runLocalBenchmark(50);
    finishJob(benchmark);
    const nlohmann::json bench = benchmark.lastBenchmark();
    ASSERT_FALSE(bench.is_null());
    // The audio path on the dataset's first test recording: front-end vs network vs end-to-end.
    benchmark.runEndToEnd(QString());
    finishJob(benchmark);
    EXPECT_TRUE(benchmark.lastEndToEnd().value("has_frontend", false)) << benchmark.lastEndToEnd().dump();
    snap(window, &benchmark, "6-benchmark");
    // The same pane scrolled down to that chart, at both sizes.
    auto* scroll = benchmark.findChild<QScrollArea*>("paneScroll");
    ASSERT_NE(scroll, nullptr);
    for (const QSize size : {QSize(1600, 1000), QSize(1280, 720)}) {
        window.resize(size);
        QApplication::processEvents();
        scroll->ensureWidgetVisible(benchmark.findChild<QWidget*>("endToEndBox"), 0, 0);
        QApplication::processEvents();
        tm2::testing::saveScreenshot(window,
                                     QString("6-benchmark-frontend-%1x%2").arg(size.width()).arg(size.height()));
    }

    // 7. The runs are in the store.
    ExperimentsPane& experiments = *window.experimentsPane();
    experiments.refresh();
    EXPECT_GE(experiments.runCount(), 4);  // train, compare and two quantize runs
    snap(window, &experiments, "7-experiments");
}

}  // namespace
}  // namespace tm2::gui
