#include "widgets/quantize/quantize_pane.h"

#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>
#include <QSplitter>
#include <QVBoxLayout>
#include <filesystem>

#include "core/base/error.h"
#include "core/base/json_file.h"
#include "core/quant/bit_allocation.h"
#include "core/model/model_spec.h"
#include "core/workflow/allocation_budgets.h"
#include "core/workflow/design_footprint.h"
#include "core/workflow/quantize_session.h"
#include "core/workflow/run_plans.h"
#include "widgets/common/message_banner.h"
#include "widgets/common/pane_help.h"
#include "widgets/common/run_picker.h"
#include "widgets/common/task_runner.h"
#include "widgets/common/target_fit_view.h"
#include "widgets/quantize/bit_assignment_table.h"
#include "widgets/quantize/budget_panel.h"
#include "widgets/quantize/mode_summary_table.h"
#include "widgets/quantize/pareto_chart.h"
#include "widgets/quantize/plan_table.h"
#include "widgets/quantize/sensitivity_chart.h"
#include "widgets/workbench.h"

namespace tm2::gui {

namespace {

QGroupBox* group(const QString& title, QWidget* parent) {
    auto* g = new QGroupBox(title, parent);
    new QVBoxLayout(g);
    return g;
}

QString modeLabel(const QString& mode) {
    return mode == "int8" ? "INT8" : mode == "int4" ? "INT4" : QObject::tr("mixed precision");
}

}  // namespace

QuantizePane::QuantizePane(Workbench& workbench, QWidget* parent) : Pane(workbench, parent) {
    setObjectName("quantizePane");
    setHelp(help::quantize());
    run_picker_ = new RunPicker(workbench, this);
    contentLayout()->addWidget(run_picker_);
    run_label_ = new QLabel(this);
    run_label_->setObjectName("quantizeRunLabel");
    run_label_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    contentLayout()->addWidget(run_label_);

    // Settings and the three mode buttons.
    auto* top = new QHBoxLayout;
    top->addWidget(makeSettingsBox());
    top->addLayout(makeModeButtons());
    summary_ = new ModeSummaryTable(this);
    auto* summary_box = group(tr("FP32 / INT8 / INT4 / MP (test split)"), this);
    summary_box->layout()->addWidget(summary_);
    summary_box->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Maximum);
    top->addWidget(summary_box, 1, Qt::AlignTop);
    contentLayout()->addLayout(top);

    // Left: budgets and bits; right: sensitivity and Pareto.
    auto* split = new QSplitter(Qt::Horizontal, this);
    auto* budget_box = group(tr("Mixed-precision budgets (live ILP re-solve)"), split);
    budget_ = new BudgetPanel(budget_box);
    bits_table_ = new BitAssignmentTable(budget_box);
    budget_box->layout()->addWidget(budget_);
    target_fit_ = new TargetFitView(workbench, budget_box);
    target_fit_->setObjectName("quantizeTargetFit");
    budget_box->layout()->addWidget(target_fit_);
    budget_box->layout()->addWidget(bits_table_);
    // Left, below the budgets: every plan of the run, side by side.
    auto* left = new QSplitter(Qt::Vertical, split);
    left->addWidget(budget_box);
    auto* plans_box = group(tr("Plans of this run (click one to use it)"), left);
    plan_table_ = new PlanTable(plans_box);
    plan_table_->setMinimumHeight(130);  // four plans without scrolling
    plans_box->layout()->addWidget(plan_table_);
    left->addWidget(plans_box);
    left->setStretchFactor(0, 3);
    left->setStretchFactor(1, 1);
    split->addWidget(left);
    auto* right = new QSplitter(Qt::Vertical, split);
    sensitivity_ = new SensitivityChart(right);
    right->addWidget(sensitivity_);
    right->addWidget(makeParetoBox(right));
    right->setStretchFactor(0, 3);
    right->setStretchFactor(1, 2);
    split->addWidget(right);
    split->setStretchFactor(0, 1);
    split->setStretchFactor(1, 1);
    contentLayout()->addWidget(split, 1);

