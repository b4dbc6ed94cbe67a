#include "widgets/common/task_panel.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>

#include "widgets/common/task_runner.h"

namespace tm2::gui {

QString formatDuration(double seconds) {
    if (seconds < 60) return QString::number(static_cast<int>(seconds + 0.5)) + " s";
    const int s = static_cast<int>(seconds + 0.5);
    return QString("%1:%2").arg(s / 60).arg(s % 60, 2, 10, QChar('0'));
}

TaskPanel::TaskPanel(TaskRunner& runner, QWidget* parent) : QWidget(parent), runner_(runner) {
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 4, 0, 0);
    status_ = new QLabel(tr("Idle"), this);
    status_->setObjectName("taskStatus");
    status_->setMinimumWidth(200);
    bar_ = new QProgressBar(this);
    bar_->setObjectName("taskProgress");
    bar_->setRange(0, 1);
    bar_->setValue(0);
    cancel_ = new QPushButton(tr("Cancel"), this);
    cancel_->setObjectName("taskCancel");
    cancel_->setEnabled(false);
    cancel_->setToolTip(tr("Stop the running job (Esc)"));
    layout->addWidget(status_, 2);
    layout->addWidget(bar_, 3);
    layout->addWidget(cancel_);

    connect(cancel_, &QPushButton::clicked, &runner_, &TaskRunner::cancel);
    connect(&runner_, &TaskRunner::started, this, [this](const QString& title) {
        timer_.start();
        stage_.clear();
        status_->setText(title + "…");
        bar_->setRange(0, 0);  // busy until the first progress report
        cancel_->setEnabled(true);
    });
    connect(&runner_, &TaskRunner::progress, this, &TaskPanel::onProgress);
    connect(&runner_, &TaskRunner::succeeded, this, [this] {
        status_->setText(runner_.title() + ": " + tr("done in %1").arg(formatDuration(timer_.elapsed() / 1000.0)));
        bar_->setRange(0, 1);
        bar_->setValue(1);
    });
    // A job that did not succeed leaves the bar empty: a full bar reads as "done".
    connect(&runner_, &TaskRunner::failed, this, [this] {
        status_->setText(runner_.title() + ": " + tr("failed"));
        emptyBar();
    });
    connect(&runner_, &TaskRunner::cancelled, this, [this] {
        status_->setText(runner_.title() + ": " + tr("cancelled"));
        emptyBar();
    });
    connect(&runner_, &TaskRunner::finished, this, [this] {
        cancel_->setEnabled(false);
        if (bar_->maximum() == 0) emptyBar();
    });
}

void TaskPanel::emptyBar() {
    bar_->setRange(0, 1);
    bar_->setValue(0);
}

QString TaskPanel::statusText() const { return status_->text(); }

void TaskPanel::onProgress(const QString& stage, qulonglong done, qulonglong total, const QString& detail) {
    if (stage != stage_) {
        stage_ = stage;
        stage_timer_.start();
    }
    QString text = runner_.title() + " — " + stage;
    if (total > 0) {
        bar_->setRange(0, 1000);
        bar_->setValue(static_cast<int>(1000.0 * static_cast<double>(done) / static_cast<double>(total)));
        text += QString(" %1/%2").arg(done).arg(total);
        const double elapsed = stage_timer_.elapsed() / 1000.0;
        if (done > 0 && done < total && elapsed > 1.0)
            text += ", ETA " + formatDuration(elapsed * static_cast<double>(total - done) / static_cast<double>(done));
    } else {
        bar_->setRange(0, 0);
    }
    if (!detail.isEmpty()) text += " · " + detail;
    status_->setText(text);
}

}  // namespace tm2::gui
