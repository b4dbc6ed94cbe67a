#pragma once
// "Use this run for Quantize and Benchmark": what Train and Compare offer when
// they finish, instead of replacing the active run behind the user's back.
// A finished run becomes active by itself only when no run is active (nothing
// is replaced); otherwise this button appears until the user takes it, or picks
// another run.

#include <QPushButton>

namespace tm2::gui {

class Workbench;

class UseRunButton : public QPushButton {
    Q_OBJECT
public:
    explicit UseRunButton(Workbench& workbench, QWidget* parent = nullptr);

    // Offers the run in `folder`; returns true when it became the active run
    // (there was none), false when the button now offers it.
    bool offer(const QString& folder);
    QString offeredFolder() const { return folder_; }

private:
    void updateVisibility();

    Workbench& workbench_;
    QString folder_;
};

}  // namespace tm2::gui
