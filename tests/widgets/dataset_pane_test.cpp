#include "widgets/dataset/dataset_pane.h"

#include <gtest/gtest.h>

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QDir>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTableWidget>
#include <QTest>
#include <QtCharts/QChartView>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "tests/support/temp_dir.h"
#include "tests/widgets/widget_test_support.h"
#include "widgets/common/message_banner.h"
#include "widgets/common/task_runner.h"
#include "widgets/dataset/mfcc_heatmap_view.h"
#include "widgets/workbench.h"

namespace tm2::gui {
namespace {

// Rows and distinct labels of the demo's manifest.csv (columns id,group,label,…), read by hand.
struct ManifestFacts {
    int rows = 0;
    std::set<std::string> labels;
};

ManifestFacts readManifest(const std::string& folder) {
    ManifestFacts facts;
    std::ifstream in(folder + "/manifest.csv");
    std::string line;
    std::getline(in, line);  // header
    while (std::getline(in, line)) {
        if (line.empty()) continue;
        std::stringstream fields(line);
        std::string id, group, label;
        std::getline(fields, id, ',');
        std::getline(fields, group, ',');
        std::getline(fields, label, ',');
        ++facts.rows;
        facts.labels.insert(label);
    }
    return facts;
}

bool waitForJob(DatasetPane& pane) {
    return testing::waitUntil([&] { return !pane.runner().isRunning(); }, 120000);
}

TEST(DatasetPane, OpensTheDemoShowsBalancePreviewAndKeepsItOnABadFolder) {
    const std::string demo = testing::tinyImageAudioDemo();
    const ManifestFacts facts = readManifest(demo);
    ASSERT_GT(facts.rows, 0);

    Workbench workbench;
    DatasetPane pane(workbench);
    pane.resize(1400, 900);
    pane.openDataset(QString::fromStdString(demo));
    ASSERT_TRUE(waitForJob(pane));
    ASSERT_TRUE(pane.hasDataset()) << pane.banner()->text().toStdString();
    EXPECT_FALSE(pane.banner()->isError()) << pane.banner()->text().toStdString();

    EXPECT_EQ(pane.sampleCount(), facts.rows);
    std::set<std::string> classes;
    for (const QString& c : pane.classNames()) classes.insert(c.toStdString());
    EXPECT_EQ(classes, facts.labels);
    EXPECT_EQ(pane.skippedCount(), 0);
    auto* samples = pane.findChild<QTableWidget*>("datasetSamples");
    ASSERT_NE(samples, nullptr);
    EXPECT_EQ(samples->rowCount(), facts.rows);

    // The workbench now holds this dataset for the other panes.
    EXPECT_EQ(workbench.dataset().path, QDir::cleanPath(QString::fromStdString(demo)).toStdString());

    // Balance chart: one stacked set per split, one bar per class, summing to every sample.
    EXPECT_EQ(pane.barSetLabels(), (QStringList{"train", "val", "test"}));
    int total = 0;
    for (const QString split : {"train", "val", "test"}) {
        const QList<int> counts = pane.barSetCounts(split);
        EXPECT_EQ(counts.size(), static_cast<int>(facts.labels.size()));
        for (int n : counts) total += n;
    }
    EXPECT_EQ(total, facts.rows);
    EXPECT_GT(pane.barSetCounts("train").value(0), 0);

    // Preview of a sample: the image as the network sees it, a waveform and an MFCC heat map.
    // Decoded off the GUI thread: the selection returns at once, the last one selected is shown.
    QSignalSpy shown(&pane, &DatasetPane::previewShown);
    pane.selectSample(2);
    pane.selectSample(1);
    EXPECT_TRUE(pane.previewPending());
    ASSERT_TRUE(testing::waitUntil([&] { return !pane.previewPending(); }));
    QTest::qWait(300);  // the dropped request for sample 2 has finished by now too
    EXPECT_EQ(shown.count(), 1);
    auto* preview_box = pane.findChild<QGroupBox*>("datasetPreview");
    ASSERT_NE(preview_box, nullptr);
    EXPECT_TRUE(preview_box->title().contains(samples->item(1, 0)->text()))
        << preview_box->title().toStdString();
    EXPECT_EQ(pane.previewImage().size(), QSize(28, 28));
    EXPECT_GT(pane.waveformPointCount(), 100);
    EXPECT_FALSE(pane.mfccImage().isNull());
    EXPECT_GT(pane.mfccImage().height(), 1);
    // The heat map reads like a spectrogram: time and coefficient axes, a colour bar.
    auto* heatmap = pane.findChild<MfccHeatmapView*>("previewMfcc");
    ASSERT_NE(heatmap, nullptr);
    const QStringList labels = heatmap->labels();
    for (const char* label :
         {"time (s)", "coefficient", "max", "min", "0", "10", "1"})  // 13 coefficients, 1 s
        EXPECT_TRUE(labels.contains(label)) << label << " not in " << labels.join(" | ").toStdString();
    testing::saveScreenshot(pane, "dataset");

    // A folder that does not exist: readable error, the open dataset stays.
    pane.openDataset("/nonexistent/tm2-no-such-dataset");
    ASSERT_TRUE(waitForJob(pane));
    EXPECT_TRUE(pane.banner()->isError());
    EXPECT_TRUE(pane.banner()->text().contains("/nonexistent/tm2-no-such-dataset"))
        << pane.banner()->text().toStdString();
    EXPECT_EQ(pane.sampleCount(), facts.rows);
    EXPECT_EQ(pane.datasetPath(), QDir::cleanPath(QString::fromStdString(demo)));
    EXPECT_EQ(workbench.dataset().path, QDir::cleanPath(QString::fromStdString(demo)).toStdString());
}

TEST(DatasetPane, ShowsADatasetSetOnTheWorkbench) {
    const std::string demo = testing::tinyImageAudioDemo();
    Workbench workbench;
    DatasetPane pane(workbench);
    workflow::DatasetOptions options;
    options.path = demo;
    options.split.seed = 7;
    workbench.setDataset(options);  // what --dataset does
    ASSERT_TRUE(testing::waitUntil([&] { return pane.hasDataset() && !pane.runner().isRunning(); }, 120000));
    EXPECT_EQ(pane.sampleCount(), readManifest(demo).rows);
    EXPECT_EQ(workbench.dataset().split.seed, 7u);  // the pane did not replace the workbench's options
}

TEST(DatasetPane, TheBalanceChartShowsEveryClassNameWholeAtALaptopSize) {
    Workbench workbench;
    DatasetPane pane(workbench);
    pane.resize(1280, 620);  // the pane's share of a 1280×720 window
    pane.show();
    workflow::DatasetOptions options;
    options.path = testing::tinyImageAudioDemo();
    workbench.setDataset(options);
    ASSERT_TRUE(testing::waitUntil([&] { return pane.hasDataset() && !pane.runner().isRunning(); }, 120000));
    QApplication::processEvents();
    auto* chart = pane.findChild<QChartView*>("datasetBalanceChart");
    ASSERT_NE(chart, nullptr);
    const QStringList shown = testing::shownChartTexts(*chart);
    for (const char* name : {"tshirt", "trouser", "pullover", "dress", "coat", "sandal", "shirt", "sneaker",
                             "bag", "ankle_boot"})
        EXPECT_TRUE(shown.contains(name)) << name << " not shown; shown: " << shown.join(" | ").toStdString();
    for (const QString& text : shown)
        EXPECT_FALSE(text.endsWith("...")) << text.toStdString() << " is elided";
    EXPECT_TRUE(shown.contains("samples") || shown.contains("windows")) << shown.join(" | ").toStdString();
    // Whole-number ticks.
    for (const QString& text : shown) {
        bool number = false;
        const double v = text.toDouble(&number);
        if (number) {
            EXPECT_EQ(v, std::floor(v)) << text.toStdString();
        }
    }
}

TEST(DatasetPane, ShowsThatAGivenSpeakerDependentSplitIsKept) {
    // The demo copied, its split column rewritten: every third row of each speaker in test.
    testing::TempDir dir;
    const std::filesystem::path copy = dir.path() / "demo";
    std::filesystem::copy(testing::tinyImageAudioDemo(), copy, std::filesystem::copy_options::recursive);
    std::ifstream in(copy / "manifest.csv");
    std::string header, line, csv;
    int given_test = 0;
    std::getline(in, header);
    csv = header + "\n";
    for (int row = 0; std::getline(in, line); ++row) {
        if (line.empty()) continue;
        std::vector<std::string> cells;
        std::stringstream fields(line);
        for (std::string cell; std::getline(fields, cell, ',');) cells.push_back(cell);
        cells.at(3) = row % 3 == 2 ? "test" : "train";  // id,group,label,split,…
        given_test += row % 3 == 2;
        for (std::size_t c = 0; c < cells.size(); ++c) csv += (c ? "," : "") + cells[c];
        csv += "\n";
    }
    in.close();
    testing::writeTextFile(copy / "manifest.csv", csv);

    Workbench workbench;
    DatasetPane pane(workbench);
    workflow::DatasetOptions options;
    options.path = copy.string();
    options.split.val_fraction = 0.0;
    workbench.setDataset(options);
    ASSERT_TRUE(testing::waitUntil([&] { return pane.hasDataset() && !pane.runner().isRunning(); }, 120000));
    auto* warnings = pane.findChild<QLabel*>("datasetWarnings");
    ASSERT_NE(warnings, nullptr);
    EXPECT_FALSE(warnings->isHidden());
    EXPECT_TRUE(warnings->text().contains("speaker-dependent protocol")) << warnings->text().toStdString();
    EXPECT_TRUE(warnings->text().contains("groups in train and test")) << warnings->text().toStdString();
    EXPECT_GT(pane.barSetCounts("test").size(), 0);
    int test_total = 0;
    for (int n : pane.barSetCounts("test")) test_total += n;
    EXPECT_EQ(test_total, given_test);
}

TEST(DatasetPane, MakesADemoDatasetAndOpensIt) {
    testing::TempDir dir;
    Workbench workbench;
    DatasetPane pane(workbench);
    const QString out = QString::fromStdString((dir.path() / "demo").string());
    pane.makeDemo("audio-audio", out, 2);
    ASSERT_TRUE(testing::waitUntil([&] { return pane.hasDataset() && !pane.runner().isRunning(); }, 180000))
        << pane.banner()->text().toStdString();
    const ManifestFacts facts = readManifest(out.toStdString());
    EXPECT_EQ(pane.sampleCount(), facts.rows);
    EXPECT_EQ(pane.classNames().size(), static_cast<int>(facts.labels.size()));
    pane.selectSample(0);
    ASSERT_TRUE(testing::waitUntil([&] { return !pane.previewPending(); }));
    EXPECT_TRUE(pane.previewImage().isNull());  // two audio modalities, no image
    EXPECT_GT(pane.waveformPointCount(), 0);

    pane.makeDemo("video-audio", out, 2);
    EXPECT_TRUE(pane.banner()->isError());
}

TEST(DatasetPane, ActionsAndSettings) {
    Workbench workbench;
    QStringList shortcuts;
    {
        DatasetPane pane(workbench);
        for (QAction* a : pane.mainActions()) shortcuts << a->shortcut().toString();
        QSettings settings;
        settings.beginGroup("datasetPaneTest");
        auto* path = pane.findChild<QLineEdit*>("datasetPath");
        ASSERT_NE(path, nullptr);
        path->setText("/some/dataset");
        pane.findChild<QSpinBox*>("datasetSeed")->setValue(99);
        auto* outside = pane.findChild<QCheckBox*>("datasetAllowOutside");
        ASSERT_NE(outside, nullptr);
        EXPECT_FALSE(outside->isChecked());  // files outside the folder are skipped unless asked
        outside->setChecked(true);
        pane.saveSettings(settings);
    }
    EXPECT_EQ(shortcuts, (QStringList{"Ctrl+O", "Ctrl+Shift+D"}));
    DatasetPane again(workbench);
    QSettings settings;
    settings.beginGroup("datasetPaneTest");
    again.restoreSettings(settings);
    EXPECT_EQ(again.findChild<QLineEdit*>("datasetPath")->text(), "/some/dataset");
    EXPECT_EQ(again.findChild<QSpinBox*>("datasetSeed")->value(), 99);
    EXPECT_TRUE(again.findChild<QCheckBox*>("datasetAllowOutside")->isChecked());
    settings.remove("");
}

}  // namespace
}  // namespace tm2::gui
