#pragma once
// Which trained run Quantize and Benchmark act on, chosen by the user: the
// finished train and compare runs of the open dataset that still hold a network
// (workflow::trainedRuns), each shown with its kind, date, key metric and name.
// Picking one makes it the workbench's run; nothing else changes it behind the
// user's back. A run trained on another dataset than the open one is named as such.

#include <QWidget>

class QComboBox;
class QLabel;

namespace tm2::gui {

class Workbench;

class RunPicker : public QWidget {
    Q_OBJECT
public:
    explicit RunPicker(Workbench& workbench, QWidget* parent = nullptr);

    // Re-reads the experiment store (cheap; also done when the workbench's
    // workspace, dataset or run changes, and when the picker is shown).
    void refresh();
    // The run folders offered, in the order shown (the active one included).
    QStringList folders() const;
    // Makes the run in `folder` active, as choosing it in the list does.
    void pick(const QString& folder);
    // The warning shown when the active run was trained on another dataset (or empty).
    QString warning() const;

protected:
    void showEvent(QShowEvent* event) override;

private:
    void onActivated(int index);

    Workbench& workbench_;
    QComboBox* combo_;
    QLabel* warning_;
};

}  // namespace tm2::gui
