#include "widgets/main_window.h"

#include <gtest/gtest.h>

#include <QAction>
#include <QMenuBar>
#include <QSettings>
#include <QTabWidget>
#include <map>

#include "widgets/common/pane.h"
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

}  // namespace
}  // namespace tm2::gui
