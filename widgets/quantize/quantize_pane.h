#pragma once
// The Quantize pane: the trained run → INT8, INT4 or Hessian-aware mixed
// precision (each a job on the pane's runner), the per-layer sensitivity and
// bit assignment, live budget what-ifs on the ILP, the Pareto sweep and the
// FP32/INT8/INT4/MP comparison. Plans go to the Workbench for Benchmark.

#include <QString>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "core/model/model_spec.h"
#include "widgets/common/pane.h"

class QAction;
class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QGroupBox;
class QVBoxLayout;
class QLabel;
class QPushButton;
class QSpinBox;

namespace tm2::workflow {
struct QuantSettings;
struct RunPlan;
}

namespace tm2::gui {

class BitAssignmentTable;
class RunPicker;
class BudgetPanel;
class ModeSummaryTable;
class ParetoChart;
class PlanTable;
class SensitivityChart;
class TargetFitView;

class QuantizePane : public Pane {
    Q_OBJECT
public:
    explicit QuantizePane(Workbench& workbench, QWidget* parent = nullptr);
    QString title() const override { return tr("Quantize"); }
    QList<QAction*> mainActions() const override;
    void saveSettings(QSettings& settings) const override;
    void restoreSettings(QSettings& settings) override;

    // What the buttons do (for tests): start quantizing the run as int8 | int4 | mp.
    void quantize(const QString& mode);
    bool hasResult(const QString& mode) const { return results_.count(mode) > 0; }
    nlohmann::json result(const QString& mode) const;
    // Moves the size budget (as the slider/spin box would) and re-solves the ILP.
    void setSizeBudgetKb(double kb);
    std::map<std::string, int> liveBits() const;
    void runPareto(int points);
    // Re-quantizes with the live bits (the "Apply plan" button).
    void applyLivePlan();
    // Re-quantizes with the chosen Pareto point's bits ("Apply this point").
    void applyParetoPoint();

    // The settings the next job uses (mode aside).
    workflow::QuantSettings settings() const;
    BudgetPanel* budgetPanel() const { return budget_; }
    SensitivityChart* sensitivityChart() const { return sensitivity_; }
    ParetoChart* paretoChart() const { return pareto_; }
    ModeSummaryTable* summaryTable() const { return summary_; }
    BitAssignmentTable* bitTable() const { return bits_table_; }
    PlanTable* planTable() const { return plan_table_; }
    QLabel* paretoPointLabel() const { return pareto_point_label_; }
    QPushButton* applyPointButton() const { return apply_point_button_; }

private:
    // The pane's groups with their controls and actions (the constructor places them).
    QGroupBox* makeSettingsBox();               // calibration, probes, QAT, pins, 2-bit, MP budgets
    QVBoxLayout* makeModeButtons();             // INT8 / INT4 / MP
    QGroupBox* makeParetoBox(QWidget* parent);  // the sweep's controls, chart and chosen point
    // Shows the results saved in the run folder (quant-*.json, pareto.json), as after a reopen.
    void showSavedResults(const QString& dir);
    void onRunChanged(const QString& dir);
    void showQuantized(const QString& mode, const nlohmann::json& result);  // a finished quantize / apply
    void showPareto(const nlohmann::json& sweep);                           // a finished Pareto sweep
    void showResult(const QString& mode, const nlohmann::json& result);
    void updateEnabled();
    // RAM, flash and latency of the live plan (or of INT8 before an MP run) on the target.
    void updateTargetFit();
    bool ready(const QString& what);
    // Lists the run's plans again (after a job wrote one, on a run change).
    void refreshPlans();
    // Re-quantizes as MP with `bits` into a plan of its own, RUN/PREFIX-N.json; `what` names
    // the action (errors), `applied` the plan ("Live plan", "Pareto point 3") for the banner.
    void applyBits(const std::map<std::string, int>& bits, const std::string& prefix, const QString& what,
                   const QString& applied);
    // A Pareto point clicked: its bits in the table and bars, its figures in the label.
    void showParetoPoint(int index);
    // A plan chosen in the plan table: its bits in the table and the bars, and the workbench's plan.
    void choosePlan(const workflow::RunPlan& chosen);

    std::map<QString, nlohmann::json> results_;
    nlohmann::json pareto_result_;

    RunPicker* run_picker_;
    QLabel* run_label_;
    QComboBox* calibration_;
    QSpinBox* probes_;
    QSpinBox* qat_epochs_;
    QCheckBox* pin_head_;
    QCheckBox* allow_2bit_;  // MP and Pareto choose among {2, 4, 8} instead of {4, 8}
    QDoubleSpinBox* mp_size_kb_;
    QDoubleSpinBox* mp_bops_m_;
    QPushButton* int8_button_;
    QPushButton* int4_button_;
    QPushButton* mp_button_;
    QSpinBox* pareto_points_;
    QPushButton* pareto_button_;
    QAction* int8_action_;
    QAction* int4_action_;
    QAction* mp_action_;
    ModeSummaryTable* summary_;
    SensitivityChart* sensitivity_;
    BitAssignmentTable* bits_table_;
    BudgetPanel* budget_;
    TargetFitView* target_fit_;
    std::optional<model::ModelSpec> run_spec_;  // the run's spec.json, for the target view
    ParetoChart* pareto_;
    PlanTable* plan_table_;
    QLabel* pareto_point_label_;
    QPushButton* apply_point_button_;
};

}  // namespace tm2::gui