    connect(pareto_button_, &QPushButton::clicked, this, [this] { runPareto(pareto_points_->value()); });
    connect(budget_, &BudgetPanel::solved, this, [this] {
        bits_table_->setLiveBits(budget_->liveBits());
        sensitivity_->setBits(budget_->liveBits(), tr("live sliders' plan"));
        updateTargetFit();
    });
    connect(budget_, &BudgetPanel::applyRequested, this, &QuantizePane::applyLivePlan);
    connect(plan_table_, &PlanTable::planChosen, this, &QuantizePane::choosePlan);
    connect(pareto_, &ParetoChart::pointChosen, this, &QuantizePane::showParetoPoint);
    connect(apply_point_button_, &QPushButton::clicked, this, &QuantizePane::applyParetoPoint);
    connect(&runner(), &TaskRunner::started, this, &QuantizePane::updateEnabled);
    connect(&runner(), &TaskRunner::finished, this, &QuantizePane::updateEnabled);
    connect(&workbench, &Workbench::runChanged, this, &QuantizePane::onRunChanged);
    onRunChanged(workbench.runDir());
}

QGroupBox* QuantizePane::makeSettingsBox() {
    auto* settings_box = new QGroupBox(tr("Settings"), this);
    auto* form = new QFormLayout(settings_box);
    calibration_ = new QComboBox(settings_box);
    calibration_->setObjectName("calibrationCombo");
    calibration_->addItems({"percentile", "minmax"});
    calibration_->setToolTip(tr("Activation range: 99.99th percentile or min/max of the calibration set"));
    probes_ = new QSpinBox(settings_box);
    probes_->setObjectName("hessianProbesSpin");
    probes_->setRange(1, 1024);
    probes_->setValue(32);
    probes_->setToolTip(
        tr("Hutchinson probes for Tr(H) per layer (stops early once every trace has a relative standard error "
           "below 15 %)"));
    qat_epochs_ = new QSpinBox(settings_box);
    qat_epochs_->setObjectName("qatEpochsSpin");
    qat_epochs_->setRange(0, 100);
    qat_epochs_->setSpecialValueText(tr("none"));
    qat_epochs_->setToolTip(tr("Quantization-aware fine-tuning epochs after calibration"));
    pin_head_ = new QCheckBox(tr("Keep fusion head and classifier at 8 bits"), settings_box);
    pin_head_->setObjectName("pinHeadCheck");
    allow_2bit_ = new QCheckBox(tr("Allow 2-bit weights (MP, Pareto)"), settings_box);
    allow_2bit_->setObjectName("allow2BitCheck");
    allow_2bit_->setToolTip(
        tr("Let the ILP choose among 2, 4 and 8 bits per layer instead of 4 and 8 (2-bit layers keep 4-bit "
           "activations; the runtime stores their weights four per byte)"));
    mp_size_kb_ = new QDoubleSpinBox(settings_box);
    mp_size_kb_->setObjectName("mpSizeKbSpin");
    mp_size_kb_->setRange(0, 1e6);
    mp_size_kb_->setDecimals(2);
    mp_size_kb_->setSpecialValueText(tr("none (α = 0.5)"));
    mp_size_kb_->setSuffix(" KiB");
    mp_bops_m_ = new QDoubleSpinBox(settings_box);
    mp_bops_m_->setObjectName("mpBopsSpin");
    mp_bops_m_->setRange(0, 1e6);
    mp_bops_m_->setDecimals(3);
    mp_bops_m_->setSpecialValueText(tr("none"));
    mp_bops_m_->setSuffix(" M");
    form->addRow(tr("Calibration"), calibration_);
    form->addRow(tr("Hessian probes"), probes_);
    form->addRow(tr("QAT epochs"), qat_epochs_);
    form->addRow(QString(), pin_head_);
    form->addRow(QString(), allow_2bit_);
    form->addRow(tr("MP weight budget"), mp_size_kb_);
    form->addRow(tr("MP BOPS budget"), mp_bops_m_);
    return settings_box;
}

