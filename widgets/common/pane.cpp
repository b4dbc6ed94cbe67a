#include "widgets/common/pane.h"

#include <QVBoxLayout>

#include "widgets/common/message_banner.h"
#include "widgets/common/task_panel.h"
#include "widgets/common/task_runner.h"

namespace tm2::gui {

Pane::Pane(Workbench& workbench, QWidget* parent) : QWidget(parent), workbench_(workbench) {
    runner_ = new TaskRunner(this);
    auto* layout = new QVBoxLayout(this);
    banner_ = new MessageBanner(this);
    layout->addWidget(banner_);
    content_ = new QVBoxLayout;
    layout->addLayout(content_, 1);
    task_panel_ = new TaskPanel(*runner_, this);
    layout->addWidget(task_panel_);
    connect(runner_, &TaskRunner::failed, this, &Pane::showError);
    connect(runner_, &TaskRunner::refused, this, &Pane::showError);
    connect(runner_, &TaskRunner::started, banner_, &MessageBanner::clearMessage);
}

void Pane::showError(const QString& message) { banner_->showError(message); }

}  // namespace tm2::gui
