#include "widgets/common/pane.h"

#include <QFrame>
#include <QScrollArea>
#include <QVBoxLayout>

#include "widgets/common/help_panel.h"
#include "widgets/common/message_banner.h"
#include "widgets/common/task_panel.h"
#include "widgets/common/task_runner.h"

namespace tm2::gui {

Pane::Pane(Workbench& workbench, QWidget* parent) : QWidget(parent), workbench_(workbench) {
    runner_ = new TaskRunner(this);
    auto* layout = new QVBoxLayout(this);
    banner_ = new MessageBanner(this);
    layout->addWidget(banner_);
    // The content scrolls rather than grow the window: below its minimum size
    // (charts and tables keep a readable one) scroll bars appear, so the banner,
    // the task panel and the window's status bar stay on screen at 1280×720.
    auto* scroll = new QScrollArea(this);
    scroll->setObjectName("paneScroll");
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    auto* content = new QWidget(scroll);
    content->setObjectName("paneContent");
    content_ = new QVBoxLayout(content);
    content_->setContentsMargins(0, 0, 0, 0);
    scroll->setWidget(content);
    layout->addWidget(scroll, 1);
    task_panel_ = new TaskPanel(*runner_, this);
    layout->addWidget(task_panel_);
    connect(runner_, &TaskRunner::failed, this, &Pane::showError);
    connect(runner_, &TaskRunner::refused, this, &Pane::showError);
    connect(runner_, &TaskRunner::started, banner_, &MessageBanner::clearMessage);
}

void Pane::showError(const QString& message) { banner_->showError(message); }

void Pane::setHelp(const QString& html) {
    if (help_) {
        content_->removeWidget(help_);
        delete help_;
    }
    help_ = new HelpPanel(html, this);
    content_->insertWidget(0, help_);
}

}  // namespace tm2::gui