QVBoxLayout* QuantizePane::makeModeButtons() {
    auto* buttons = new QVBoxLayout;
    int8_action_ = new QAction(tr("Quantize INT8"), this);
    int8_action_->setShortcut(QKeySequence("Ctrl+Shift+8"));
    int4_action_ = new QAction(tr("Quantize INT4"), this);
    int4_action_->setShortcut(QKeySequence("Ctrl+Shift+4"));
    mp_action_ = new QAction(tr("Mixed precision (Hessian + ILP)"), this);
    mp_action_->setShortcut(QKeySequence("Ctrl+Shift+M"));
    connect(int8_action_, &QAction::triggered, this, [this] { quantize("int8"); });
    connect(int4_action_, &QAction::triggered, this, [this] { quantize("int4"); });
    connect(mp_action_, &QAction::triggered, this, [this] { quantize("mp"); });
    int8_button_ = new QPushButton(tr("INT8"), this);
    int8_button_->setObjectName("int8Button");
    int4_button_ = new QPushButton(tr("INT4"), this);
    int4_button_->setObjectName("int4Button");
    mp_button_ = new QPushButton(tr("Mixed precision (MP)"), this);
    mp_button_->setObjectName("mpButton");
    for (auto [button, action] : {std::pair{int8_button_, int8_action_},
                                  std::pair{int4_button_, int4_action_}, std::pair{mp_button_, mp_action_}}) {
        button->setToolTip(action->text() + " (" + action->shortcut().toString(QKeySequence::NativeText) +
                           ")");
        connect(button, &QPushButton::clicked, action, &QAction::trigger);
        buttons->addWidget(button);
    }
    buttons->addStretch();
    return buttons;
}

QGroupBox* QuantizePane::makeParetoBox(QWidget* parent) {
    auto* pareto_box = group(tr("Pareto sweep"), parent);
    auto* pareto_row = new QHBoxLayout;
    pareto_points_ = new QSpinBox(pareto_box);
    pareto_points_->setObjectName("paretoPointsSpin");
    pareto_points_->setRange(2, 100);
    pareto_points_->setValue(8);
    pareto_button_ = new QPushButton(tr("Run Pareto sweep"), pareto_box);
    pareto_button_->setObjectName("paretoButton");
    pareto_row->addWidget(new QLabel(tr("Size budgets from all-INT4 to all-INT8:"), pareto_box));
    pareto_row->addWidget(pareto_points_);
    pareto_row->addWidget(pareto_button_);
    pareto_row->addStretch();
    static_cast<QVBoxLayout*>(pareto_box->layout())->addLayout(pareto_row);
    pareto_ = new ParetoChart(pareto_box);
    pareto_box->layout()->addWidget(pareto_);
    auto* point_row = new QHBoxLayout;
    pareto_point_label_ = new QLabel(tr("Click a point to see its bits and figures."), pareto_box);
    pareto_point_label_->setObjectName("paretoPointLabel");
    pareto_point_label_->setWordWrap(true);
    apply_point_button_ = new QPushButton(tr("Apply this point"), pareto_box);
    apply_point_button_->setObjectName("applyParetoPointButton");
    apply_point_button_->setToolTip(
        tr("Re-quantize with the point's bits and measure it (a plan of its own, quant-mp-pareto-N.json)"));
    point_row->addWidget(pareto_point_label_, 1);
    point_row->addWidget(apply_point_button_);
    static_cast<QVBoxLayout*>(pareto_box->layout())->addLayout(point_row);
    return pareto_box;
}


QList<QAction*> QuantizePane::mainActions() const { return {int8_action_, int4_action_, mp_action_}; }

