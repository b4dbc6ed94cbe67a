#include "widgets/train/train_pane.h"

#include <QAction>
#include <QDir>
#include <QFileInfo>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QSplitter>
#include <QTabWidget>
#include <QVBoxLayout>

#include "core/base/json_file.h"
#include "core/workflow/recorded_training.h"
#include "core/workflow/resume_check.h"
#include "widgets/common/explain_view.h"
#include "widgets/common/message_banner.h"
#include "widgets/common/pane_help.h"
#include "widgets/common/task_runner.h"
#include "widgets/common/use_run_button.h"
#include "widgets/common/confusion_matrix_view.h"
#include "widgets/train/augment_group.h"
#include "widgets/common/curve_chart.h"
#include "widgets/common/hyper_parameter_form.h"
#include "widgets/common/training_job.h"
#include "widgets/workbench.h"

namespace tm2::gui {

namespace {

QString percent(double x) { return QString::number(100.0 * x, 'f', 1) + " %"; }

// A metric of a metrics object, or "—" when there is none (no test split: null, never 0 %).
QString percentOf(const nlohmann::json& metrics, const char* key) {
    if (!metrics.is_object() || !metrics.contains(key) || !metrics[key].is_number()) return QString::fromUtf8("—");
    return percent(metrics[key].get<double>());
}

QStringList toStringList(const nlohmann::json& j) {
    QStringList out;
    if (j.is_array())
        for (const auto& s : j)
            if (s.is_string()) out << QString::fromStdString(s.get<std::string>());
    return out;
}

}  // namespace

TrainPane::TrainPane(Workbench& workbench, QWidget* parent) : Pane(workbench, parent) {
    setObjectName("trainPane");
    setHelp(help::train());
    auto* row = new QHBoxLayout;
    contentLayout()->addLayout(row, 1);

    // Left: the form and the buttons.
    auto* left = new QVBoxLayout;
    form_ = new HyperParameterForm(this);
    left->addWidget(form_);
    augment_ = new AugmentGroup(this);
    left->addWidget(augment_);
    spec_source_ = new QLabel(this);
    spec_source_->setObjectName("specSource");
    spec_source_->setWordWrap(true);
    left->addWidget(spec_source_);
    auto* buttons = new QHBoxLayout;
    start_button_ = new QPushButton(tr("&Start training"), this);
    start_button_->setObjectName("startTraining");
    start_button_->setToolTip(tr("Train on the open dataset (Ctrl+T)"));
    cancel_button_ = new QPushButton(tr("Cancel"), this);
    cancel_button_->setObjectName("cancelTraining");
    cancel_button_->setToolTip(tr("Stop after the current batch; the run is recorded as cancelled (Esc)"));
    buttons->addWidget(start_button_);
    buttons->addWidget(cancel_button_);
    left->addLayout(buttons);
    resume_button_ = new QPushButton(tr("&Resume the cancelled run"), this);
    resume_button_->setObjectName("resumeTraining");
    resume_button_->setToolTip(tr("Continue the cancelled run from its last checkpoint, with the same settings"));
    left->addWidget(resume_button_);
    use_run_ = new UseRunButton(workbench, this);
    left->addWidget(use_run_);
    left->addStretch(1);
    row->addLayout(left, 0);

    // Right: the live curves over the finished run's metrics.
    auto* splitter = new QSplitter(Qt::Vertical, this);
    auto* charts = new QWidget(splitter);
    auto* charts_layout = new QHBoxLayout(charts);
    charts_layout->setContentsMargins(0, 0, 0, 0);
    loss_chart_ = new CurveChart(tr("Loss"), tr("cross-entropy"), charts);
    loss_chart_->setObjectName("lossChart");
    accuracy_chart_ = new CurveChart(tr("Accuracy"), tr("accuracy"), charts);
    accuracy_chart_->setObjectName("accuracyChart");
    accuracy_chart_->showFractionsInPercent();
    charts_layout->addWidget(loss_chart_);
    charts_layout->addWidget(accuracy_chart_);
    splitter->addWidget(charts);

    // Test metrics and the explanation share the lower half as tabs (a laptop screen).
    auto* lower = new QTabWidget(splitter);
    lower->setObjectName("trainLowerTabs");
    lower->setDocumentMode(true);
    auto* results = new QGroupBox(tr("Test metrics (best epoch's weights)"), lower);
    auto* results_layout = new QHBoxLayout(results);
    summary_ = new QLabel(tr("No run yet."), results);
    summary_->setObjectName("trainSummary");
    summary_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    summary_->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    summary_->setWordWrap(true);
    confusion_ = new ConfusionMatrixView(results);
    confusion_->setObjectName("trainConfusion");
    results_layout->addWidget(summary_, 1);
    results_layout->addWidget(confusion_, 1);
    lower->addTab(results, tr("Test metrics"));
    explain_ = addExplainTab(workbench, title(), *lower);
    splitter->addWidget(lower);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    row->addWidget(splitter, 1);
    resetCharts();

    train_action_ = new QAction(tr("&Train"), this);
    train_action_->setShortcut(QKeySequence(tr("Ctrl+T")));
    train_action_->setToolTip(tr("Train the network on the open dataset (Ctrl+T)"));
    connect(train_action_, &QAction::triggered, this, &TrainPane::startTraining);
    connect(start_button_, &QPushButton::clicked, this, &TrainPane::startTraining);
    connect(resume_button_, &QPushButton::clicked, this, &TrainPane::resumeTraining);
    connect(cancel_button_, &QPushButton::clicked, &runner(), &TaskRunner::cancel);

    connect(&runner(), &TaskRunner::posted, this, &TrainPane::onEpoch);
    // A run picked elsewhere, or reopened, shows its saved curves and metrics.
    connect(&workbench, &Workbench::runChanged, this, &TrainPane::showSavedRun);
    connect(&runner(), &TaskRunner::cancelled, this, [this] {
        // The epochs so far stay on the charts and in the store; the folder keeps its last checkpoint.
        const bool resumable = workflow::holdsRun(running_dir_.toStdString());
        cancelled_dir_ = resumable ? running_dir_ : QString();
        summary_->setText(resumable ? tr("Cancelled. The run is recorded as cancelled in the experiment store; its "
                                         "folder keeps the last checkpoint, and Resume continues from it:\n%1")
                                          .arg(running_dir_)
                                    : tr("Cancelled before the first checkpoint; nothing to resume:\n%1")
                                          .arg(running_dir_));
        updateEnabled();
    });
    connect(&runner(), &TaskRunner::failed, this, [this] { summary_->setText(tr("Training failed (see above).")); });
    connect(&runner(), &TaskRunner::started, this, &TrainPane::updateEnabled);
    connect(&runner(), &TaskRunner::finished, this, &TrainPane::updateEnabled);
    connect(&workbench, &Workbench::datasetChanged, this, &TrainPane::updateSpecSource);
    connect(&workbench, &Workbench::specChanged, this, &TrainPane::updateSpecSource);
    updateSpecSource();
    updateEnabled();
}

QList<QAction*> TrainPane::mainActions() const { return {train_action_}; }

void TrainPane::saveSettings(QSettings& settings) const {
    form_->save(settings);
    augment_->save(settings);
}
void TrainPane::restoreSettings(QSettings& settings) {
    form_->restore(settings);
    augment_->restore(settings);
}

void TrainPane::setEpochs(int epochs) { form_->setEpochs(epochs); }
bool TrainPane::isTraining() const { return runner().isRunning(); }
int TrainPane::epochsShown() const { return loss_chart_->pointCount(0); }
QString TrainPane::summaryText() const { return summary_->text(); }

void TrainPane::startTraining() {
    if (!workbench().hasDataset()) {
        if (runner().mayStart()) showError(tr("No dataset is open: choose one in the Dataset pane (Ctrl+1) first."));
        return;
    }
    trainInto(workbench().newRunFolder("train"), false);
}

void TrainPane::resumeTraining() {
    if (cancelled_dir_.isEmpty() || !workflow::holdsRun(cancelled_dir_.toStdString())) {
        if (runner().mayStart()) showError(tr("There is no cancelled run to resume."));
        return;
    }
    trainInto(cancelled_dir_, true);
}

void TrainPane::trainInto(const QString& dir, bool resume) {
    if (!runner().mayStart()) return;
    if (!workbench().hasDataset()) {
        showError(tr("No dataset is open: choose one in the Dataset pane (Ctrl+1) first."));
        return;
    }
    running_dir_ = dir;
    workflow::TrainingOptions options = trainingOptions(workbench(), *form_, running_dir_);
    // A fresh folder has nothing to resume; a cancelled one continues from its last
    // checkpoint, provided the form still matches its settings (core says which differ).
    options.train.resume = resume;
    options.augment = augment_->augmentText().toStdString();  // core checks it and names a bad item
    if (!resume) resetCharts();
    confusion_->setMatrix({});
    summary_->setText((resume ? tr("Resuming %1 …") : tr("Training into %1 …")).arg(running_dir_));
    runner().run(
        resume ? tr("Resuming training") : tr("Training"),
        [options](const TaskContext& c) {
            const workflow::PreparedTraining prepared = workflow::prepareTraining(options, c.progress);
            nlohmann::json result = workflow::trainAndRecord(options, prepared, postingTrainCallback(c));
            result["classes"] = prepared.data.classes;
            result["modalities"] = prepared.data.modalities;
            result["run_dir"] = options.out;
            result["warnings"] = prepared.warnings;
            return result;
        },
        [this](const nlohmann::json& result) { onTrained(result); });
}

void TrainPane::resetCharts() {
    for (CurveChart* chart : {loss_chart_, accuracy_chart_}) {
        chart->clear();
        chart->addSeries(tr("train"));
        chart->addSeries(tr("validation"), true);
        chart->addSeries(tr("train, within the epoch (running mean)"));  // kBatchSeries
    }
}

void TrainPane::onEpoch(const QVariant& value) {
    const std::optional<CurvePoint> point = curvePoint(value);
    if (!point) return;
    if (!point->epoch_end) {
        loss_chart_->append(kBatchSeries, point->x, point->loss);
        accuracy_chart_->append(kBatchSeries, point->x, point->accuracy);
        return;
    }
    appendEpoch(point->record);
}

void TrainPane::appendEpoch(const train::EpochRecord& e) {
    loss_chart_->append(0, e.epoch, e.train_loss);
    accuracy_chart_->append(0, e.epoch, e.train_accuracy);
    if (e.val_loss > 0) {  // 0 = no validation split
        loss_chart_->append(1, e.epoch, e.val_loss);
        accuracy_chart_->append(1, e.epoch, e.val_accuracy);
    }
}

void TrainPane::appendHistory(const nlohmann::json& history) {
    if (!history.is_array()) return;
    for (const auto& e : history) {  // a run folder's: entries that are not epoch records are skipped
        if (!e.is_object() || !e.contains("epoch") || !e["epoch"].is_number_integer()) continue;
        try {
            appendEpoch(e.get<train::EpochRecord>());
        } catch (const nlohmann::json::exception&) {  // a field of the wrong type
        }
    }
}

void TrainPane::onTrained(const nlohmann::json& result) {
    last_run_dir_ = running_dir_;
    cancelled_dir_.clear();
    // The whole history (a resumed run's earlier epochs included) as the epoch curves.
    if (result.contains("history") && result["history"].is_array()) {
        for (CurveChart* chart : {loss_chart_, accuracy_chart_}) {
            chart->clearSeries(0);
            chart->clearSeries(1);
        }
        appendHistory(result["history"]);
    }
    showResult(result, true);
}

void TrainPane::showSavedRun(const QString& dir) {
    if (isTraining() || dir.isEmpty() || dir == last_run_dir_) return;
    const QString path = QDir(dir).filePath("result.json");
    if (!QFileInfo::exists(path)) return;
    nlohmann::json r;
    try {
        r = readJsonFile(path.toStdString());
    } catch (const std::exception& e) {
        showError(tr("Saved result not shown: %1").arg(QString::fromUtf8(e.what())));
        return;
    }
    // A comparison's folder has another result; the Compare pane shows those.
    if (!r.is_object() || !r.contains("history") || !r["history"].is_array()) return;
    last_run_dir_ = dir;
    resetCharts();
    appendHistory(r["history"]);
    showResult(r, false);
}

void TrainPane::showResult(const nlohmann::json& result, bool fresh) {
    explain_->setRun(last_run_dir_);
    last_result_ = result;
    const nlohmann::json& r = last_result_;
    const nlohmann::json test = r.contains("test") ? r["test"] : nlohmann::json();
    QString text = QString("<b>%1</b> %2 &nbsp; <b>%3</b> %4 &nbsp; <b>%5</b> %6")
                       .arg(tr("Accuracy"), percentOf(test, "accuracy"), tr("UAR"), percentOf(test, "balanced_accuracy"),
                            tr("Macro-F1"), percentOf(test, "macro_f1"));
    if (test.is_object() && test.contains("roc_auc"))
        text += QString(" &nbsp; <b>ROC-AUC</b> %1").arg(test["roc_auc"].get<double>(), 0, 'f', 3);
    const nlohmann::json levels = r.contains("test_levels") ? r["test_levels"] : nlohmann::json();
    if (levels.is_object()) {
        // The headline above is per recording (the mean of its windows' logits).
        QStringList parts;
        for (const auto& [key, name] : {std::pair{"window", tr("per window")}, {"recording", tr("per recording")},
                                        {"participant", tr("per participant")}}) {
            const nlohmann::json m = levels.contains(key) ? levels[key] : nlohmann::json();
            parts << QString("%1 %2 (%3)").arg(name, percentOf(m, "accuracy"))
                         .arg(m.is_object() ? m.value("samples", 0) : 0);
        }
        text += "<br>" + tr("Test accuracy: %1").arg(parts.join(" &nbsp; "));
    }
    text += "<br>" + (test.is_object() ? tr("%1 test recordings").arg(test.value("samples", 0)) : tr("no test split")) +
            tr(" · best epoch %1%2 · %3 parameters · %4 samples/s")
                .arg(r.value("best_epoch", 0))
                .arg(r.value("stopped_early", false) ? tr(" (stopped early)") : QString())
                .arg(r.value("parameters", 0LL))
                .arg(static_cast<long>(r.value("train_samples_per_s", 0.0)));
    if (r.contains("test_missing") && r["test_missing"].is_object()) {
        text += "<br>" + tr("With one modality missing:");
        for (const auto& [m, metrics] : r["test_missing"].items())
            text += QString(" &nbsp; %1 %2").arg(tr("without %1").arg(QString::fromStdString(m)),
                                                  percentOf(metrics, "accuracy"));
    }
    text += "<br>" + tr("Run %1 in %2")
                         .arg(QString::fromStdString(r.value("run_id", std::string())), last_run_dir_.toHtmlEscaped());
    // The active run is replaced only when the user says so (Use this run, or a run picker).
    if (!fresh)
        text += "<br>" + tr("Read back from the run folder.");
    else if (use_run_->offer(last_run_dir_))
        text += "<br>" + tr("It is now the run Quantize and Benchmark use.");
    else if (workbench().runDir() != last_run_dir_)
        text += "<br>" + tr("Quantize and Benchmark still use %1 until you choose this one.")
                             .arg(QDir(workbench().runDir()).dirName().toHtmlEscaped());
    summary_->setText(text);
    if (test.is_object() && test.contains("confusion"))
        confusion_->setMatrix(test["confusion"].get<std::vector<std::vector<long>>>(), toStringList(r.value("classes", nlohmann::json())));
    const QStringList warnings = toStringList(r.value("warnings", nlohmann::json()));
    if (fresh && !warnings.isEmpty()) banner()->showInfo(warnings.join("\n"));
}

void TrainPane::updateSpecSource() {
    const bool designed = !workbench().spec().branches.empty();
    QString text = designed ? tr("Network: the designer's spec (%1 branches).").arg(workbench().spec().branches.size())
                            : tr("Network: the preset for the dataset's modalities.");
    if (!workbench().hasDataset()) text += " " + tr("No dataset open yet.");
    spec_source_->setText(text);
}

void TrainPane::updateEnabled() {
    const bool running = runner().isRunning();
    start_button_->setEnabled(!running);
    train_action_->setEnabled(!running);
    cancel_button_->setEnabled(running);
    resume_button_->setVisible(!cancelled_dir_.isEmpty());
    resume_button_->setEnabled(!running);
    form_->setEnabled(!running);
}

}  // namespace tm2::gui
