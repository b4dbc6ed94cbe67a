#pragma once
// The Train pane: hyper-parameters in a form, Start (Ctrl+T) / Cancel, live
// loss and accuracy curves per epoch, and the test metrics of the finished
// run, which becomes the workbench's run (for Quantize and Benchmark). The
// run is recorded in the workspace's experiment store by core/workflow.

#include <nlohmann/json.hpp>

#include "widgets/common/pane.h"

namespace tm2::train {
struct EpochRecord;
}

class QAction;
class QLabel;
class QPushButton;

namespace tm2::gui {

class AugmentGroup;
class UseRunButton;

class ConfusionMatrixView;
class CurveChart;
class ExplainView;
class HyperParameterForm;

class TrainPane : public Pane {
    Q_OBJECT
public:
    explicit TrainPane(Workbench& workbench, QWidget* parent = nullptr);
    QString title() const override { return tr("Train"); }
    QList<QAction*> mainActions() const override;
    void saveSettings(QSettings& settings) const override;
    void restoreSettings(QSettings& settings) override;

    HyperParameterForm* form() const { return form_; }
    AugmentGroup* augment() const { return augment_; }
    void setEpochs(int epochs);
    // What Start does: trains with the form's settings on the workbench's dataset.
    void startTraining();
    // Continues the last cancelled run from its checkpoint (Resume button).
    void resumeTraining();
    QString cancelledRunDir() const { return cancelled_dir_; }
    // Index of the per-batch series (the epoch's running mean) in both charts.
    static constexpr int kBatchSeries = 2;
    bool isTraining() const;
    // Points in the chart's train-loss series (one per finished epoch).
    int epochsShown() const;
    QString lastRunDir() const { return last_run_dir_; }
    nlohmann::json lastResult() const { return last_result_; }
    CurveChart* lossChart() const { return loss_chart_; }
    CurveChart* accuracyChart() const { return accuracy_chart_; }
    QString summaryText() const;
    // Why the last run decides (saliency maps, modality contributions per class).
    ExplainView* explainView() const { return explain_; }

private:
    void trainInto(const QString& dir, bool resume);
    void onEpoch(const QVariant& value);
    void appendEpoch(const train::EpochRecord& epoch);
    void appendHistory(const nlohmann::json& history);  // result.json's "history"
    void onTrained(const nlohmann::json& result);  // trainAndRecord's result + classes, modalities, run_dir
    // Charts, metrics and confusion matrix of a finished run: `fresh` when it just
    // trained here (offers it as the active run), else read back from its folder.
    void showResult(const nlohmann::json& result, bool fresh);
    // Reads RUN/result.json of a training run folder (not a comparison's) and shows it.
    void showSavedRun(const QString& dir);
    void resetCharts();
    void updateSpecSource();
    void updateEnabled();

    HyperParameterForm* form_;
    AugmentGroup* augment_;
    QLabel* spec_source_;
    QPushButton* start_button_;
    QPushButton* cancel_button_;
    QPushButton* resume_button_;
    UseRunButton* use_run_;
    CurveChart* loss_chart_;
    CurveChart* accuracy_chart_;
    QLabel* summary_;
    ConfusionMatrixView* confusion_;
    ExplainView* explain_;
    QAction* train_action_;
    QString running_dir_;
    QString last_run_dir_;
    QString cancelled_dir_;  // the last cancelled run whose folder holds a checkpoint
    nlohmann::json last_result_;
};

}  // namespace tm2::gui