void QuantizePane::saveSettings(QSettings& s) const {
    s.setValue("calibration", calibration_->currentText());
    s.setValue("hessianProbes", probes_->value());
    s.setValue("qatEpochs", qat_epochs_->value());
    s.setValue("pinHead", pin_head_->isChecked());
    s.setValue("allow2Bit", allow_2bit_->isChecked());
    s.setValue("mpSizeKb", mp_size_kb_->value());
    s.setValue("mpBopsM", mp_bops_m_->value());
    s.setValue("paretoPoints", pareto_points_->value());
}

void QuantizePane::restoreSettings(QSettings& s) {
    calibration_->setCurrentText(s.value("calibration", calibration_->currentText()).toString());
    probes_->setValue(s.value("hessianProbes", probes_->value()).toInt());
    qat_epochs_->setValue(s.value("qatEpochs", qat_epochs_->value()).toInt());
    pin_head_->setChecked(s.value("pinHead", pin_head_->isChecked()).toBool());
    allow_2bit_->setChecked(s.value("allow2Bit", allow_2bit_->isChecked()).toBool());
    mp_size_kb_->setValue(s.value("mpSizeKb", mp_size_kb_->value()).toDouble());
    mp_bops_m_->setValue(s.value("mpBopsM", mp_bops_m_->value()).toDouble());
    pareto_points_->setValue(s.value("paretoPoints", pareto_points_->value()).toInt());
}

workflow::QuantSettings QuantizePane::settings() const {
    workflow::QuantSettings s;
    s.calibration = calibration_->currentText().toStdString();
    s.hessian_probes = probes_->value();
    s.qat_epochs = qat_epochs_->value();
    s.pin_head = pin_head_->isChecked();
    if (allow_2bit_->isChecked()) s.bits = {2, 4, 8};
    s.size_kb = mp_size_kb_->value();
    s.bops_m = mp_bops_m_->value();
    s.threads = workbench().threads();
    s.workspace = workbench().workspace().toStdString();
    return s;
}

void QuantizePane::onRunChanged(const QString& dir) {
    results_.clear();
    pareto_result_ = nullptr;
    summary_->clearResults();
    sensitivity_->clear();
    bits_table_->setLayers(nlohmann::json::array());
    budget_->clearProblem();
    pareto_->clear();
    pareto_point_label_->setText(tr("Click a point to see its bits and figures."));
    run_label_->setText(dir.isEmpty() ? tr("No trained run yet: train one in the Train pane.")
                                      : tr("Folder: %1").arg(QDir::toNativeSeparators(dir)));
    run_spec_.reset();
    if (!dir.isEmpty()) {
        try {
            run_spec_ = model::readModelSpec(QDir(dir).filePath("spec.json").toStdString());
        } catch (const std::exception&) {
            // An unfinished run folder: no footprint until it has its spec.
        }
        showSavedResults(dir);
    }
    refreshPlans();
    updateTargetFit();
    updateEnabled();
}

void QuantizePane::showSavedResults(const QString& dir) {
    // The plans quantize wrote into the run folder are its results (RUN/quant-MODE.json);
    // MP last, so its traces and ILP are what the charts and sliders show.
    QStringList shown;
    for (const QString mode : {"int8", "int4", "mp"}) {
        const QString path = QDir(dir).filePath("quant-" + mode + ".json");
        if (!QFileInfo::exists(path)) continue;
        try {
            showResult(mode, readJsonFile(path.toStdString()));
            shown << modeLabel(mode);
        } catch (const std::exception& e) {
            showError(tr("Saved result not shown: %1").arg(QString::fromUtf8(e.what())));
            return;
        }
    }
    const QString pareto = QDir(dir).filePath("pareto.json");
    if (QFileInfo::exists(pareto)) {
        try {
            pareto_result_ = readJsonFile(pareto.toStdString());
            pareto_->setSweep(pareto_result_);
            shown << tr("Pareto sweep");
        } catch (const std::exception& e) {
            pareto_result_ = nullptr;
            showError(tr("Saved Pareto sweep not shown: %1").arg(QString::fromUtf8(e.what())));
            return;
        }
    }
    if (!shown.isEmpty())
        banner()->showInfo(tr("Read back from the run folder: %1.").arg(shown.join(", ")));
}

