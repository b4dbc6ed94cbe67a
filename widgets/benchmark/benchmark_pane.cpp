#include "widgets/benchmark/benchmark_pane.h"

#include <QAction>
#include <QComboBox>
#include <QCoreApplication>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QSplitter>
#include <QVBoxLayout>
#include <filesystem>
#include <optional>

#include "core/base/error.h"
#include "core/device/device_estimate.h"
#include "core/device/power_log.h"
#include "core/export/mcu/mcu_export.h"
#include "core/runtime/model_format.h"
#include "core/workflow/device_deploy.h"
#include "core/runtime/op_cost.h"
#include "core/workflow/design_footprint.h"
#include "core/workflow/local_benchmark.h"
#include "core/workflow/model_export.h"
#include "core/workflow/onnx_export.h"
#include "widgets/benchmark/latency_histogram_chart.h"
#include "widgets/benchmark/parity_table.h"
#include "widgets/benchmark/power_trace_chart.h"
#include "widgets/common/message_banner.h"
#include "widgets/common/pane_help.h"
#include "widgets/common/run_picker.h"
#include "widgets/common/target_fit_view.h"
#include "widgets/common/task_runner.h"
#include "widgets/workbench.h"

namespace tm2::gui {

namespace {

QString kib(double bytes) { return QString::number(bytes / 1024.0, 'f', 1) + " KiB"; }

QString us(const nlohmann::json& stats, const char* key) {
    return QString::number(stats.value(key, 0.0), 'f', 1) + " µs";
}

}  // namespace

BenchmarkPane::BenchmarkPane(Workbench& workbench, QWidget* parent) : Pane(workbench, parent) {
    setObjectName("benchmarkPane");
    setHelp(help::benchmark());

    // The run whose network is exported and checked; then the model: the exported .tmn.
    run_picker_ = new RunPicker(workbench, this);
    contentLayout()->addWidget(run_picker_);
    contentLayout()->addWidget(makeModelBox());
    mcu_summary_ = new QLabel(this);
    mcu_summary_->setObjectName("mcuSummaryLabel");
    mcu_summary_->setWordWrap(true);
    mcu_summary_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    mcu_summary_->hide();
    contentLayout()->addWidget(mcu_summary_);
    target_fit_ = new TargetFitView(workbench, this);
    target_fit_->setObjectName("benchmarkTargetFit");
    contentLayout()->addWidget(target_fit_);

    // This machine: the network's latency histogram and the audio path's front-end vs
    // network side by side, the first thing below the model (both in view at 1280×720).
    auto* split = new QSplitter(Qt::Horizontal, this);
    split->setObjectName("thisMachineSplit");
    split->setChildrenCollapsible(false);
    split->addWidget(makeLocalBox(split));
    split->addWidget(makeEndToEndBox());
    split->setStretchFactor(0, 5);  // the histogram's legend is the wider
    split->setStretchFactor(1, 4);

    // Raspberry Pi over SSH, beside the parity check.
    auto* device_split = new QSplitter(Qt::Horizontal, this);
    device_split->setChildrenCollapsible(false);
    device_split->addWidget(makeDeviceBox(device_split));
    device_split->addWidget(makeParityBox(device_split));
    device_split->setStretchFactor(0, 2);
    device_split->setStretchFactor(1, 3);

    auto* vertical = new QSplitter(Qt::Vertical, this);
    vertical->addWidget(split);
    vertical->addWidget(device_split);
    vertical->addWidget(makePowerBox());
    vertical->setStretchFactor(0, 2);
    vertical->setStretchFactor(1, 2);
    vertical->setStretchFactor(2, 1);
    contentLayout()->addWidget(vertical, 1);

    connect(&runner(), &TaskRunner::started, this, &BenchmarkPane::updateEnabled);
    connect(&runner(), &TaskRunner::finished, this, &BenchmarkPane::updateEnabled);
    connect(&workbench, &Workbench::modelChanged, this, &BenchmarkPane::onModelChanged);
    connect(&workbench, &Workbench::runChanged, this, &BenchmarkPane::updateEnabled);
    onModelChanged(workbench.modelPath());
}

QGroupBox* BenchmarkPane::makeModelBox() {
    auto* model_box = new QGroupBox(tr("Model"), this);
    auto* model_row = new QHBoxLayout(model_box);
    model_label_ = new QLabel(model_box);
    model_label_->setObjectName("benchmarkModelLabel");
    model_label_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    plan_ = new QComboBox(model_box);
    plan_->setObjectName("exportPlanCombo");
    plan_->addItem("INT8", "int8");
    plan_->addItem("INT4", "int4");
    plan_->addItem(tr("Mixed precision (MP plan)"), "mp");
    export_action_ = new QAction(tr("Export model"), this);
    export_action_->setShortcut(QKeySequence("Ctrl+Shift+X"));
    connect(export_action_, &QAction::triggered, this,
            [this] { exportModel(plan_->currentData().toString()); });
    export_button_ = new QPushButton(tr("Export model"), model_box);
    export_button_->setObjectName("exportModelButton");
    connect(export_button_, &QPushButton::clicked, export_action_, &QAction::trigger);
    model_row->addWidget(model_label_, 1);
    model_row->addWidget(new QLabel(tr("Plan:"), model_box));
    model_row->addWidget(plan_);
    model_row->addWidget(export_button_);
    onnx_action_ = new QAction(tr("Export ONNX"), this);
    onnx_action_->setToolTip(
        tr("Write the same quantized network as ONNX (QDQ, opset 13) beside the run: "
           "model-PLAN.onnx, for Netron and other runtimes (docs/onnx-export.md)"));
    connect(onnx_action_, &QAction::triggered, this, [this] { exportOnnx(plan_->currentData().toString()); });
    onnx_button_ = new QPushButton(tr("Export ONNX"), model_box);
    onnx_button_->setObjectName("exportOnnxButton");
    onnx_button_->setToolTip(onnx_action_->toolTip());
    connect(onnx_button_, &QPushButton::clicked, onnx_action_, &QAction::trigger);
    model_row->addWidget(onnx_button_);
    parity_action_ = new QAction(tr("Check parity with the network"), this);
    parity_action_->setShortcut(QKeySequence("Ctrl+Shift+Y"));
    parity_action_->setToolTip(tr("Run the exported model on the test split and compare it, layer by layer, "
                                  "with the run's network (integer-exact and float fake-quant)"));
    connect(parity_action_, &QAction::triggered, this, &BenchmarkPane::checkParity);
    parity_button_ = new QPushButton(tr("Check parity"), model_box);
    parity_button_->setObjectName("checkParityButton");
    parity_button_->setToolTip(parity_action_->toolTip());
    connect(parity_button_, &QPushButton::clicked, parity_action_, &QAction::trigger);
    model_row->addWidget(parity_button_);
    mcu_action_ = new QAction(tr("Export for a microcontroller…"), this);
    mcu_action_->setShortcut(QKeySequence("Ctrl+Shift+U"));
    mcu_action_->setToolTip(tr("Write a folder that builds on its own: the model as a C array, the runtime's "
                               "sources, an example main, Makefile and CMake file, footprint.json"));
    connect(mcu_action_, &QAction::triggered, this, [this] {
        const QFileInfo model(this->workbench().modelPath());
        const QString suggested = model.dir().filePath("mcu-" + model.completeBaseName());
        // A new folder by name (the export creates it): an "existing directory" dialog refused
        // the very name it proposed with "Directory not found".
        const QString dir = QFileDialog::getSaveFileName(this, tr("Microcontroller project folder (created)"),
                                                         suggested, tr("Folder (*)"), nullptr,
                                                         QFileDialog::DontConfirmOverwrite);
        if (!dir.isEmpty()) exportForMicrocontroller(dir);
    });
    mcu_button_ = new QPushButton(tr("Export for MCU…"), model_box);
    mcu_button_->setObjectName("exportMcuButton");
    mcu_button_->setToolTip(mcu_action_->toolTip());
    connect(mcu_button_, &QPushButton::clicked, mcu_action_, &QAction::trigger);
    model_row->addWidget(mcu_button_);
    return model_box;
}

QGroupBox* BenchmarkPane::makeLocalBox(QWidget* parent) {
    auto* local_box = new QGroupBox(tr("This machine (in-process, integer runtime)"), parent);
    auto* local = new QVBoxLayout(local_box);
    auto* local_row = new QHBoxLayout;
    runs_ = new QSpinBox(local_box);
    runs_->setObjectName("benchmarkRunsSpin");
    runs_->setRange(1, 1000000);
    runs_->setValue(500);
    warmup_ = new QSpinBox(local_box);
    warmup_->setObjectName("benchmarkWarmupSpin");
    warmup_->setRange(0, 100000);
    warmup_->setValue(50);
    local_action_ = new QAction(tr("Run benchmark on this machine"), this);
    local_action_->setShortcut(QKeySequence("Ctrl+Shift+B"));
    connect(local_action_, &QAction::triggered, this, [this] { runLocalBenchmark(runs_->value()); });
    local_button_ = new QPushButton(tr("Run"), local_box);
    local_button_->setObjectName("localBenchmarkButton");
    connect(local_button_, &QPushButton::clicked, local_action_, &QAction::trigger);
    local_row->addWidget(new QLabel(tr("Runs"), local_box));
    local_row->addWidget(runs_);
    local_row->addWidget(new QLabel(tr("Warm-up"), local_box));
    local_row->addWidget(warmup_);
    local_row->addWidget(local_button_);
    local_row->addStretch();
    local->addLayout(local_row);
    local_stats_ = new QLabel(tr("Not measured yet."), local_box);
    local_stats_->setObjectName("localStatsLabel");
    local_stats_->setWordWrap(true);
    local_stats_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    local->addWidget(local_stats_);
    histogram_ = new LatencyHistogramChart(local_box);
    local->addWidget(histogram_, 1);
    return local_box;
}

QGroupBox* BenchmarkPane::makeDeviceBox(QWidget* parent) {
    auto* device_box = new QGroupBox(tr("Raspberry Pi over SSH"), parent);
    auto* device = new QVBoxLayout(device_box);
    auto* form = new QFormLayout;
    host_ = new QLineEdit(device_box);
    host_->setObjectName("deviceHostEdit");
    host_->setPlaceholderText("pi@raspberrypi.local");
    port_ = new QSpinBox(device_box);
    port_->setObjectName("devicePortSpin");
    port_->setRange(0, 65535);
    port_->setSpecialValueText(tr("default (22)"));
    identity_ = new QLineEdit(device_box);
    identity_->setObjectName("deviceIdentityEdit");
    identity_->setPlaceholderText(tr("private key (empty: agent / default keys)"));
    known_hosts_ = new QLineEdit(device_box);
    known_hosts_->setObjectName("deviceKnownHostsEdit");
    known_hosts_->setPlaceholderText(tr("known_hosts (empty: ~/.ssh/known_hosts)"));
    bench_ = new QLineEdit(device_box);
    bench_->setObjectName("deviceBenchEdit");
    bench_->setPlaceholderText(tr("tinym2net-bench built for the device (scripts/cross-aarch64.sh)"));
    form->addRow(tr("Host"), host_);
    form->addRow(tr("Port"), port_);
    form->addRow(tr("Identity"), identity_);
    form->addRow(tr("known_hosts"), known_hosts_);
    form->addRow(tr("Bench binary"), bench_);
    device->addLayout(form);
    device_action_ = new QAction(tr("Run benchmark on the device"), this);
    device_action_->setShortcut(QKeySequence("Ctrl+Shift+R"));  // R for Raspberry Pi; Ctrl+Shift+D makes a demo dataset
    connect(device_action_, &QAction::triggered, this, &BenchmarkPane::runOnDevice);
    device_button_ = new QPushButton(tr("Run on device"), device_box);
    device_button_->setObjectName("deviceBenchmarkButton");
    connect(device_button_, &QPushButton::clicked, device_action_, &QAction::trigger);
    device->addWidget(device_button_);
    device_summary_ = new QLabel(tr("No device measured."), device_box);
    device_summary_->setObjectName("deviceSummaryLabel");
    device_summary_->setWordWrap(true);
    device->addWidget(device_summary_);
    estimate_label_ = new QLabel(device_box);
    estimate_label_->setObjectName("estimateLabel");
    estimate_label_->setWordWrap(true);
    estimate_label_->setStyleSheet("color: #6a4c00; background: #fff6d5; padding: 4px;");
    device->addWidget(estimate_label_);
    device_json_ = new QPlainTextEdit(device_box);
    device_json_->setObjectName("deviceJsonView");
    device_json_->setReadOnly(true);
    device_json_->setPlaceholderText(tr("The device's bench JSON appears here."));
    device_json_->setMinimumHeight(60);
    device->addWidget(device_json_, 1);
    return device_box;
}

QGroupBox* BenchmarkPane::makePowerBox() {
    auto* power_box = new QGroupBox(tr("Power (USB power-meter log)"), this);
    auto* power = new QVBoxLayout(power_box);
    auto* power_row = new QHBoxLayout;
    power_action_ = new QAction(tr("Import power log…"), this);
    power_action_->setShortcut(QKeySequence("Ctrl+Shift+P"));
    connect(power_action_, &QAction::triggered, this, [this] {
        const QString file = QFileDialog::getOpenFileName(this, tr("Power-meter log"), QString(),
                                                          tr("CSV logs (*.csv *.txt);;All files (*)"));
        if (!file.isEmpty()) importPowerLog(file);
    });
    power_button_ = new QPushButton(tr("Import power log…"), power_box);
    power_button_->setObjectName("importPowerButton");
    connect(power_button_, &QPushButton::clicked, power_action_, &QAction::trigger);
    inferences_ = new QDoubleSpinBox(power_box);
    inferences_->setObjectName("powerInferencesSpin");
    inferences_->setRange(0, 1e12);
    inferences_->setDecimals(0);
    inferences_->setSpecialValueText(tr("unknown"));
    rate_ = new QDoubleSpinBox(power_box);
    rate_->setObjectName("powerRateSpin");
    rate_->setRange(0, 1e6);
    rate_->setDecimals(2);
    rate_->setSuffix(" Hz");
    rate_->setSpecialValueText(tr("unknown"));
    power_row->addWidget(power_button_);
    power_row->addWidget(new QLabel(tr("Inferences in the log"), power_box));
    power_row->addWidget(inferences_);
    power_row->addWidget(new QLabel(tr("or rate while busy"), power_box));
    power_row->addWidget(rate_);
    power_row->addStretch();
    power->addLayout(power_row);
    power_summary_ = new QLabel(power_box);
    power_summary_->setObjectName("powerSummaryLabel");
    power_summary_->setWordWrap(true);
    power_summary_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    power->addWidget(power_summary_);
    power_chart_ = new PowerTraceChart(power_box);
    power->addWidget(power_chart_, 1);
    return power_box;
}

QGroupBox* BenchmarkPane::makeParityBox(QWidget* parent) {
    auto* parity_box = new QGroupBox(tr("Parity with the network (test split)"), parent);
    auto* parity = new QVBoxLayout(parity_box);
    parity_summary_ = new QLabel(tr("Not checked yet."), parity_box);
    parity_summary_->setObjectName("paritySummaryLabel");
    parity_summary_->setWordWrap(true);
    parity_summary_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    parity->addWidget(parity_summary_);
    parity_table_ = new ParityTable(parity_box);
    parity_table_->setMinimumHeight(150);
    parity->addWidget(parity_table_, 1);
    return parity_box;
}


QList<QAction*> BenchmarkPane::mainActions() const {
    return {export_action_, parity_action_, mcu_action_, local_action_, device_action_, power_action_};
}

void BenchmarkPane::saveSettings(QSettings& s) const {
    s.setValue("runs", runs_->value());
    s.setValue("warmup", warmup_->value());
    s.setValue("plan", plan_->currentData());
    s.setValue("host", host_->text());
    s.setValue("port", port_->value());
    s.setValue("identity", identity_->text());
    s.setValue("knownHosts", known_hosts_->text());
    s.setValue("bench", bench_->text());
    s.setValue("endToEndAudio", e2e_audio_->text());
}

void BenchmarkPane::restoreSettings(QSettings& s) {
    runs_->setValue(s.value("runs", runs_->value()).toInt());
    warmup_->setValue(s.value("warmup", warmup_->value()).toInt());
    const int plan = plan_->findData(s.value("plan", "int8"));
    if (plan >= 0) plan_->setCurrentIndex(plan);
    host_->setText(s.value("host").toString());
    port_->setValue(s.value("port", 0).toInt());
    identity_->setText(s.value("identity").toString());
    known_hosts_->setText(s.value("knownHosts").toString());
    bench_->setText(s.value("bench").toString());
    e2e_audio_->setText(s.value("endToEndAudio").toString());
}

void BenchmarkPane::updateEnabled() {
    const bool idle = !runner().isRunning();
    const bool has_model = !workbench().modelPath().isEmpty();
    export_button_->setEnabled(idle && !workbench().runDir().isEmpty());
    export_action_->setEnabled(export_button_->isEnabled());
    onnx_button_->setEnabled(export_button_->isEnabled());
    onnx_action_->setEnabled(export_button_->isEnabled());
    parity_button_->setEnabled(idle && has_model && !workbench().runDir().isEmpty());
    parity_action_->setEnabled(parity_button_->isEnabled());
    mcu_button_->setEnabled(idle && has_model);
    mcu_action_->setEnabled(mcu_button_->isEnabled());
    local_button_->setEnabled(idle && has_model);
    local_action_->setEnabled(local_button_->isEnabled());
    e2e_button_->setEnabled(idle && has_model);
    e2e_action_->setEnabled(e2e_button_->isEnabled());
    device_button_->setEnabled(idle && has_model);
    device_action_->setEnabled(device_button_->isEnabled());
}

bool BenchmarkPane::ready() {
    // Refused (this pane's or another LibTorch pane's job runs): the banner says why.
    return runner().mayStart();
}

void BenchmarkPane::onModelChanged(const QString& path) {
    last_benchmark_ = nullptr;
    device_result_ = nullptr;
    parity_ = nullptr;
    mcu_export_ = nullptr;
    mcu_summary_->hide();
    parity_table_->clearEvaluation();
    parity_summary_->setText(tr("Not checked yet."));
    histogram_->clear();
    local_stats_->setText(tr("Not measured yet."));
    clearEndToEnd();
    device_summary_->setText(tr("No device measured."));
    device_json_->clear();
    if (path.isEmpty()) {
        model_label_->setText(tr("No model yet: export one from the trained run."));
        estimate_label_->clear();
        target_fit_->clearFootprint(tr("no exported model"));
    } else {
        model_label_->setText(tr("Model: %1").arg(QDir::toNativeSeparators(path)));
        // Reading a .tmn is quick (tens of KiB): its MACs give the estimate at once.
        try {
            const runtime::Model model = runtime::readModel(path.toStdString());
            updateEstimate(runtime::modelMacs(model), model.ops.size());
            updateTargetFit();
        } catch (const Error& e) {
            estimate_label_->clear();
            showError(tr("Model %1: %2").arg(path, e.what()));
        }
    }
    updateEnabled();
}

void BenchmarkPane::updateEstimate(std::uint64_t macs, std::size_t ops) {
    if (!device_result_.is_null()) {  // a measurement replaces the estimate
        estimate_label_->hide();
        return;
    }
    const device::LatencyEstimate e = device::estimateLatency(macs, ops, device::raspberryPi4Throughput());
    estimate_label_->setText(tr("Raspberry Pi 4 — estimate, not measured: %1 ms per inference "
                                "(%2 MMACs, %3 ops; basis: %4)")
                                 .arg(e.latency_us / 1000.0, 0, 'f', 3)
                                 .arg(static_cast<double>(macs) / 1e6, 0, 'f', 3)
                                 .arg(ops)
                                 .arg(QString::fromStdString(e.throughput.basis)));
    estimate_label_->show();
}

QString BenchmarkPane::estimateText() const {
    return estimate_label_->isHidden() ? QString() : estimate_label_->text();
}

bool BenchmarkPane::exportRequestFor(const QString& mode, const QString& what, const std::string& extension,
                                     workflow::ExportRequest& r) {
    const QString run = workbench().runDir();
    if (run.isEmpty()) {
        showError(tr("%1: no trained run yet (train one in the Train pane first).").arg(what));
        return false;
    }
    if (mode != "int8" && mode != "int4" && mode != "mp") {
        showError(tr("%1: unknown plan '%2' (int8, int4 or mp).").arg(what, mode));
        return false;
    }
    if (const int shown = plan_->findData(mode); shown >= 0)
        plan_->setCurrentIndex(shown);  // the plan being exported
    r.run_dir = run.toStdString();
    r.threads = workbench().threads();
    const auto plan = workbench().plans().find(mode);
    if (plan != workbench().plans().end()) {
        r.plan = plan->second.toStdString();
    } else if (mode == "mp") {
        showError(tr("%1: no mixed-precision plan yet (run MP in the Quantize pane first).").arg(what));
        return false;
    } else {
        r.mode = mode.toStdString();
    }
    r.out = (std::filesystem::path(r.run_dir) / ("model-" + mode.toStdString() + extension)).string();
    return true;
}

void BenchmarkPane::exportOnnx(const QString& mode) {
    if (!ready()) return;
    workflow::OnnxExportRequest r;
    if (!exportRequestFor(mode, tr("Export ONNX"), ".onnx", r.source)) return;
    runner().run(
        tr("Exporting %1 model as ONNX").arg(mode.toUpper()),
        [r](const TaskContext& c) { return workflow::toJson(workflow::exportRunOnnx(r, c.progress)); },
        [this](const nlohmann::json& j) { showOnnxExport(j); });
}

void BenchmarkPane::exportModel(const QString& mode) {
    if (!ready()) return;
    workflow::ExportRequest r;
    if (!exportRequestFor(mode, tr("Export model"), ".tmn", r)) return;
    runner().run(
        tr("Exporting %1 model").arg(mode.toUpper()),
        [r](const TaskContext& c) { return workflow::exportRun(r, c.progress); },
        [this](const nlohmann::json& j) { showExport(j); });
}

void BenchmarkPane::checkParity() {
    if (!ready()) return;
    const QString model = workbench().modelPath(), run = workbench().runDir();
    if (model.isEmpty() || run.isEmpty()) {
        showError(tr("Check parity: needs an exported model and the run it came from (export one first)."));
        return;
    }
    const int threads = workbench().threads();
    runner().run(
        tr("Checking the model against the network"),
        [m = model.toStdString(), r = run.toStdString(), threads](const TaskContext& c) {
            workflow::RuntimeEvaluationRequest request;
            request.model = m;
            request.run_dir = r;
            request.threads = threads;
            return workflow::evaluateRuntime(request, c.progress).result;
        },
        [this](const nlohmann::json& j) { showParity(j); });
}

void BenchmarkPane::exportForMicrocontroller(const QString& out_dir) {
    if (!ready()) return;
    if (workbench().modelPath().isEmpty()) {
        showError(tr("Export for a microcontroller: no model yet (export one first)."));
        return;
    }
    if (out_dir.trimmed().isEmpty()) {
        showError(tr("Export for a microcontroller: choose an output folder."));
        return;
    }
    runner().run(
        tr("Writing the microcontroller project"),
        [m = workbench().modelPath().toStdString(), o = out_dir.toStdString()](const TaskContext&) {
            const mcu::McuExportResult r = mcu::exportMcuProject(m, o);
            nlohmann::json j = mcu::footprintToJson(r.footprint);
            j["out_dir"] = r.out_dir;
            j["files"] = r.files.size();
            return j;
        },
        [this](const nlohmann::json& j) { showMcuExport(j); });
}

void BenchmarkPane::runLocalBenchmark(int runs) {
    if (!ready()) return;
    if (workbench().modelPath().isEmpty()) {
        showError(tr("Benchmark: no model yet (export one first)."));
        return;
    }
    runs_->setValue(runs);
    workflow::LocalBenchmarkOptions o;
    o.model = workbench().modelPath().toStdString();
    o.runs = runs;
    o.warmup = warmup_->value();
    o.dataset = workbench().dataset();  // the front-end is timed on its first test recording
    runner().run(
        tr("Benchmarking on this machine (%1 runs)").arg(runs),
        [o](const TaskContext& c) {
            return workflow::localBenchmarkToJson(workflow::runLocalBenchmark(o, c.progress), o);
        },
        [this](const nlohmann::json& j) { showBenchmark(j); });
}

QString BenchmarkPane::defaultBench() const {
    // The build tree keeps the bench in app/bench/, beside app/gui/; an install keeps both in bin/.
    const QDir here(QCoreApplication::applicationDirPath());
    for (const QString& candidate :
         {here.filePath("tinym2net-bench"), here.filePath("../bench/tinym2net-bench")})
        if (QFileInfo(candidate).isExecutable()) return QFileInfo(candidate).absoluteFilePath();
    return QString::fromStdString(workflow::defaultBenchPath());
}

void BenchmarkPane::runOnDevice() {
    if (!ready()) return;
    if (workbench().modelPath().isEmpty()) {
        showError(tr("Run on device: no model yet (export one first)."));
        return;
    }
    if (host_->text().trimmed().isEmpty()) {
        showError(tr("Run on device: enter the host as USER@HOST."));
        return;
    }
    workflow::DeployRequest r;
    r.target.destination = host_->text().trimmed().toStdString();
    r.target.port = port_->value();
    r.target.identity = identity_->text().trimmed().toStdString();
    r.target.known_hosts = known_hosts_->text().trimmed().toStdString();
    r.model = workbench().modelPath().toStdString();
    r.bench = (bench_->text().trimmed().isEmpty() ? defaultBench() : bench_->text().trimmed()).toStdString();
    r.workspace = workbench().workspace().toStdString();
    r.name = "workbench";
    runner().run(
        tr("Benchmarking on %1").arg(host_->text().trimmed()),
        [r](const TaskContext& c) { return workflow::deployAndRecord(r, c.progress); },
        [this](const nlohmann::json& j) { showDeviceResult(j); });
}

void BenchmarkPane::showExport(const nlohmann::json& j) {
    banner()->showInfo(tr("Exported %1 (%2, weights %3, arena %4)")
                           .arg(QString::fromStdString(j.value("model", "")))
                           .arg(kib(j.value("file_bytes", 0.0)))
                           .arg(kib(j.value("weight_bytes", 0.0)))
                           .arg(kib(j.value("arena_bytes", 0.0))));
    workbench().setModelPath(QString::fromStdString(j.value("model", "")));
}

void BenchmarkPane::showOnnxExport(const nlohmann::json& j) {
    onnx_export_ = j;
    banner()->showInfo(tr("Exported %1 (ONNX opset %2, %3 form, %4 nodes, %5): opens in Netron; the "
                          "features go in, the logits come out")
                           .arg(QString::fromStdString(j.value("model", "")))
                           .arg(j.value("opset", 0))
                           .arg(QString::fromStdString(j.value("form", "")))
                           .arg(j.value("nodes", 0))
                           .arg(kib(j.value("file_bytes", 0.0))));
}

void BenchmarkPane::showParity(const nlohmann::json& j) {
    parity_ = j;
    parity_table_->setEvaluation(j);
    parity_summary_->setText(ParityTable::summary(j));
    if (parity_table_->mismatchedLayers() > 0)
        showError(tr("Parity: %1 layer(s) differ from the integer-exact network — the first marked "
                     "row is where runtime and network part ways.")
                      .arg(parity_table_->mismatchedLayers()));
}

void BenchmarkPane::showMcuExport(const nlohmann::json& j) {
    mcu_export_ = j;
    const auto& ram = j["ram"];
    mcu_summary_->setText(
        tr("<b>Microcontroller project</b> %1 (%2 files; build it with <tt>make</tt>): flash %3 model + code "
           "(<tt>make size</tt>) · RAM: arena %4 (static array) + %5 copied at load, plus the graph's "
           "tables · nothing allocated during inference")
            .arg(QDir::toNativeSeparators(QString::fromStdString(j.value("out_dir", ""))).toHtmlEscaped())
            .arg(j.value("files", 0))
            .arg(kib(j["flash"].value("model_bytes", 0.0)))
            .arg(kib(ram.value("arena_bytes", 0.0)))
            .arg(kib(ram.value("load_copy_bytes", 0.0))));
    mcu_summary_->show();
}

void BenchmarkPane::showBenchmark(const nlohmann::json& b) {
    last_benchmark_ = b;
    histogram_->setBenchmark(b);
    const auto& n = b["network"];
    QString frontend = QString::fromStdString(b.value("frontend_note", ""));
    if (b.contains("frontend") && b["frontend"].is_object())
        frontend = tr("front-end (MFCC) p50 %1, p90 %2 — %3")
                       .arg(us(b["frontend"], "p50_us"), us(b["frontend"], "p90_us"), frontend);
    local_stats_->setText(
        tr("<b>Network</b> p50 %1 · p90 %2 · p99 %3 · mean %4 (%5 runs after %6 warm-up, %7 kernels)<br>"
           "%8<br>"
           "<b>Memory</b> peak arena %9 · model file %10 · weights %11 · %12 MMACs")
            .arg(us(n, "p50_us"), us(n, "p90_us"), us(n, "p99_us"), us(n, "mean_us"))
            .arg(b.value("runs", 0))
            .arg(b.value("warmup", 0))
            .arg(QString::fromStdString(b.value("kernel", "")))
            .arg(frontend.toHtmlEscaped())
            .arg(kib(b.value("arena_bytes", 0.0)))
            .arg(kib(b.value("file_bytes", 0.0)))
            .arg(kib(b.value("weight_bytes", 0.0)))
            .arg(b.value("macs", 0.0) / 1e6, 0, 'f', 3));
    updateEstimate(b.value("macs", std::uint64_t{0}), b.value("ops", std::size_t{0}));
    updateTargetFit();
}

void BenchmarkPane::updateTargetFit() {
    const std::string model = workbench().modelPath().toStdString();
    if (model.empty()) return target_fit_->clearFootprint(tr("no exported model"));
    // A measurement counts only on the device it was made on: this machine's
    // benchmark for "this machine", a deployed Raspberry Pi's for the Pi 4.
    std::optional<double> here, pi;
    if (last_benchmark_.is_object() && last_benchmark_.contains("network"))
        here = last_benchmark_["network"].value("p50_us", 0.0);
    if (device_result_.is_object() && device_result_.contains("bench"))
        pi = device_result_["bench"].value("p50_us", 0.0);
    target_fit_->setFootprintSource([model, here, pi](const device::TargetDevice& target) {
        return workflow::exportedFootprint(model, target, target.id == "host" ? here
                                                          : target.id == "pi4" ? pi
                                                                               : std::nullopt);
    });
}

void BenchmarkPane::showDeviceResult(const nlohmann::json& r) {
    device_result_ = r;
    const auto& bench = r.value("bench", nlohmann::json::object());
    device_summary_->setText(tr("<b>Measured on %1</b> (%2): p50 %3 · p90 %4 · p99 %5 · arena %6 · run %7")
                                 .arg(QString::fromStdString(r.value("device", "")).toHtmlEscaped())
                                 .arg(QString::fromStdString(r.value("host", "")).toHtmlEscaped())
                                 .arg(us(bench, "p50_us"), us(bench, "p90_us"), us(bench, "p99_us"))
                                 .arg(kib(bench.value("arena_bytes", 0.0)))
                                 .arg(QString::fromStdString(r.value("run_id", ""))));
    device_json_->setPlainText(QString::fromStdString(r.dump(2)));
    estimate_label_->hide();
    updateTargetFit();
}

bool BenchmarkPane::importPowerLog(const QString& csv) {
    device::PowerLog log;
    device::PowerReport report;
    try {
        log = device::readPowerLog(csv.toStdString());
        std::optional<double> inferences, rate;
        if (inferences_->value() > 0)
            inferences = inferences_->value();
        else if (rate_->value() > 0)
            rate = rate_->value();
        report = device::analyzePowerLog(log, {}, inferences, rate);
    } catch (const Error& e) {
        power_report_ = nullptr;
        power_chart_->clear();
        power_summary_->clear();
        showError(tr("Power log: %1").arg(e.what()));
        return false;
    }
    power_report_ = device::powerReportToJson(report);
    power_chart_->setLog(log, report);
    QString energy = report.energy_per_inference_mj
                         ? tr("%1 mJ per inference (%2 inferences)")
                               .arg(*report.energy_per_inference_mj, 0, 'f', 4)
                               .arg(report.inferences.value_or(0), 0, 'f', 0)
                         : tr("mJ per inference: give the number of inferences or the rate");
    power_summary_->setText(
        tr("<b>Idle</b> %1 mW · <b>inference above idle</b>: mean %2 mW, peak %3 mW over %4 s · %5 "
           "· %6 samples (power from %7)")
            .arg(report.idle_w * 1e3, 0, 'f', 1)
            .arg(report.mean_above_idle_mw, 0, 'f', 1)
            .arg(report.peak_above_idle_mw, 0, 'f', 1)
            .arg(report.busy_duration_s, 0, 'f', 2)
            .arg(energy)
            .arg(report.samples)
            .arg(QString::fromStdString(report.power_from)));
    if (!log.skipped.empty()) {
        QStringList lines;
        for (std::size_t i = 0; i < log.skipped.size() && i < 5; ++i)
            lines << tr("line %1: %2")
                         .arg(log.skipped[i].line)
                         .arg(QString::fromStdString(log.skipped[i].reason));
        if (log.skipped.size() > 5) lines << tr("… %1 more").arg(log.skipped.size() - 5);
        showError(tr("Power log %1: %2 malformed line(s) skipped — %3")
                      .arg(QFileInfo(csv).fileName())
                      .arg(log.skipped.size())
                      .arg(lines.join("; ")));
        return false;
    }
    banner()->showInfo(tr("Power log %1: %2 inference segment(s)")
                           .arg(QFileInfo(csv).fileName())
                           .arg(power_chart_->shadedSegments()));
    return true;
}

}  // namespace tm2::gui
