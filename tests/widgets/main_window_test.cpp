#include "widgets/main_window.h"

#include <gtest/gtest.h>

#include <QAbstractItemView>
#include <QAbstractSpinBox>
#include <QAction>
#include <QApplication>
#include <QtCharts/QChartView>
#include <QComboBox>
#include <QHeaderView>
#include <QLineEdit>
#include <QMenuBar>
#include <QScreen>
#include <QStatusBar>
#include <QSettings>
#include <QTabWidget>
#include <filesystem>
#include <map>

#include "core/runtime/model_format.h"
#include "tests/core/runtime/tiny_model.h"
#include "tests/support/temp_dir.h"
#include "tests/widgets/widget_test_support.h"
#include "widgets/common/help_panel.h"
#include "widgets/common/message_banner.h"
#include "widgets/common/pane.h"
#include "widgets/common/task_panel.h"
#include "widgets/common/task_runner.h"
#include "widgets/dataset/dataset_pane.h"
#include "widgets/workbench.h"

namespace tm2::gui {
namespace {

TEST(MainWindow, ShowsTheWorkflowPanesInOrder) {
    MainWindow window;
    ASSERT_EQ(window.tabs()->count(), 7);
    const QStringList expected{"Dataset", "Network", "Train", "Compare", "Quantize", "Benchmark", "Experiments"};
    for (int i = 0; i < expected.size(); ++i) EXPECT_EQ(window.panes()[i]->title(), expected[i]);
    EXPECT_TRUE(window.tabs()->tabText(2).contains("Train"));
}

TEST(MainWindow, PaneShortcutsSwitchPanes) {
    MainWindow window;
    QAction* third = nullptr;
    for (QAction* a : window.findChildren<QAction*>())
        if (a->shortcut() == QKeySequence("Ctrl+3")) third = a;
    ASSERT_NE(third, nullptr);
    third->trigger();
    EXPECT_EQ(window.tabs()->currentIndex(), 2);
}

TEST(MainWindow, NoTwoActionsShareAShortcut) {
    MainWindow window;
    std::map<QString, QString> owner;  // shortcut → action text
    for (QAction* a : window.findChildren<QAction*>()) {
        for (const QKeySequence& key : a->shortcuts()) {
            const QString k = key.toString();
            const auto [it, fresh] = owner.emplace(k, a->text());
            EXPECT_TRUE(fresh) << k.toStdString() << " is bound to both '" << it->second.toStdString() << "' and '"
                               << a->text().toStdString() << "'";
        }
    }
    EXPECT_GE(owner.size(), 15u);  // the panes' main actions, pane switching, cancel, quit
}

// Where a widget's bottom edge lies in the window's coordinates.
int bottomInWindow(const QWidget& widget, const QWidget& window) {
    return widget.mapTo(&window, QPoint(0, widget.height())).y();
}

// At a laptop's 1280×720 and 1366×768, on every pane: the window keeps its size
// (the pane scrolls instead of growing it, also with a long error in the banner),
// the status bar and the pane's progress/Cancel panel are inside the window, and
// charts, tables and form fields keep a readable size (not shrunk to their title,
// not 8 px tall).
// Without a saved geometry: the whole width of a laptop screen (the Compare pane needs
// 1280 px; at 1100 it scrolled sideways and cut its third chart), 80 % of a larger one.
TEST(MainWindow, FirstSizeTakesALaptopsWholeWidthAndFourFifthsOfALargerScreen) {
    EXPECT_EQ(MainWindow::firstSize(QSize(1280, 720)), QSize(1280, 720));
    EXPECT_EQ(MainWindow::firstSize(QSize(1366, 768)), QSize(1280, 720));
    EXPECT_EQ(MainWindow::firstSize(QSize(1600, 1000)), QSize(1280, 800));
    EXPECT_EQ(MainWindow::firstSize(QSize(1920, 1080)), QSize(1536, 864));
    EXPECT_EQ(MainWindow::firstSize(QSize(1024, 600)), QSize(1024, 600));  // never more than the screen
}

TEST(MainWindow, FitsALaptopScreenOnEveryPane) {
    for (const QSize size : {QSize(1280, 720), QSize(1366, 768)}) {
        SCOPED_TRACE(QString("%1x%2").arg(size.width()).arg(size.height()).toStdString());
        MainWindow window;
        window.resize(size);
        window.show();
        for (Pane* pane : window.panes()) {
            SCOPED_TRACE(pane->title().toStdString());
            window.showPane(pane);
            pane->banner()->showError(QString("A long error naming a file and the remedy. ").repeated(12));
            QApplication::processEvents();
            QApplication::processEvents();
            EXPECT_LE(window.width(), size.width());
            EXPECT_LE(window.height(), size.height());
            EXPECT_TRUE(window.statusBar()->isVisible());
            EXPECT_LE(bottomInWindow(*window.statusBar(), window), window.height());
            EXPECT_TRUE(pane->taskPanel()->isVisible());
            EXPECT_LE(bottomInWindow(*pane->taskPanel(), window), bottomInWindow(*window.statusBar(), window));
            for (const QChartView* chart : pane->findChildren<QChartView*>()) {
                if (!chart->isVisibleTo(pane)) continue;
                EXPECT_GE(chart->height(), 150) << chart->objectName().toStdString();
                EXPECT_GE(chart->width(), 200) << chart->objectName().toStdString();
            }
            for (const QAbstractItemView* view : pane->findChildren<QAbstractItemView*>()) {
                if (!view->isVisibleTo(pane) || qobject_cast<const QComboBox*>(view->parentWidget())) continue;
                if (view->window() != &window || qobject_cast<const QHeaderView*>(view)) continue;  // popups, headers
                EXPECT_GE(view->height(), 60) << view->metaObject()->className() << " "
                                              << view->objectName().toStdString();
            }
            for (QWidget* field : pane->findChildren<QWidget*>()) {
                const bool is_field = qobject_cast<QLineEdit*>(field) || qobject_cast<QAbstractSpinBox*>(field) ||
                                      qobject_cast<QComboBox*>(field);
                if (!is_field || !field->isVisibleTo(pane) || qobject_cast<QAbstractSpinBox*>(field->parentWidget()) ||
                    qobject_cast<QComboBox*>(field->parentWidget()))
                    continue;  // a spin box's or an editable combo's own line edit
                EXPECT_GE(field->height(), field->minimumSizeHint().height() - 2)
                    << field->objectName().toStdString() << " is " << field->height() << " px tall";
            }
            pane->banner()->clearMessage();
        }
    }
}

// Every pane explains its terms in place, folded until asked; the quantization and
// benchmark terms the figures use are each explained.
TEST(MainWindow, EveryPaneExplainsItsTermsInAFoldedHelpPanel) {
    MainWindow window;
    const std::map<QString, QStringList> terms{
        {"Quantize", {"Tr(H)", "Ω(b)", "α", "BOPS", "Weights", "integer-exact"}},
        {"Benchmark", {"Steps", "fake-quant", "integer-exact", "Arena", "Weights vs model file", "p99"}},
        {"Network", {"params", "MACs"}},
        {"Train", {"UAR", "Resume"}},
        {"Compare", {"Fusion gain"}},
        {"Experiments", {"Parent run"}},
        {"Dataset", {"Splits", "MFCC"}}};
    for (Pane* pane : window.panes()) {
        SCOPED_TRACE(pane->title().toStdString());
        ASSERT_NE(pane->help(), nullptr);
        EXPECT_FALSE(pane->help()->isOpen());
        pane->help()->setOpen(true);
        EXPECT_TRUE(pane->help()->isOpen());
        const auto it = terms.find(pane->title());
        ASSERT_NE(it, terms.end());
        for (const QString& term : it->second)
            EXPECT_TRUE(pane->help()->text().contains(term)) << term.toStdString();
    }
}

TEST(MainWindow, AGeometrySavedOnALargerScreenIsRestoredInsideThisOne) {
    const QRect screen = QGuiApplication::primaryScreen()->availableGeometry();
    {
        MainWindow window;
        window.setGeometry(screen.x() + 300, screen.y() + 200, screen.width() + 900, screen.height() + 700);
        window.saveSettings();
    }
    MainWindow again;
    again.restoreSettings();
    EXPECT_LE(again.width(), screen.width());
    EXPECT_LE(again.height(), screen.height());
    EXPECT_TRUE(screen.contains(again.geometry())) << again.geometry().x() << "," << again.geometry().y();
    QSettings().clear();
}

TEST(MainWindow, WorkspaceThreadsAndPanePersistAcrossWindows) {
    {
        MainWindow window;
        window.workbench().setWorkspace("/tmp/tm2-widgets-test-workspace");
        window.tabs()->setCurrentIndex(4);
        window.saveSettings();
    }
    MainWindow again;
    again.restoreSettings();
    EXPECT_EQ(again.workbench().workspace(), "/tmp/tm2-widgets-test-workspace");
    EXPECT_EQ(again.tabs()->currentIndex(), 4);
    QSettings().clear();
}

TEST(MainWindow, ReopensTheLastSessionsDatasetRunPlanAndModelWhenTheyStillExist) {
    testing::TempDir dir;
    std::filesystem::create_directories(dir.file("run"));
    testing::writeTextFile(dir.file("run/run.json"), "{}");
    testing::writeTextFile(dir.file("run/quant-int8.json"), "{}");
    runtime::writeModel(dir.file("model.tmn"), runtime::fixtures::tinyModel());
    const std::string dataset = testing::tinyImageAudioDemo();
    {
        MainWindow window;
        workflow::DatasetOptions options;
        options.path = dataset;
        options.threads = 1;
        window.workbench().setDataset(options);
        window.workbench().setRunDir(QString::fromStdString(dir.file("run")));
        window.workbench().setPlan("int8", QString::fromStdString(dir.file("run/quant-int8.json")));
        window.workbench().setPlan("mp", QString::fromStdString(dir.file("run/gone.json")));  // deleted since
        window.workbench().setModelPath(QString::fromStdString(dir.file("model.tmn")));
        ASSERT_TRUE(window.datasetPane()->runner().wait(120000));
        window.saveSettings();
    }
    MainWindow again;
    again.restoreSettings();
    EXPECT_EQ(again.reopenSession(), (QStringList{"dataset", "run", "plan int8", "model"}));
    EXPECT_EQ(again.workbench().dataset().path, dataset);
    EXPECT_EQ(again.workbench().runDir().toStdString(), dir.file("run"));
    EXPECT_EQ(again.workbench().plans().count("mp"), 0u);
    EXPECT_EQ(again.workbench().modelPath().toStdString(), dir.file("model.tmn"));
    ASSERT_TRUE(again.datasetPane()->runner().wait(120000));
    EXPECT_GT(again.datasetPane()->sampleCount(), 0);  // the dataset really opened

    // Once the run folder is gone, only what still exists comes back.
    std::filesystem::remove_all(dir.file("run"));
    MainWindow third;
    EXPECT_EQ(third.reopenSession(), (QStringList{"dataset", "model"}));
    ASSERT_TRUE(third.datasetPane()->runner().wait(120000));
    QSettings().clear();
}

}  // namespace
}  // namespace tm2::gui
