#pragma once
// "Why does it decide?" for a trained run, shown in the Train and Compare
// panes: pick a test sample, see each branch's gradient × input map (its input
// beside the overlay, as `tinym2net explain` writes it), and a bar chart per
// class of the test accuracy or confidence with each modality masked. All the
// work runs in core/workflow (explain_run.h) on this view's TaskRunner, which
// joins the workbench's LibTorch jobs (one at a time with training).

#include <QImage>
#include <QList>
#include <QString>
#include <QStringList>
#include <QWidget>
#include <memory>

#include "core/workflow/explain_run.h"

class QChartView;
class QComboBox;
class QHBoxLayout;
class QLabel;
class QPushButton;
class QTabWidget;

namespace tm2::gui {

class TaskRunner;
class Workbench;

class ExplainView : public QWidget {
    Q_OBJECT
public:
    // `owner` names the pane in the "another job is running" message.
    ExplainView(Workbench& workbench, const QString& owner, QWidget* parent = nullptr);
    ~ExplainView() override;

    // The run to explain (a train or compare folder); clears what was shown.
    void setRun(const QString& run_dir);
    QString runDir() const { return run_dir_; }
    // What the Explain button does: loads the run, its per-class contributions and
    // the first test sample's maps.
    void explainRun();
    // Explains another test sample of the loaded run (the picker does this).
    void explainSample(const QString& sample);
    // Writes the maps (PNG), explain.json and the CSV into `folder` (Save PNG asks for it).
    bool saveTo(const QString& folder);

    TaskRunner& runner() const { return *runner_; }
    bool isBusy() const;
    QStringList samples() const;  // the picker's test samples
    QString shownSample() const { return shown_sample_; }
    QList<QImage> maps() const { return maps_; }  // one per branch, as shown
    QStringList mapTitles() const;
    QChartView* contributionChart() const { return chart_; }
    QString statusText() const;

private:
    void onSucceeded(const QVariant& value);
    void showSample(const workflow::SampleExplanation& e);
    void showContributions();
    void updateEnabled();

    Workbench& workbench_;
    TaskRunner* runner_;
    QString run_dir_;
    std::shared_ptr<workflow::ExplainableRun> loaded_;
    explain::ModalityContributions contributions_;
    std::shared_ptr<workflow::SampleExplanation> shown_;
    QString shown_sample_;
    QList<QImage> maps_;

    QLabel* status_;
    QPushButton* explain_button_;
    QComboBox* sample_picker_;
    QComboBox* figure_picker_;  // accuracy | mean confidence
    QPushButton* save_button_;
    QHBoxLayout* maps_layout_;
    QChartView* chart_;
};

// Adds a new ExplainView to `tabs` as its "Why it decides" tab, in a scroll area so its maps
// and chart never raise the tabs' minimum height (the pane's charts keep their room), and
// returns it.
ExplainView* addExplainTab(Workbench& workbench, const QString& owner, QTabWidget& tabs);

}  // namespace tm2::gui
