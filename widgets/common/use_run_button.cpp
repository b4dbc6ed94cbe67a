#include "widgets/common/use_run_button.h"

#include "widgets/workbench.h"

namespace tm2::gui {

UseRunButton::UseRunButton(Workbench& workbench, QWidget* parent)
    : QPushButton(tr("Use this run for Quantize and Benchmark"), parent), workbench_(workbench) {
    setObjectName("useRunButton");
    setToolTip(tr("Make the run just finished the one Quantize and Benchmark act on "
                  "(they also offer every trained run of the dataset)"));
    hide();
    connect(this, &QPushButton::clicked, this, [this] {
        if (!folder_.isEmpty()) workbench_.setRunDir(folder_);
    });
    connect(&workbench_, &Workbench::runChanged, this, &UseRunButton::updateVisibility);
}

bool UseRunButton::offer(const QString& folder) {
    folder_ = folder;
    const bool adopted = workbench_.runDir().isEmpty() && !folder.isEmpty();
    if (adopted) workbench_.setRunDir(folder);
    updateVisibility();
    return adopted;
}

void UseRunButton::updateVisibility() { setVisible(!folder_.isEmpty() && workbench_.runDir() != folder_); }

}  // namespace tm2::gui
