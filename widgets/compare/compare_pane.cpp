#include "widgets/compare/compare_pane.h"

#include <QAction>
#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QFont>
#include <QGridLayout>
#include <QDir>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLegend>
#include <QPushButton>
#include <QScrollArea>
#include <QSplitter>
#include <QTabWidget>
#include <algorithm>
#include <QValueAxis>
#include <QVBoxLayout>
#include <memory>

#include "core/workflow/recorded_training.h"
#include "widgets/common/pane_help.h"
#include "widgets/common/bar_chart.h"
#include "widgets/common/explain_view.h"
#include "widgets/common/task_runner.h"
#include "widgets/common/use_run_button.h"
#include "widgets/common/confusion_matrix_view.h"
#include "widgets/common/curve_chart.h"
#include "widgets/common/hyper_parameter_form.h"
#include "widgets/common/training_job.h"
#include "widgets/workbench.h"

namespace tm2::gui {

namespace {

QStringList toStringList(const nlohmann::json& j) {
    QStringList out;
    if (j.is_array())
        for (const auto& s : j)
            if (s.is_string()) out << QString::fromStdString(s.get<std::string>());
    return out;
}

QString variantLabel(const std::string& key) { return QString::fromStdString(key); }

}  // namespace

ComparePane::ComparePane(Workbench& workbench, QWidget* parent) : Pane(workbench, parent) {
    setObjectName("comparePane");
    setHelp(help::compare());
    auto* row = new QHBoxLayout;
    contentLayout()->addLayout(row, 1);

    // The form keeps to a column as narrow as the Train pane's, so that at 1280×720 the three
    // charts keep their legends and axis labels and the confusion matrices all ten columns.
    auto* left_panel = new QWidget(this);
    left_panel->setMaximumWidth(380);
    auto* left = new QVBoxLayout(left_panel);
    left->setContentsMargins(0, 0, 0, 0);
    form_ = new HyperParameterForm(this);
    form_->setTitle(tr("Budget (the same for every variant)"));
    left->addWidget(form_);
    auto* buttons = new QHBoxLayout;
    start_button_ = new QPushButton(tr("Co&mpare modalities"), this);
    start_button_->setObjectName("startComparison");
    start_button_->setToolTip(tr("Train the multimodal network and each unimodal variant (Ctrl+Shift+T)"));
    cancel_button_ = new QPushButton(tr("Cancel"), this);
    cancel_button_->setObjectName("cancelComparison");
    buttons->addWidget(start_button_);
    buttons->addWidget(cancel_button_);
    left->addLayout(buttons);
    gain_ = new QLabel(tr("No comparison yet."), this);
    gain_->setObjectName("fusionGain");
    gain_->setWordWrap(true);
    left->addWidget(gain_);
    use_run_ = new UseRunButton(workbench, this);
    left->addWidget(use_run_);
    left->addStretch(1);
    row->addWidget(left_panel, 0);

    auto* splitter = new QSplitter(Qt::Vertical, this);
    auto* charts = new QWidget(splitter);
    auto* charts_layout = new QHBoxLayout(charts);
    charts_layout->setContentsMargins(0, 0, 0, 0);
    // Short titles: a third of a laptop screen elides long ones.
    progress_chart_ = new CurveChart(tr("Accuracy per epoch"), tr("accuracy"), charts);
    progress_chart_->setToolTip(tr("Validation accuracy per epoch (train accuracy when there is no validation split)"));
    progress_chart_->setObjectName("compareProgressChart");
    progress_chart_->showFractionsInPercent();
    // Three variant names side by side under a third of a laptop screen: a point smaller.
    QFont legend_font = progress_chart_->chart()->legend()->font();
    if (legend_font.pointSizeF() > 0) legend_font.setPointSizeF(std::max(7.0, legend_font.pointSizeF() - 1));
    progress_chart_->chart()->legend()->setFont(legend_font);
    metrics_chart_ = new QChartView(charts);
    metrics_chart_->setObjectName("compareMetricsChart");
    metrics_chart_->setRenderHint(QPainter::Antialiasing);
    metrics_chart_->setMinimumSize(260, 200);
    metrics_chart_->setToolTip(tr("Test accuracy and UAR (unweighted average recall: balanced accuracy) per variant"));
    missing_chart_ = new QChartView(charts);
    missing_chart_->setObjectName("compareMissingChart");
    missing_chart_->setRenderHint(QPainter::Antialiasing);
    missing_chart_->setMinimumSize(260, 200);
    missing_chart_->setToolTip(tr("Test accuracy of the multimodal network with one modality's input missing"));
    // The two charts with three-entry legends and long category names get the room;
    // the missing-modality chart's labels are short ("all", "no audio").
    charts_layout->addWidget(progress_chart_, 4);
    charts_layout->addWidget(metrics_chart_, 4);
    charts_layout->addWidget(missing_chart_, 3);
    splitter->addWidget(charts);

    // The confusion matrices and the explanation share the lower half as tabs, so the
    // charts keep their room on a laptop screen.
    auto* lower = new QTabWidget(splitter);
    lower->setObjectName("compareLowerTabs");
    lower->setDocumentMode(true);
    auto* scroll = new QScrollArea(lower);
    scroll->setWidgetResizable(true);
    scroll->setMinimumHeight(280);
    matrices_ = new QWidget(scroll);
    matrices_->setObjectName("confusionMatrices");
    matrices_layout_ = new QGridLayout(matrices_);
    scroll->setWidget(matrices_);
    lower->addTab(scroll, tr("Confusion matrices"));
    explain_ = addExplainTab(workbench, title(), *lower);
    splitter->addWidget(lower);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    row->addWidget(splitter, 1);
    clearResults();

    compare_action_ = new QAction(tr("Co&mpare modalities"), this);
    compare_action_->setShortcut(QKeySequence(tr("Ctrl+Shift+T")));
    compare_action_->setToolTip(start_button_->toolTip());
    connect(compare_action_, &QAction::triggered, this, qOverload<>(&ComparePane::startComparison));
    connect(start_button_, &QPushButton::clicked, this, qOverload<>(&ComparePane::startComparison));
    connect(cancel_button_, &QPushButton::clicked, &runner(), &TaskRunner::cancel);
    connect(&runner(), &TaskRunner::posted, this, &ComparePane::onEpoch);
    connect(&runner(), &TaskRunner::cancelled, this,
            [this] { gain_->setText(tr("Cancelled; the comparison is recorded as cancelled.")); });
    connect(&runner(), &TaskRunner::failed, this, [this] { gain_->setText(tr("The comparison failed (see above).")); });
    connect(&runner(), &TaskRunner::started, this, &ComparePane::updateEnabled);
    connect(&runner(), &TaskRunner::finished, this, &ComparePane::updateEnabled);
    updateEnabled();
}

QList<QAction*> ComparePane::mainActions() const { return {compare_action_}; }
void ComparePane::saveSettings(QSettings& settings) const { form_->save(settings); }
void ComparePane::restoreSettings(QSettings& settings) { form_->restore(settings); }
bool ComparePane::isComparing() const { return runner().isRunning(); }

void ComparePane::startComparison(int epochs) {
    form_->setEpochs(epochs);
    startComparison();
}

void ComparePane::startComparison() {
    if (!runner().mayStart()) return;
    if (!workbench().hasDataset()) {
        showError(tr("No dataset is open: choose one in the Dataset pane (Ctrl+1) first."));
        return;
    }
    const workflow::TrainingOptions options = trainingOptions(workbench(), *form_, workbench().newRunFolder("compare"));
    clearResults();
    gain_->setText(tr("Comparing into %1 …").arg(QString::fromStdString(options.out)));
    runner().run(
        tr("Comparison"),
        [options](const TaskContext& c) {
            const workflow::PreparedTraining prepared = workflow::prepareTraining(options, c.progress);
            auto variant = std::make_shared<std::string>();
            const workflow::RecordedComparison recorded =
                workflow::compareAndRecord(options, prepared, postingTrainCallback(c, variant),
                                           [variant](const std::string& v) { *variant = v; });
            nlohmann::json result = recorded.result;
            result["classes"] = prepared.data.classes;
            result["run_dir"] = options.out;
            return result;
        },
        [this](const nlohmann::json& result) { showComparison(result); });
}

void ComparePane::clearResults() {
    variants_.clear();
    accuracy_.clear();
    uar_.clear();
    curve_variants_.clear();
    progress_chart_->clear();
    fillBarChart(*metrics_chart_, tr("Test metrics per variant"), {}, {}, tr("test score"));
    fillBarChart(*missing_chart_, tr("One modality missing"), {}, {}, tr("test accuracy"));
    while (QLayoutItem* item = matrices_layout_->takeAt(0)) {
        delete item->widget();
        delete item;
    }
}

void ComparePane::onEpoch(const QVariant& value) {
    const std::optional<CurvePoint> point = curvePoint(value);
    if (!point || !point->epoch_end) return;
    const train::EpochRecord& e = point->record;
    const QString variant = QString::fromStdString(point->variant.empty() ? "multimodal" : point->variant);
    int index = curve_variants_.indexOf(variant);
    if (index < 0) {
        index = progress_chart_->addSeries(variant);
        curve_variants_ << variant;
    }
    // Validation accuracy, or train accuracy when there is no validation split.
    progress_chart_->append(index, e.epoch, e.val_loss > 0 ? e.val_accuracy : e.train_accuracy);
}

void ComparePane::showComparison(const nlohmann::json& result) {
    last_result_ = result;
    const nlohmann::json& r = last_result_;
    const QStringList classes = toStringList(r.value("classes", nlohmann::json()));
    std::vector<std::pair<QString, nlohmann::json>> results;
    if (r.contains("multimodal")) results.emplace_back("multimodal", r["multimodal"]);
    if (r.contains("unimodal") && r["unimodal"].is_object())
        for (const auto& [m, v] : r["unimodal"].items()) results.emplace_back("only " + variantLabel(m), v);

    variants_.clear();
    accuracy_.clear();
    uar_.clear();
    for (const auto& [name, v] : results) {
        const nlohmann::json test = v.value("test", nlohmann::json::object());
        variants_ << name;
        accuracy_ << test.value("accuracy", 0.0);
        uar_ << test.value("balanced_accuracy", 0.0);
    }
    fillBarChart(*metrics_chart_, tr("Test metrics per variant"), variants_,
                 {{tr("accuracy"), accuracy_}, {tr("UAR"), uar_}}, tr("test score"));

    QStringList missing_categories;
    QList<double> missing_values;
    if (r.contains("multimodal")) {
        const nlohmann::json& mm = r["multimodal"];
        missing_categories << tr("all");  // short labels: the axis hides labels that overlap
        missing_values << mm.value("test", nlohmann::json::object()).value("accuracy", 0.0);
        if (mm.contains("test_missing") && mm["test_missing"].is_object())
            for (const auto& [m, metrics] : mm["test_missing"].items()) {
                missing_categories << tr("no %1").arg(variantLabel(m));
                missing_values << metrics.value("accuracy", 0.0);
            }
    }
    fillBarChart(*missing_chart_, tr("One modality missing"), missing_categories,
                 {{tr("test accuracy"), missing_values}}, tr("test accuracy"));

    int i = 0;
    for (const auto& [name, v] : results) {
        const nlohmann::json test = v.value("test", nlohmann::json::object());
        auto* box = new QGroupBox(tr("%1 — accuracy %2 %").arg(name).arg(100.0 * test.value("accuracy", 0.0), 0, 'f', 1),
                                  matrices_);
        auto* layout = new QVBoxLayout(box);
        auto* view = new ConfusionMatrixView(box);
        view->setObjectName("confusion-" + name);
        view->setMinimumHeight(120);
        if (test.contains("confusion")) view->setMatrix(test["confusion"].get<std::vector<std::vector<long>>>(), classes);
        layout->addWidget(view);
        matrices_layout_->addWidget(box, i / 3, i % 3);
        ++i;
    }

    const double gain = r.value("fusion_gain", 0.0);
    QString text = tr("Fusion gain on test over the best single modality (%1, chosen on validation): %2%3 points.\n"
                      "Same budget for every variant; run %4.")
                       .arg(QString::fromStdString(r.value("best_unimodal", std::string())))
                       .arg(gain >= 0 ? "+" : "")
                       .arg(100.0 * gain, 0, 'f', 1)
                       .arg(QString::fromStdString(r.value("run_id", std::string())));
    // The folder loads as its fused network (workflow::loadRun); it replaces the
    // active run only when the user says so.
    const QString folder = QString::fromStdString(r.value("run_dir", std::string()));
    explain_->setRun(folder);  // its fused network (workflow::loadRun)
    if (use_run_->offer(folder))
        text += " " + tr("Its fused network is now the run Quantize and Benchmark use.");
    else if (!folder.isEmpty() && workbench().runDir() != folder)
        text += " " + tr("Quantize and Benchmark still use %1 until you choose this one.")
                          .arg(QDir(workbench().runDir()).dirName());
    gain_->setText(text);
}

double ComparePane::testAccuracy(const QString& variant) const {
    const int i = variants_.indexOf(variant);
    return i >= 0 ? accuracy_[i] : -1.0;
}

double ComparePane::testUar(const QString& variant) const {
    const int i = variants_.indexOf(variant);
    return i >= 0 ? uar_[i] : -1.0;
}

int ComparePane::confusionMatrixCount() const { return matrices_->findChildren<ConfusionMatrixView*>().size(); }
QString ComparePane::fusionGainText() const { return gain_->text(); }

void ComparePane::updateEnabled() {
    const bool running = runner().isRunning();
    start_button_->setEnabled(!running);
    compare_action_->setEnabled(!running);
    cancel_button_->setEnabled(running);
    form_->setEnabled(!running);
}

}  // namespace tm2::gui
