#include "widgets/common/explain_view.h"

#include <gtest/gtest.h>

#include <QAbstractBarSeries>
#include <QApplication>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <filesystem>

#include "tests/support/temp_dir.h"
#include "tests/widgets/trained_demo_run.h"
#include "tests/widgets/widget_test_support.h"
#include "widgets/common/task_runner.h"
#include "widgets/workbench.h"

namespace tm2::gui {
namespace {

using tm2::testing::waitUntil;

// The tiny image-audio demo run: explained, then another test sample picked.
TEST(ExplainView, ShowsAMapPerBranchForTheChosenSampleAndTheContributionsPerClass) {
    const std::string run = testing::trainedDemoRun().run_dir;
    Workbench workbench;
    ExplainView view(workbench, "Train");
    view.resize(1300, 500);
    view.setRun(QString::fromStdString(run));
    view.explainRun();
    ASSERT_TRUE(waitUntil([&] { return !view.isBusy(); }, 120000));
    ASSERT_FALSE(view.statusText().startsWith("Failed")) << view.statusText().toStdString();

    const QStringList samples = view.samples();
    ASSERT_GE(samples.size(), 2);
    EXPECT_EQ(view.shownSample(), samples[0]);  // the first test sample comes with the run
    EXPECT_EQ(view.mapTitles(), (QStringList{"image", "audio"}));
    ASSERT_EQ(view.maps().size(), 2);
    for (const QImage& map : view.maps()) EXPECT_FALSE(map.isNull());

    // One bar set for "all modalities" and one per masked modality, a bar per class in each.
    auto* series = qobject_cast<QAbstractBarSeries*>(view.contributionChart()->chart()->series().value(0));
    ASSERT_NE(series, nullptr);
    ASSERT_EQ(series->count(), 3);
    EXPECT_EQ(series->barSets()[1]->label(), "no image");
    EXPECT_GE(series->barSets()[0]->count(), 2);

    view.explainSample(samples[1]);
    ASSERT_TRUE(waitUntil([&] { return !view.isBusy(); }, 60000));
    EXPECT_EQ(view.shownSample(), samples[1]);
    EXPECT_EQ(view.maps().size(), 2);

    // Save PNG writes what `tinym2net explain` writes.
    testing::TempDir out;
    ASSERT_TRUE(view.saveTo(QString::fromStdString(out.file("saved")))) << view.statusText().toStdString();
    for (const char* f :
         {"image-saliency.png", "audio-saliency.png", "explain.json", "modality-contribution.csv"})
        EXPECT_TRUE(std::filesystem::exists(out.path() / "saved" / f)) << f;
    // Ten classes × three bars readable in a laptop-sized pane: no label runs into another,
    // none is cut short.
    view.resize(1240, 760);
    view.show();
    QApplication::processEvents();
    QChartView& chart = *view.contributionChart();
    EXPECT_TRUE(testing::overlappingChartTexts(chart).isEmpty())
        << testing::overlappingChartTexts(chart).join(", ").toStdString();
    for (const QString& text : testing::shownChartTexts(chart))
        EXPECT_FALSE(text.endsWith("...") || text.endsWith(QChar(0x2026))) << text.toStdString() << " is elided";
    testing::saveScreenshot(view, "explain-view");
}

TEST(ExplainView, RefusesToStartWhileAnotherLibTorchJobRuns) {
    Workbench workbench;
    ExplainView view(workbench, "Train");
    ExplainView other(workbench, "Compare");
    view.setRun(QString::fromStdString(testing::trainedDemoRun().run_dir));
    other.setRun(QString::fromStdString(testing::trainedDemoRun().run_dir));
    view.explainRun();
    other.explainRun();
    EXPECT_TRUE(view.isBusy());
    EXPECT_FALSE(other.isBusy());
    EXPECT_TRUE(other.statusText().contains("Another job is running")) << other.statusText().toStdString();
    ASSERT_TRUE(waitUntil([&] { return !view.isBusy(); }, 120000));
}

}  // namespace
}  // namespace tm2::gui