void QuantizePane::updateEnabled() {
    const bool can = !workbench().runDir().isEmpty() && !runner().isRunning();
    for (QWidget* w : std::initializer_list<QWidget*>{int8_button_, int4_button_, mp_button_, pareto_button_})
        w->setEnabled(can);
    for (QAction* a : {int8_action_, int4_action_, mp_action_}) a->setEnabled(can);
    budget_->applyButton()->setEnabled(can && !budget_->liveBits().empty());
    apply_point_button_->setEnabled(can && pareto_->chosenPoint().has_value());
}

bool QuantizePane::ready(const QString& what) {
    if (workbench().runDir().isEmpty()) {
        showError(tr("%1: no trained run yet (train one in the Train pane first).").arg(what));
        return false;
    }
    // Refused (this pane's or another LibTorch pane's job runs): the banner says why.
    if (!runner().mayStart()) return false;
    return true;
}

void QuantizePane::quantize(const QString& mode) {
    if (mode != "int8" && mode != "int4" && mode != "mp") {
        showError(tr("Unknown quantization mode '%1' (int8, int4 or mp).").arg(mode));
        return;
    }
    if (!ready(tr("Quantize %1").arg(modeLabel(mode)))) return;
    workflow::QuantSettings s = settings();
    s.mode = mode.toStdString();
    const std::string run = workbench().runDir().toStdString();
    runner().run(
        tr("Quantizing %1").arg(modeLabel(mode)),
        [run, s](const TaskContext& c) { return workflow::quantizeAndRecord(run, s, "", c.progress).result; },
        [this, mode](const nlohmann::json& result) { showQuantized(mode, result); });
}

void QuantizePane::applyLivePlan() {
    const auto bits = budget_->liveBits();
    if (bits.empty()) {
        showError(
            tr("Apply plan: the live budget is infeasible; move the sliders to a feasible budget first."));
        return;
    }
    applyBits(bits, "quant-mp-live-", tr("Apply plan"), tr("Live plan"));
}

void QuantizePane::applyParetoPoint() {
    const auto chosen = pareto_->chosenPoint();
    if (!chosen) {
        showError(tr("Apply this point: click a point of the Pareto sweep first."));
        return;
    }
    applyBits(pareto_->point(*chosen).value("bits", std::map<std::string, int>{}), "quant-mp-pareto-",
              tr("Apply this point"), tr("Pareto point %1").arg(*chosen + 1));
}

void QuantizePane::applyBits(const std::map<std::string, int>& bits, const std::string& prefix,
                             const QString& what, const QString& applied) {
    if (!ready(what)) return;
    workflow::QuantSettings s = settings();
    s.mode = "mp";
    const std::filesystem::path run(workbench().runDir().toStdString());
    s.plan = (run / "quant-mp-live-bits.json").string();
    // A plan of its own, never the run's quant-mp.json: RUN/PREFIX-N.json (and .pt).
    int n = 1;
    while (std::filesystem::exists(run / (prefix + std::to_string(n) + ".json"))) ++n;
    const std::string plan_out = (run / (prefix + std::to_string(n) + ".json")).string();
    runner().run(
        tr("Re-quantizing with the chosen bits (%1)").arg(what),
        [run, s, bits, plan_out, source = what.toStdString(), applied = applied.toStdString()](const TaskContext& c) {
            workflow::writeBitsPlan(s.plan, bits, "workbench: " + source);
            nlohmann::json result = workflow::quantizeAndRecord(run.string(), s, plan_out, c.progress).result;
            result["applied_live_plan"] = true;
            result["applied_label"] = applied;  // "Live plan", "Pareto point 3": the banner says which
            return result;
        },
        [this](const nlohmann::json& result) { showQuantized("mp", result); });
}

