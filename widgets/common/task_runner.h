#pragma once
// Runs one long core job at a time on a worker thread. The job gets a
// ProgressCallback (throttled, and returning false once cancel() was asked,
// so core stops with tm2::Cancelled) and a way to post intermediate results
// (e.g. one JSON per epoch). Every signal arrives on the GUI thread; errors
// from core become failed(message), never a crash. A runner may belong to an
// ExclusiveJobs group; then it does not start while another member runs.
// run() is the typed form: the job returns any type (a core struct) and the
// pane's `done` receives it on the GUI thread, without packing it in a QVariant.

#include <QObject>
#include <QString>
#include <QThread>
#include <QVariant>
#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <type_traits>
#include <utility>

#include "core/base/progress.h"

namespace tm2::gui {

class ExclusiveJobs;

class TaskContext {
public:
    // Pass to core functions taking a ProgressCallback.
    ProgressCallback progress;
    // True once the user asked to cancel; long loops outside core may poll it.
    std::function<bool()> cancelRequested;
    // Sends `value` to the GUI thread as TaskRunner::posted(value).
    std::function<void(const QVariant&)> post;
};

class TaskRunner : public QObject {
    Q_OBJECT
public:
    using Job = std::function<QVariant(const TaskContext&)>;

    explicit TaskRunner(QObject* parent = nullptr);
    ~TaskRunner() override;  // cancels and waits for a running job

    bool isRunning() const { return thread_ != nullptr; }
    QString title() const { return title_; }
    // Starts `job` on a worker thread; false, refused(message) and nothing
    // started when this runner or another of its ExclusiveJobs group runs.
    // `on_success` (optional) runs on the GUI thread just before succeeded().
    bool start(const QString& title, Job job, std::function<void()> on_success = {});
    // Typed: `job(const TaskContext&)` returns a value that `done` gets by const
    // reference on the GUI thread when the job succeeded (succeeded() then carries
    // an empty QVariant). Failure and cancellation signal as with start().
    template <typename TypedJob, typename Done>
    bool run(const QString& title, TypedJob job, Done done) {
        using Result = std::decay_t<std::invoke_result_t<TypedJob&, const TaskContext&>>;
        auto result = std::make_shared<std::optional<Result>>();
        return start(
            title,
            [result, job = std::move(job)](const TaskContext& c) mutable {
                result->emplace(job(c));
                return QVariant();
            },
            [result, done = std::move(done)]() mutable { done(std::as_const(**result)); });
    }
    // True when start() would start now; otherwise emits refused(message) and
    // returns false (for panes that prepare their view before starting).
    bool mayStart();
    // The group this runner belongs to (see ExclusiveJobs::add).
    void setExclusiveJobs(std::shared_ptr<const ExclusiveJobs> group) { group_ = std::move(group); }
    // Blocks until the running job (if any) finished and its signals were delivered; for tests and shutdown.
    bool wait(int timeout_ms = -1);

public Q_SLOTS:
    void cancel();

Q_SIGNALS:
    void started(const QString& title);
    void progress(const QString& stage, qulonglong done, qulonglong total, const QString& detail);
    void posted(const QVariant& value);
    void succeeded(const QVariant& result);
    void failed(const QString& message);
    void cancelled();
    void finished();                       // after succeeded / failed / cancelled
    void refused(const QString& message);  // start() did not start: why

private:
    void onThreadFinished();

    QThread* thread_ = nullptr;
    QString title_;
    std::shared_ptr<const ExclusiveJobs> group_;
    std::shared_ptr<std::atomic<bool>> cancel_flag_;
    // The outcome the worker leaves for onThreadFinished.
    enum class Outcome { Succeeded, Failed, Cancelled } outcome_ = Outcome::Succeeded;
    QVariant result_;
    QString error_;
    std::function<void()> on_success_;
};

}  // namespace tm2::gui
