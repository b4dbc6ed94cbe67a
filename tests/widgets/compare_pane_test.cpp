#include "widgets/compare/compare_pane.h"

#include <gtest/gtest.h>

#include <QAction>
#include <QApplication>
#include <QScrollBar>
#include <QTableWidget>
#include <QtCharts/QChartView>

#include "core/experiment/experiment_store.h"
#include "tests/widgets/pane_test_workspace.h"
#include "widgets/common/explain_view.h"
#include "widgets/common/message_banner.h"
#include "widgets/common/hyper_parameter_form.h"
#include "widgets/workbench.h"

namespace tm2::gui {
namespace {

using tm2::testing::PaneTestWorkspace;
using tm2::testing::waitUntil;

TEST(ComparePane, ComparesMultimodalWithEachModalityAlone) {
    Workbench workbench;
    PaneTestWorkspace workspace(workbench);
    ComparePane pane(workbench);
    pane.resize(1500, 950);
    pane.form()->setBatchSize(16);
    pane.startComparison(1);
    EXPECT_TRUE(pane.isComparing());
    ASSERT_TRUE(waitUntil([&] { return !pane.isComparing(); }, 180000));
    ASSERT_FALSE(pane.banner()->isError()) << pane.banner()->text().toStdString();

    // The demo has an image and an audio modality: three variants, one bar and one confusion matrix each.
    const QStringList expected{"multimodal", "only audio", "only image"};
    EXPECT_EQ(pane.variants(), expected);
    EXPECT_EQ(pane.confusionMatrixCount(), 3);
    const nlohmann::json result = pane.lastResult();
    EXPECT_DOUBLE_EQ(pane.testAccuracy("multimodal"), result["multimodal"]["test"]["accuracy"].get<double>());
    EXPECT_DOUBLE_EQ(pane.testAccuracy("only audio"), result["unimodal"]["audio"]["test"]["accuracy"].get<double>());
    EXPECT_DOUBLE_EQ(pane.testUar("only image"),
                     result["unimodal"]["image"]["test"]["balanced_accuracy"].get<double>());
    EXPECT_LT(pane.testAccuracy("only video"), 0.0);
    // The best unimodal variant is the one with the best validation accuracy (chosen on validation);
    // fusion gain = multimodal − its test accuracy (reported on test).
    const std::string chosen = result["best_unimodal"].get<std::string>();
    for (const auto& [modality, variant] : result["unimodal"].items())
        EXPECT_LE(variant["val"]["accuracy"].get<double>(), result["unimodal"][chosen]["val"]["accuracy"].get<double>());
    const double best = pane.testAccuracy(QString::fromStdString("only " + chosen));
    EXPECT_NEAR(result["fusion_gain"].get<double>(), pane.testAccuracy("multimodal") - best, 1e-12);
    EXPECT_TRUE(pane.fusionGainText().contains("Fusion gain"));
    ASSERT_TRUE(result["multimodal"].contains("test_missing"));
    EXPECT_EQ(result["multimodal"]["test_missing"].size(), 2u);

    experiment::ExperimentStore store(workspace.workspace());
    const auto runs = store.listRuns("compare");
    ASSERT_EQ(runs.size(), 1u);
    EXPECT_EQ(runs[0].status, "finished");
    EXPECT_EQ(runs[0].id, result["run_id"].get<std::string>());
    // The comparison's fused network becomes the workbench's run (Quantize / Benchmark use it).
    EXPECT_EQ(workbench.runDir().toStdString(), result["run_dir"].get<std::string>());
    // "Why it decides" (a tab beside the matrices) is ready to explain that run.
    auto* explain = pane.findChild<ExplainView*>("explainView");
    ASSERT_NE(explain, nullptr);
    EXPECT_EQ(explain->runDir().toStdString(), result["run_dir"].get<std::string>());
    // Bars in %, each value readable: no label runs into another at a laptop size.
    pane.resize(1280, 620);
    pane.show();
    QApplication::processEvents();
    for (const char* name : {"compareMetricsChart", "compareMissingChart"}) {
        auto* chart = pane.findChild<QChartView*>(name);
        ASSERT_NE(chart, nullptr) << name;
        EXPECT_TRUE(tm2::testing::overlappingChartTexts(*chart).isEmpty())
            << name << ": " << tm2::testing::overlappingChartTexts(*chart).join(", ").toStdString();
        const QStringList shown = tm2::testing::shownChartTexts(*chart);
        EXPECT_TRUE(shown.filter("(%)").size() == 1) << shown.join(" | ").toStdString();
        // Bar values to one decimal, like the text beside the charts ("5.3", never "5.26").
        for (const QString& text : shown) {
            bool number = false;
            text.toDouble(&number);
            if (number && text.contains('.')) {
                EXPECT_EQ(text.size() - text.indexOf('.') - 1, 1) << text.toStdString();
            }
        }
    }
    // At a laptop size every chart keeps its title, legend and axis labels whole ...
    for (const char* name : {"compareProgressChart", "compareMetricsChart", "compareMissingChart"}) {
        auto* chart = pane.findChild<QChartView*>(name);
        ASSERT_NE(chart, nullptr) << name;
        for (const QString& text : tm2::testing::shownChartTexts(*chart))
            EXPECT_FALSE(text.endsWith("...") || text.endsWith(QChar(0x2026))) << name << ": '" << text.toStdString()
                                                                                << "' is elided";
    }
    const QStringList metrics_shown =
        tm2::testing::shownChartTexts(*pane.findChild<QChartView*>("compareMetricsChart"));
    for (const QString& variant : expected)
        EXPECT_TRUE(metrics_shown.contains(variant))
            << variant.toStdString() << " not shown: " << metrics_shown.join(" | ").toStdString();
    // ... and each confusion matrix all its columns, without scrolling.
    for (const QString& variant : expected) {
        auto* matrix = pane.findChild<QTableWidget*>("confusion-" + variant);
        ASSERT_NE(matrix, nullptr) << variant.toStdString();
        EXPECT_EQ(matrix->horizontalScrollBar()->maximum(), 0)
            << variant.toStdString() << ": " << matrix->columnCount() << " columns in " << matrix->viewport()->width()
            << " px";
    }
    tm2::testing::saveScreenshot(pane, "compare_pane");
}

TEST(ComparePane, WithoutADatasetItSaysSo) {
    Workbench workbench;
    PaneTestWorkspace workspace(workbench, false);
    ComparePane pane(workbench);
    pane.startComparison(1);
    EXPECT_FALSE(pane.isComparing());
    EXPECT_TRUE(pane.banner()->text().contains("No dataset"));
    EXPECT_TRUE(pane.variants().isEmpty());
    ASSERT_EQ(pane.mainActions().size(), 1);
}

}  // namespace
}  // namespace tm2::gui
