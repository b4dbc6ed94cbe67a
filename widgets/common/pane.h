#pragma once
// Base of the main window's panes: a message banner on top, the pane's own
// content (in a scroll area, so a pane never makes the window taller than the
// screen), and a TaskPanel for its worker job at the bottom. A pane exposes
// its main actions (with shortcuts) for the window's menu and toolbar, and
// keeps its own settings in a QSettings group.

#include <QList>
#include <QSettings>
#include <QWidget>

class QAction;
class QVBoxLayout;

namespace tm2::gui {

class HelpPanel;
class MessageBanner;
class TaskPanel;
class TaskRunner;
class Workbench;

class Pane : public QWidget {
    Q_OBJECT
public:
    Pane(Workbench& workbench, QWidget* parent = nullptr);

    virtual QString title() const = 0;
    // Actions for the Run menu/toolbar (e.g. "Train" with Ctrl+T).
    virtual QList<QAction*> mainActions() const { return {}; }
    virtual void saveSettings(QSettings& settings) const { Q_UNUSED(settings); }
    virtual void restoreSettings(QSettings& settings) { Q_UNUSED(settings); }

    Workbench& workbench() const { return workbench_; }
    TaskRunner& runner() const { return *runner_; }
    MessageBanner* banner() const { return banner_; }
    TaskPanel* taskPanel() const { return task_panel_; }
    // The pane's "What these figures mean" panel (null when the pane has none).
    HelpPanel* help() const { return help_; }

protected:
    // Where subclasses put their widgets (between banner and task panel).
    QVBoxLayout* contentLayout() const { return content_; }
    // Puts a folded explanation of the pane's terms at the top of its content.
    void setHelp(const QString& html);
    // Shows a core error in the banner (also used for TaskRunner::failed).
    void showError(const QString& message);

private:
    Workbench& workbench_;
    TaskRunner* runner_;
    MessageBanner* banner_;
    TaskPanel* task_panel_;
    QVBoxLayout* content_;
    HelpPanel* help_ = nullptr;
};

}  // namespace tm2::gui
