#include "widgets/common/task_runner.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <exception>

#include "core/base/error.h"
#include "widgets/common/exclusive_jobs.h"

namespace tm2::gui {

TaskRunner::TaskRunner(QObject* parent) : QObject(parent) {}

TaskRunner::~TaskRunner() {
    if (thread_) {
        cancel();
        thread_->wait();
        delete thread_;  // its queued finished() will never be handled now
        thread_ = nullptr;
    }
}

bool TaskRunner::mayStart() {
    QString why;
    if (thread_)
        why = tr("'%1' is still running; wait for it to finish or cancel it.").arg(title_);
    else if (group_)
        why = group_->refusal(*this);
    if (why.isEmpty()) return true;
    Q_EMIT refused(why);
    return false;
}

bool TaskRunner::start(const QString& title, Job job, std::function<void()> on_success) {
    if (!mayStart()) return false;
    title_ = title;
    on_success_ = std::move(on_success);
    cancel_flag_ = std::make_shared<std::atomic<bool>>(false);
    result_ = QVariant();
    error_.clear();

    auto flag = cancel_flag_;
    // Progress is forwarded at most every 50 ms (plus the last item of a stage),
    // so a per-batch callback cannot flood the GUI's event queue.
    auto last = std::make_shared<std::chrono::steady_clock::time_point>();
    TaskContext context;
    context.cancelRequested = [flag] { return flag->load(); };
    context.progress = [this, flag, last](const Progress& p) {
        const auto now = std::chrono::steady_clock::now();
        if (now - *last > std::chrono::milliseconds(50) || (p.total > 0 && p.done >= p.total)) {
            *last = now;
            Q_EMIT progress(QString::fromStdString(p.stage), p.done, p.total, QString::fromStdString(p.detail));
        }
        return !flag->load();
    };
    context.post = [this](const QVariant& value) { Q_EMIT posted(value); };

    thread_ = QThread::create([this, job = std::move(job), context] {
        try {
            result_ = job(context);
            outcome_ = Outcome::Succeeded;
        } catch (const Cancelled&) {
            outcome_ = Outcome::Cancelled;
        } catch (const std::exception& e) {
            outcome_ = Outcome::Failed;
            error_ = QString::fromUtf8(e.what());
        } catch (...) {
            outcome_ = Outcome::Failed;
            error_ = tr("unknown error");
        }
        if (outcome_ == Outcome::Succeeded && cancel_flag_->load()) outcome_ = Outcome::Cancelled;
    });
    connect(thread_, &QThread::finished, this, &TaskRunner::onThreadFinished, Qt::QueuedConnection);
    Q_EMIT started(title_);
    thread_->start();
    return true;
}

void TaskRunner::cancel() {
    if (cancel_flag_) cancel_flag_->store(true);
}

bool TaskRunner::wait(int timeout_ms) {
    QElapsedTimer timer;
    timer.start();
    while (thread_) {
        if (timeout_ms >= 0 && timer.elapsed() > timeout_ms) return false;
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
        QThread::msleep(2);
    }
    return true;
}

void TaskRunner::onThreadFinished() {
    if (!thread_) return;
    thread_->wait();
    thread_->deleteLater();
    thread_ = nullptr;
    std::function<void()> on_success = std::move(on_success_);
    on_success_ = nullptr;
    switch (outcome_) {
        case Outcome::Succeeded:
            if (on_success) on_success();
            Q_EMIT succeeded(result_);
            break;
        case Outcome::Failed: Q_EMIT failed(error_); break;
        case Outcome::Cancelled: Q_EMIT cancelled(); break;
    }
    Q_EMIT finished();
}

}  // namespace tm2::gui
