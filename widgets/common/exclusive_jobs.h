#pragma once
// Task runners that must not run at the same time. LibTorch's random seed,
// thread count and allocator are process-wide, so a training started while
// another trains (or a quantization calibrates) makes both unrepeatable.
// A runner joined to the group refuses to start while another member runs,
// with a message naming what runs (TaskRunner::refused). The one place that
// decides which panes belong is MainWindow's constructor.

#include <QPointer>
#include <QString>
#include <memory>
#include <vector>

namespace tm2::gui {

class TaskRunner;

class ExclusiveJobs : public std::enable_shared_from_this<ExclusiveJobs> {
public:
    // Joins `runner` (named `owner` in messages, e.g. "Train") to the group.
    void add(TaskRunner& runner, const QString& owner);
    // Why `asking` may not start now ("Another job is running: …"), or empty.
    QString refusal(const TaskRunner& asking) const;

private:
    struct Member {
        QPointer<TaskRunner> runner;
        QString owner;
    };
    std::vector<Member> members_;
};

}  // namespace tm2::gui
