#include "widgets/common/exclusive_jobs.h"

#include <QCoreApplication>

#include "widgets/common/task_runner.h"

namespace tm2::gui {

void ExclusiveJobs::add(TaskRunner& runner, const QString& owner) {
    members_.push_back({&runner, owner});
    runner.setExclusiveJobs(shared_from_this());
}

QString ExclusiveJobs::refusal(const TaskRunner& asking) const {
    for (const Member& m : members_)
        if (m.runner && m.runner != &asking && m.runner->isRunning())
            return QCoreApplication::translate(
                       "ExclusiveJobs",
                       "Another job is running: %1 (%2 pane). Jobs that use LibTorch share "
                       "its random seed, so they run one at a time; wait for it to finish "
                       "or cancel it.")
                .arg(m.runner->title(), m.owner);
    return {};
}

}  // namespace tm2::gui