void QuantizePane::showParetoPoint(int index) {
    const nlohmann::json& p = pareto_->point(index);
    const auto bits = p.value("bits", std::map<std::string, int>{});
    const QString name = tr("Pareto point %1").arg(index + 1);
    bits_table_->setRunBits(bits, name);
    sensitivity_->setBits(bits, name);
    pareto_point_label_->setText(
        tr("%1: %2 KiB, BOPS %3 M, Σ Ω %4, validation %5, test accuracy %6 %")
            .arg(name)
            .arg(p.value("model_bytes", 0.0) / 1024, 0, 'f', 2)
            .arg(p.value("bops", 0.0) / 1e6, 0, 'f', 3)
            .arg(p.value("objective", 0.0), 0, 'e', 2)
            .arg(p.contains("val_accuracy") ? QString::number(100 * p["val_accuracy"].get<double>(), 'f', 1) + " %"
                                            : tr("n/a"))
            .arg(100 * p.value("test_accuracy", 0.0), 0, 'f', 1));
    updateEnabled();
}

void QuantizePane::runPareto(int points) {
    if (!ready(tr("Pareto sweep"))) return;
    if (points < 2) {
        showError(tr("Pareto sweep: at least 2 points (got %1).").arg(points));
        return;
    }
    pareto_points_->setValue(points);
    workflow::QuantSettings s = settings();
    s.mode = "mp";
    const std::string run = workbench().runDir().toStdString();
    runner().run(
        tr("Pareto sweep (%1 budgets)").arg(points),
        [run, s, points](const TaskContext& c) { return workflow::paretoAndSave(run, s, points, c.progress); },
        [this](const nlohmann::json& sweep) { showPareto(sweep); });
}

void QuantizePane::showQuantized(const QString& mode, const nlohmann::json& result) {
    showResult(mode, result);
    refreshPlans();
}

void QuantizePane::showPareto(const nlohmann::json& j) {
    pareto_result_ = j;
    pareto_->setSweep(j);
    pareto_point_label_->setText(tr("Click a point to see its bits and figures."));
    banner()->showInfo(
        tr("Pareto sweep: %1 feasible plans; saved to %2. %3")
            .arg(pareto_->pointCount())
            .arg(QString::fromStdString(j.value("run", "")) + "/pareto.json")
            .arg(j.value("/hessian/reused"_json_pointer, false)
                     ? tr("Hessian traces reused from the MP run (%1 s of probing saved).")
                           .arg(j["hessian"].value("seconds_saved", 0.0), 0, 'f', 1)
                     : tr("Hessian traces estimated: %1.")
                           .arg(QString::fromStdString(
                               j.value("/hessian/reason"_json_pointer, std::string("no saved MP run"))))));
}

