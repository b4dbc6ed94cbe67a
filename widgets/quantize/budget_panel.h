#pragma once
// Size and BOPS budgets of the mixed-precision plan as sliders (from the
// all-lowest to the all-highest width) with exact spin boxes. Every change
// re-solves the saved ILP on the GUI thread (about a millisecond) and shows
// the new bits, Σ Ω and size — or, for an impossible budget, the smallest
// achievable one. Accuracy is not re-measured: "Apply plan" asks for that.

#include <QWidget>
#include <map>
#include <optional>
#include <string>

#include "core/quant/bit_allocation.h"
#include "core/workflow/allocation_budgets.h"

class QDoubleSpinBox;
class QLabel;
class QPushButton;
class QSlider;

namespace tm2::gui {

class BudgetPanel : public QWidget {
    Q_OBJECT
public:
    explicit BudgetPanel(QWidget* parent = nullptr);

    // The ILP of a mixed-precision run (its "ilp_problem"); budgets start at the run's.
    void setProblem(const quant::BitAllocationProblem& problem);
    void clearProblem();
    bool hasProblem() const { return problem_.has_value(); }

    void setSizeBudgetKb(double kb);  // as typing it into the spin box
    void setBopsBudgetM(double m);
    double sizeBudgetKb() const { return size_bytes_ / 1024; }
    double bopsBudgetM() const { return bops_ / 1e6; }
    const workflow::BudgetRange& range() const { return range_; }

    // The live allocation (Optimal or Infeasible); its bits are empty when infeasible.
    const quant::BitAllocation& allocation() const { return allocation_; }
    std::map<std::string, int> liveBits() const;
    QString liveText() const;
    QSlider* sizeSlider() const { return size_slider_; }
    QSlider* bopsSlider() const { return bops_slider_; }
    QPushButton* applyButton() const { return apply_; }

Q_SIGNALS:
    void solved();          // after every re-solve
    void applyRequested();  // "Apply plan" with the live bits

private:
    void resolve();
    void sizeSliderMoved(int value);
    void bopsSliderMoved(int value);
    void syncSliders();

    std::optional<quant::BitAllocationProblem> problem_;
    workflow::BudgetRange range_;
    quant::BitAllocation allocation_;
    double size_bytes_ = 0, bops_ = 0;  // base units, so the slider ends are exact
    QSlider* size_slider_;
    QSlider* bops_slider_;
    QDoubleSpinBox* size_spin_;
    QDoubleSpinBox* bops_spin_;
    QLabel* range_label_;
    QLabel* live_label_;
    QPushButton* apply_;
};

}  // namespace tm2::gui
