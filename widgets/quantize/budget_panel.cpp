#include "widgets/quantize/budget_panel.h"

#include <QDoubleSpinBox>
#include <QGridLayout>
#include <QLabel>
#include <QPushButton>
#include <QSignalBlocker>
#include <QSlider>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>

#include "core/base/error.h"

namespace tm2::gui {

namespace {

constexpr int kSteps = 1000;

// Slider position v ∈ [0, kSteps] ↔ value in [lo, hi]; the ends map exactly.
double fromSlider(int v, double lo, double hi) {
    if (v <= 0) return lo;
    if (v >= kSteps) return hi;
    return lo + (hi - lo) * v / kSteps;
}
int toSlider(double x, double lo, double hi) {
    if (hi <= lo) return kSteps;
    return std::clamp(static_cast<int>(std::lround((x - lo) / (hi - lo) * kSteps)), 0, kSteps);
}

}  // namespace

BudgetPanel::BudgetPanel(QWidget* parent) : QWidget(parent) {
    setObjectName("budgetPanel");
    auto* grid = new QGridLayout(this);
    grid->setContentsMargins(0, 0, 0, 0);
    size_slider_ = new QSlider(Qt::Horizontal, this);
    size_slider_->setObjectName("sizeBudgetSlider");
    size_slider_->setRange(0, kSteps);
    size_slider_->setToolTip(tr("Left end: every layer at 4 bits; right end: every layer at 8 bits"));
    bops_slider_ = new QSlider(Qt::Horizontal, this);
    bops_slider_->setObjectName("bopsBudgetSlider");
    bops_slider_->setRange(0, kSteps);
    size_spin_ = new QDoubleSpinBox(this);
    size_spin_->setObjectName("sizeBudgetSpin");
    size_spin_->setDecimals(3);
    size_spin_->setSuffix(" KiB");
    bops_spin_ = new QDoubleSpinBox(this);
    bops_spin_->setObjectName("bopsBudgetSpin");
    bops_spin_->setDecimals(4);
    bops_spin_->setSuffix(" M");
    grid->addWidget(new QLabel(tr("Weight size budget"), this), 0, 0);
    grid->addWidget(size_slider_, 0, 1);
    grid->addWidget(size_spin_, 0, 2);
    grid->addWidget(new QLabel(tr("BOPS budget"), this), 1, 0);
    grid->addWidget(bops_slider_, 1, 1);
    grid->addWidget(bops_spin_, 1, 2);
    range_label_ = new QLabel(this);
    range_label_->setObjectName("budgetRangeLabel");
    range_label_->setWordWrap(true);  // a long range must not widen the pane past 1280 px
    grid->addWidget(range_label_, 2, 0, 1, 3);
    live_label_ = new QLabel(this);
    live_label_->setObjectName("liveAllocationLabel");
    live_label_->setWordWrap(true);
    live_label_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    grid->addWidget(live_label_, 3, 0, 1, 3);
    apply_ = new QPushButton(tr("Apply plan (re-quantize with these bits)"), this);
    apply_->setObjectName("applyPlanButton");
    apply_->setToolTip(
        tr("The live bits come from the ILP alone; accuracy needs a re-quantization with them"));
    grid->addWidget(apply_, 4, 0, 1, 3);
    grid->setColumnStretch(1, 1);

    connect(size_slider_, &QSlider::valueChanged, this, &BudgetPanel::sizeSliderMoved);
    connect(bops_slider_, &QSlider::valueChanged, this, &BudgetPanel::bopsSliderMoved);
    connect(size_spin_, &QDoubleSpinBox::valueChanged, this, [this](double kb) {
        size_bytes_ = kb * 1024;
        syncSliders();
        resolve();
    });
    connect(bops_spin_, &QDoubleSpinBox::valueChanged, this, [this](double m) {
        bops_ = m * 1e6;
        syncSliders();
        resolve();
    });
    connect(apply_, &QPushButton::clicked, this, &BudgetPanel::applyRequested);
    clearProblem();
}

void BudgetPanel::clearProblem() {
    problem_.reset();
    allocation_ = {};
    for (QWidget* w :
         std::initializer_list<QWidget*>{size_slider_, bops_slider_, size_spin_, bops_spin_, apply_})
        w->setEnabled(false);
    range_label_->setText(tr("Run mixed precision (MP) to explore budgets."));
    live_label_->clear();
}

void BudgetPanel::setProblem(const quant::BitAllocationProblem& problem) {
    range_ = workflow::budgetRange(problem);
    problem_ = problem;
    for (QWidget* w :
         std::initializer_list<QWidget*>{size_slider_, bops_slider_, size_spin_, bops_spin_, apply_})
        w->setEnabled(true);
    const double min_kb = range_.min_size_bytes / 1024, max_kb = range_.max_size_bytes / 1024;
    const double min_m = range_.min_bops / 1e6, max_m = range_.max_bops / 1e6;
    size_bytes_ = problem.size_bytes_max.value_or(range_.max_size_bytes);
    bops_ = problem.bops_max.value_or(range_.max_bops);
    {
        const QSignalBlocker a(size_spin_), b(bops_spin_);
        // Below the minimum on purpose: an impossible budget is allowed and explained.
        size_spin_->setRange(0.001, std::max(1.0, 2 * max_kb));
        bops_spin_->setRange(0.0001, std::max(1.0, 2 * max_m));
        size_spin_->setValue(size_bytes_ / 1024);
        bops_spin_->setValue(bops_ / 1e6);
    }
    range_label_->setText(
        tr("Weights %1 – %2 KiB, %3 – %4 M BOPS (free layers all %5 … all %6 bits, pinned layers fixed; "
           "BOPS = MACs × weight bits × bits of the activations read)")
            .arg(min_kb, 0, 'f', 2)
            .arg(max_kb, 0, 'f', 2)
            .arg(min_m, 0, 'f', 3)
            .arg(max_m, 0, 'f', 3)
            .arg(*std::min_element(problem.candidate_bits.begin(), problem.candidate_bits.end()))
            .arg(*std::max_element(problem.candidate_bits.begin(), problem.candidate_bits.end())));
    syncSliders();
    resolve();
}

void BudgetPanel::setSizeBudgetKb(double kb) {
    if (!problem_) return;
    {
        const QSignalBlocker block(size_spin_);
        size_spin_->setValue(kb);
    }
    size_bytes_ = std::clamp(kb, size_spin_->minimum(), size_spin_->maximum()) *
                  1024;  // not rounded to the spin's decimals
    syncSliders();
    resolve();
}

void BudgetPanel::setBopsBudgetM(double m) {
    if (!problem_) return;
    {
        const QSignalBlocker block(bops_spin_);
        bops_spin_->setValue(m);
    }
    bops_ = std::clamp(m, bops_spin_->minimum(), bops_spin_->maximum()) * 1e6;
    syncSliders();
    resolve();
}

void BudgetPanel::sizeSliderMoved(int value) {
    if (!problem_) return;
    size_bytes_ = fromSlider(value, range_.min_size_bytes, range_.max_size_bytes);
    const QSignalBlocker block(size_spin_);
    size_spin_->setValue(size_bytes_ / 1024);
    resolve();
}

void BudgetPanel::bopsSliderMoved(int value) {
    if (!problem_) return;
    bops_ = fromSlider(value, range_.min_bops, range_.max_bops);
    const QSignalBlocker block(bops_spin_);
    bops_spin_->setValue(bops_ / 1e6);
    resolve();
}

void BudgetPanel::syncSliders() {
    const QSignalBlocker a(size_slider_), b(bops_slider_);
    size_slider_->setValue(toSlider(size_bytes_, range_.min_size_bytes, range_.max_size_bytes));
    bops_slider_->setValue(toSlider(bops_, range_.min_bops, range_.max_bops));
}

void BudgetPanel::resolve() {
    if (!problem_) return;
    try {
        allocation_ = workflow::solveWithBudgets(*problem_, size_bytes_, bops_);
    } catch (const Error& e) {
        allocation_ = {};
        allocation_.message = e.what();
    }
    const bool ok = allocation_.status == quant::AllocationStatus::Optimal;
    live_label_->setStyleSheet(ok ? QString() : QString("color: #b00020;"));
    live_label_->setText(liveText());
    apply_->setEnabled(ok);
    Q_EMIT solved();
}

QString BudgetPanel::liveText() const {
    if (!problem_) return {};
    const auto& a = allocation_;
    if (a.status != quant::AllocationStatus::Optimal) {
        if (a.min_size_bytes > 0 || a.min_bops > 0)
            return tr("Infeasible budget: the smallest achievable is %1 KiB of weights and %2 M BOPS "
                      "(every free layer at its lowest width).")
                .arg(a.min_size_bytes / 1024, 0, 'f', 3)
                .arg(a.min_bops / 1e6, 0, 'f', 4);
        return tr("Infeasible budget: %1").arg(QString::fromStdString(a.message));
    }
    int low = 0;
    const int lowest = *std::min_element(problem_->candidate_bits.begin(), problem_->candidate_bits.end());
    for (const auto& [name, b] : a.bits) low += b == lowest;
    return tr("Live ILP re-solve (bits only — accuracy needs a re-run: Apply plan): Σ Ω = %1, weights %2 "
              "KiB, "
              "%3 M BOPS, %4 of %5 layers at %6 bits, solved in %7 ms.")
        .arg(a.objective, 0, 'e', 3)
        .arg(a.size_bytes / 1024, 0, 'f', 2)
        .arg(a.bops / 1e6, 0, 'f', 3)
        .arg(low)
        .arg(a.bits.size())
        .arg(lowest)
        .arg(a.solve_ms, 0, 'f', 1);
}

std::map<std::string, int> BudgetPanel::liveBits() const {
    return allocation_.status == quant::AllocationStatus::Optimal ? allocation_.bits
                                                                  : std::map<std::string, int>{};
}

}  // namespace tm2::gui