void QuantizePane::showResult(const QString& mode, const nlohmann::json& j) {
    results_[mode] = j;
    summary_->setResult(mode, j);
    const QString plan = QString::fromStdString(j.value("plan", ""));
    // A fresh mixed-precision run brings traces and its ILP; an applied plan keeps them.
    if (mode == "mp" && j.contains("ilp_problem")) {
        try {
            budget_->setProblem(quant::problemFromJson(j["ilp_problem"]));
        } catch (const Error& e) {
            showError(tr("Mixed precision: cannot read the ILP of the result: %1").arg(e.what()));
        }
        sensitivity_->setLayers(j["layers"], j.value("pinned", std::map<std::string, int>{}));
        bits_table_->setLayers(j["layers"]);
        bits_table_->setLiveBits(budget_->liveBits());
    } else if (mode == "mp" && budget_->hasProblem()) {
        bits_table_->setRunBits(j.value("bits", std::map<std::string, int>{}));
        sensitivity_->setBits(j.value("bits", std::map<std::string, int>{}),
                              tr("applied plan %1").arg(QFileInfo(plan).fileName()));
    } else if (!budget_->hasProblem()) {
        bits_table_->setLayers(j.value("layers", nlohmann::json::array()));
    }
    if (!plan.isEmpty()) workbench().setPlan(mode, plan);
    banner()->showInfo(
        tr("%1: test accuracy %2 % (integer-exact %3 %, FP32 %4 %), plan %5")
            .arg(j.value("applied_live_plan", false)
                     ? tr("%1 applied").arg(QString::fromStdString(j.value("applied_label", std::string("Plan"))))
                     : modeLabel(mode))
            .arg(100 * j.value("accuracy", 0.0), 0, 'f', 1)
            .arg(j.contains("integer_accuracy") ? QString::number(100 * j["integer_accuracy"].get<double>(), 'f', 1)
                                                : tr("n/a"))
            .arg(100 * j.value("fp32_accuracy", 0.0), 0, 'f', 1)
            .arg(plan));
    updateEnabled();
}

nlohmann::json QuantizePane::result(const QString& mode) const {
    const auto it = results_.find(mode);
    return it == results_.end() ? nlohmann::json() : it->second;
}

void QuantizePane::setSizeBudgetKb(double kb) { budget_->setSizeBudgetKb(kb); }

void QuantizePane::updateTargetFit() {
    if (!run_spec_) return target_fit_->clearFootprint(tr("no trained run"));
    try {
        const auto& a = budget_->allocation();
        if (budget_->hasProblem() && a.status == quant::AllocationStatus::Optimal)
            target_fit_->setFootprint(workflow::planFootprint(*run_spec_, static_cast<std::int64_t>(a.size_bytes),
                                                              "at the sliders' budgets"));
        else
            target_fit_->setFootprint(workflow::designFootprint(*run_spec_));
    } catch (const std::exception& e) {
        target_fit_->clearFootprint(QString::fromUtf8(e.what()));
    }
}

std::map<std::string, int> QuantizePane::liveBits() const { return budget_->liveBits(); }

void QuantizePane::refreshPlans() {
    const QString dir = workbench().runDir();
    if (dir.isEmpty()) return plan_table_->setPlans({}, {});
    const workflow::RunPlans listed = workflow::listRunPlans(dir.toStdString());
    QStringList in_use;
    for (const auto& [mode, path] : workbench().plans()) in_use << path;
    plan_table_->setPlans(listed.plans, in_use);
    if (!listed.problems.empty()) {
        QStringList problems;
        for (const auto& p : listed.problems) problems << QString::fromStdString(p);
        showError(tr("Plans of the run: %1").arg(problems.join("; ")));
    }
}

void QuantizePane::choosePlan(const workflow::RunPlan& chosen) {
    const workflow::RunPlan plan = chosen;  // a copy: refreshPlans below replaces the table's rows
    const QString name = QString::fromStdString(plan.name);
    bits_table_->setRunBits(plan.bits, name);
    sensitivity_->setBits(plan.bits, tr("plan %1").arg(name));
    const QString mode = QString::fromStdString(plan.mode);
    workbench().setPlan(mode, QString::fromStdString(plan.path));
    refreshPlans();  // the bold row follows
    plan_table_->blockSignals(true);
    plan_table_->choose(name);
    plan_table_->blockSignals(false);
    banner()->showInfo(tr("Plan %1 (test accuracy %2 %, %3 KiB) is the %4 plan Benchmark and export use.")
                           .arg(name)
                           .arg(100 * plan.accuracy, 0, 'f', 1)
                           .arg(plan.model_bytes / 1024, 0, 'f', 2)
                           .arg(modeLabel(mode)));
}

}  // namespace tm2::gui
