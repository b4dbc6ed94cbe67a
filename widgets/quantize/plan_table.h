#pragma once
// Every plan of the run side by side (quant-int8, quant-int4, quant-mp, the
// applied quant-mp-live-N, …): test accuracy fake-quant and integer-exact,
// size, BOPS and when it was made. Clicking a row chooses that plan; the one
// the workbench uses for its mode is in bold.

#include <QTableWidget>
#include <vector>

#include "core/workflow/run_plans.h"

namespace tm2::gui {

class PlanTable : public QTableWidget {
    Q_OBJECT
public:
    explicit PlanTable(QWidget* parent = nullptr);
    // Replaces the rows (no planChosen for it); `in_use` lists the workbench's plan paths (bold).
    void setPlans(const std::vector<workflow::RunPlan>& plans, const QStringList& in_use);
    const std::vector<workflow::RunPlan>& plans() const { return plans_; }
    // Selects the row of `name` as a click would (emits planChosen); false when there is none.
    bool choose(const QString& name);

Q_SIGNALS:
    void planChosen(const tm2::workflow::RunPlan& plan);

private:
    enum Column { Name, Accuracy, IntegerAccuracy, Size, Bops, Created, Columns };
    std::vector<workflow::RunPlan> plans_;
};

}  // namespace tm2::gui
