#include "widgets/dataset/dataset_pane.h"

#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QFutureWatcher>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QSplitter>
#include <QTableWidget>
#include <QVBoxLayout>
#include <QtCharts/QAbstractBarSeries>
#include <QtCharts/QBarCategoryAxis>
#include <QtCharts/QBarSet>
#include <QtCharts/QChart>
#include <QtCharts/QChartView>
#include <QtCharts/QLineSeries>
#include <QtCharts/QStackedBarSeries>
#include <QtCharts/QValueAxis>
#include <QtConcurrent/QtConcurrentRun>
#include <algorithm>
#include <nlohmann/json.hpp>

#include "core/base/error.h"
#include "core/data/demo_dataset.h"
#include "core/workflow/sample_preview.h"
#include "widgets/common/message_banner.h"
#include "widgets/common/pane_help.h"
#include "widgets/common/task_runner.h"
#include "widgets/dataset/heatmap_image.h"
#include "widgets/dataset/mfcc_heatmap_view.h"
#include "widgets/workbench.h"

namespace tm2::gui {

namespace {

constexpr int kWaveformBins = 400;
constexpr int kPreviewPixels = 140;

QString shapeString(const std::vector<std::size_t>& shape) {
    QStringList parts;
    for (std::size_t d : shape) parts << QString::number(d);
    return parts.join(QChar(0x00D7));
}

// Same dataset settings (to_json makes paths absolute, which an empty path cannot be).
bool sameOptions(const workflow::DatasetOptions& a, const workflow::DatasetOptions& b) {
    if (a.path.empty() || b.path.empty()) return a.path == b.path;
    return nlohmann::json(a) == nlohmann::json(b);
}

QTableWidgetItem* cell(const QString& text) {
    auto* item = new QTableWidgetItem(text);
    item->setFlags(item->flags() & ~Qt::ItemIsEditable);
    return item;
}

}  // namespace

DatasetPane::DatasetPane(Workbench& workbench, QWidget* parent) : Pane(workbench, parent) {
    setObjectName("datasetPane");
    setHelp(help::dataset());

    contentLayout()->addWidget(makeOpenBox());  // folder, layout, splits, probe; demo

    summary_label_ =
        new QLabel(tr("No dataset open. Open a folder or make a demo dataset (Ctrl+Shift+D)."), this);
    summary_label_->setObjectName("datasetSummary");
    summary_label_->setWordWrap(true);
    summary_label_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    contentLayout()->addWidget(summary_label_);
    warnings_label_ = new QLabel(this);
    warnings_label_->setObjectName("datasetWarnings");
    warnings_label_->setWordWrap(true);
    warnings_label_->setStyleSheet("color: #8a5a00;");
    warnings_label_->hide();
    contentLayout()->addWidget(warnings_label_);

    // ---- chart + skipped (left), samples + preview (right) -------------------
    auto* split = new QSplitter(Qt::Horizontal, this);
    auto* left = new QSplitter(Qt::Vertical, split);
    chart_ = new QChart;
    chart_->setTitle(tr("Class and split balance"));
    chart_->legend()->setAlignment(Qt::AlignBottom);
    chart_view_ = new QChartView(chart_, left);
    chart_view_->setObjectName("datasetBalanceChart");
    chart_view_->setRenderHint(QPainter::Antialiasing);
    chart_view_->setMinimumSize(360, 260);
    auto* skipped_box = new QGroupBox(tr("Skipped files"), left);
    auto* skipped_layout = new QVBoxLayout(skipped_box);
    skipped_table_ = new QTableWidget(0, 2, skipped_box);
    skipped_table_->setObjectName("datasetSkipped");
    skipped_table_->setHorizontalHeaderLabels({tr("File"), tr("Reason")});
    skipped_table_->horizontalHeader()->setStretchLastSection(true);
    skipped_table_->verticalHeader()->hide();
    skipped_layout->addWidget(skipped_table_);
    left->addWidget(chart_view_);
    left->addWidget(skipped_box);
    left->setStretchFactor(0, 3);
    left->setStretchFactor(1, 1);

    auto* right = new QSplitter(Qt::Vertical, split);
    samples_table_ = new QTableWidget(0, 4, right);
    samples_table_->setObjectName("datasetSamples");
    samples_table_->setHorizontalHeaderLabels({tr("Sample"), tr("Class"), tr("Split"), tr("Group")});
    samples_table_->horizontalHeader()->setStretchLastSection(true);
    samples_table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    samples_table_->setSelectionMode(QAbstractItemView::SingleSelection);
    samples_table_->verticalHeader()->hide();
    preview_box_ = new QGroupBox(tr("Preview"), right);
    preview_box_->setObjectName("datasetPreview");
    preview_layout_ = new QGridLayout(preview_box_);
    right->addWidget(samples_table_);
    right->addWidget(preview_box_);
    right->setStretchFactor(0, 1);
    right->setStretchFactor(1, 1);
    split->addWidget(left);
    split->addWidget(right);
    split->setStretchFactor(0, 2);
    split->setStretchFactor(1, 3);
    split->setSizes({560, 840});
    contentLayout()->addWidget(split, 1);

    // ---- actions ---------------------------------------------------------------
    open_action_ = new QAction(tr("Open dataset…"), this);
    open_action_->setObjectName("openDatasetAction");
    open_action_->setShortcut(QKeySequence("Ctrl+O"));
    open_action_->setToolTip(tr("Open a dataset folder (Ctrl+O)"));
    connect(open_action_, &QAction::triggered, this, &DatasetPane::browse);
    demo_action_ = new QAction(tr("Make demo dataset…"), this);
    demo_action_->setObjectName("makeDemoAction");
    demo_action_->setShortcut(QKeySequence("Ctrl+Shift+D"));
    demo_action_->setToolTip(tr("Generate a demo dataset into a folder (Ctrl+Shift+D)"));
    connect(demo_action_, &QAction::triggered, this, &DatasetPane::makeDemoClicked);

    connect(samples_table_, &QTableWidget::currentCellChanged, this, [this] { updatePreview(); });
    connect(&workbench, &Workbench::datasetChanged, this, &DatasetPane::onWorkbenchDataset);
    if (workbench.hasDataset()) onWorkbenchDataset();
}

QGroupBox* DatasetPane::makeOpenBox() {
    // ---- open controls ----------------------------------------------------
    auto* open_box = new QGroupBox(tr("Open a dataset"), this);
    auto* open_grid = new QGridLayout(open_box);
    path_edit_ = new QLineEdit(open_box);
    path_edit_->setObjectName("datasetPath");
    path_edit_->setPlaceholderText(
        tr("Folder with manifest.csv, or a folder-per-class / Coswara / ComParE layout"));
    auto* browse = new QPushButton(tr("Browse…"), open_box);
    browse->setObjectName("datasetBrowse");
    auto* open = new QPushButton(tr("Open"), open_box);
    open->setObjectName("datasetOpen");
    open->setDefault(true);
    layout_combo_ = new QComboBox(open_box);
    layout_combo_->setObjectName("datasetLayout");
    layout_combo_->addItems({"auto", "manifest", "folder", "coswara", "compare"});
    val_spin_ = new QDoubleSpinBox(open_box);
    val_spin_->setObjectName("datasetVal");
    test_spin_ = new QDoubleSpinBox(open_box);
    test_spin_->setObjectName("datasetTest");
    for (QDoubleSpinBox* s : {val_spin_, test_spin_}) {
        s->setRange(0.0, 0.9);
        s->setSingleStep(0.05);
        s->setDecimals(2);
        s->setValue(0.15);
    }
    seed_spin_ = new QSpinBox(open_box);
    seed_spin_->setObjectName("datasetSeed");
    seed_spin_->setRange(0, 1000000000);
    seed_spin_->setValue(42);
    resplit_combo_ = new QComboBox(open_box);
    resplit_combo_->setObjectName("datasetResplit");
    resplit_combo_->addItem(tr("given splits stand"), "keep");
    resplit_combo_->addItem(tr("assign whole groups anew"), "group");
    resplit_combo_->setToolTip(
        tr("Where the dataset gives its splits (a manifest's split column, a challenge's "
           "partitions) they are kept; choose whole groups to reassign every participant."));
    probe_check_ = new QCheckBox(tr("Decode every file (finds broken media)"), open_box);
    probe_check_->setObjectName("datasetProbe");
    probe_check_->setChecked(true);
    outside_check_ = new QCheckBox(tr("Read files outside the folder"), open_box);
    outside_check_->setObjectName("datasetAllowOutside");
    outside_check_->setToolTip(
        tr("For a manifest that points at a shared corpus elsewhere. Off: such rows are "
           "skipped with the reason. Devices and pipes are never read."));
    open_grid->addWidget(new QLabel(tr("Folder:"), open_box), 0, 0);
    open_grid->addWidget(path_edit_, 0, 1, 1, 7);
    open_grid->addWidget(browse, 0, 8);
    open_grid->addWidget(open, 0, 9);
    open_grid->addWidget(new QLabel(tr("Layout:"), open_box), 1, 0);
    open_grid->addWidget(layout_combo_, 1, 1);
    open_grid->addWidget(new QLabel(tr("Validation:"), open_box), 1, 2);
    open_grid->addWidget(val_spin_, 1, 3);
    open_grid->addWidget(new QLabel(tr("Test:"), open_box), 1, 4);
    open_grid->addWidget(test_spin_, 1, 5);
    open_grid->addWidget(new QLabel(tr("Seed:"), open_box), 1, 6);
    open_grid->addWidget(seed_spin_, 1, 7);
    open_grid->addWidget(probe_check_, 1, 8, 1, 2);
    open_grid->addWidget(new QLabel(tr("Splits:"), open_box), 2, 0);
    open_grid->addWidget(resplit_combo_, 2, 1, 1, 3);
    open_grid->addWidget(outside_check_, 2, 8, 1, 2);

    // ---- demo controls ----------------------------------------------------
    auto* demo_row = new QHBoxLayout;
    demo_kind_combo_ = new QComboBox(open_box);
    demo_kind_combo_->setObjectName("demoKind");
    demo_kind_combo_->addItem(tr("image + audio (Fashion-MNIST + speech)"), "image-audio");
    demo_kind_combo_->addItem(tr("audio + audio (two voices)"), "audio-audio");
    demo_samples_spin_ = new QSpinBox(open_box);
    demo_samples_spin_->setObjectName("demoSamples");
    demo_samples_spin_->setRange(1, 100000);
    demo_samples_spin_->setValue(150);
    demo_samples_spin_->setSuffix(tr(" per class"));
    auto* demo_button = new QPushButton(tr("Make demo dataset…"), open_box);
    demo_button->setObjectName("demoMake");
    demo_row->addWidget(new QLabel(tr("Demo:"), open_box));
    demo_row->addWidget(demo_kind_combo_);
    demo_row->addWidget(demo_samples_spin_);
    demo_row->addWidget(demo_button);
    demo_row->addStretch(1);
    open_grid->addLayout(demo_row, 3, 0, 1, 10);
    connect(browse, &QPushButton::clicked, this, &DatasetPane::browse);
    connect(open, &QPushButton::clicked, this, &DatasetPane::openClicked);
    connect(path_edit_, &QLineEdit::returnPressed, this, &DatasetPane::openClicked);
    connect(demo_button, &QPushButton::clicked, this, &DatasetPane::makeDemoClicked);
    return open_box;
}

QList<QAction*> DatasetPane::mainActions() const { return {open_action_, demo_action_}; }

void DatasetPane::saveSettings(QSettings& settings) const {
    settings.setValue("path", path_edit_->text());
    settings.setValue("layout", layout_combo_->currentText());
    settings.setValue("val", val_spin_->value());
    settings.setValue("test", test_spin_->value());
    settings.setValue("seed", seed_spin_->value());
    settings.setValue("probe", probe_check_->isChecked());
    settings.setValue("allowOutside", outside_check_->isChecked());
    settings.setValue("resplit", resplit_combo_->currentData().toString());
    settings.setValue("demoKind", demo_kind_combo_->currentData().toString());
    settings.setValue("demoSamples", demo_samples_spin_->value());
}

void DatasetPane::restoreSettings(QSettings& settings) {
    path_edit_->setText(settings.value("path", path_edit_->text()).toString());
    const int layout = layout_combo_->findText(settings.value("layout", "auto").toString());
    if (layout >= 0) layout_combo_->setCurrentIndex(layout);
    val_spin_->setValue(settings.value("val", val_spin_->value()).toDouble());
    test_spin_->setValue(settings.value("test", test_spin_->value()).toDouble());
    seed_spin_->setValue(settings.value("seed", seed_spin_->value()).toInt());
    probe_check_->setChecked(settings.value("probe", probe_check_->isChecked()).toBool());
    outside_check_->setChecked(settings.value("allowOutside", false).toBool());
    const int resplit = resplit_combo_->findData(settings.value("resplit", "keep").toString());
    if (resplit >= 0) resplit_combo_->setCurrentIndex(resplit);
    const int kind = demo_kind_combo_->findData(settings.value("demoKind", "image-audio").toString());
    if (kind >= 0) demo_kind_combo_->setCurrentIndex(kind);
    demo_samples_spin_->setValue(settings.value("demoSamples", demo_samples_spin_->value()).toInt());
}

// ---- opening ----------------------------------------------------------------

workflow::DatasetOptions DatasetPane::optionsFromControls(const QString& path) const {
    workflow::DatasetOptions options;
    options.path = QDir::cleanPath(path.trimmed()).toStdString();
    options.layout.layout = layout_combo_->currentText().toStdString();
    options.layout.allow_outside_paths = outside_check_->isChecked();
    options.split.val_fraction = val_spin_->value();
    options.split.test_fraction = test_spin_->value();
    options.split.seed = static_cast<std::uint64_t>(seed_spin_->value());
    options.resplit = resplit_combo_->currentData().toString().toStdString();
    options.threads = workbench().threads();
    return options;
}

void DatasetPane::showOptionsInControls(const workflow::DatasetOptions& options) {
    path_edit_->setText(QString::fromStdString(options.path));
    const int layout = layout_combo_->findText(QString::fromStdString(options.layout.layout));
    if (layout >= 0) layout_combo_->setCurrentIndex(layout);
    outside_check_->setChecked(options.layout.allow_outside_paths);
    val_spin_->setValue(options.split.val_fraction);
    test_spin_->setValue(options.split.test_fraction);
    seed_spin_->setValue(static_cast<int>(options.split.seed));
    const int resplit = resplit_combo_->findData(QString::fromStdString(options.resplit));
    if (resplit >= 0) resplit_combo_->setCurrentIndex(resplit);
}

void DatasetPane::browse() {
    const QString dir =
        QFileDialog::getExistingDirectory(this, tr("Open dataset folder"), path_edit_->text());
    if (!dir.isEmpty()) openDataset(dir);
}

void DatasetPane::openClicked() { openDataset(path_edit_->text()); }

void DatasetPane::openDataset(const QString& path) {
    if (path.trimmed().isEmpty()) {
        showError(tr("Choose a dataset folder first."));
        return;
    }
    path_edit_->setText(path);
    startOpen(optionsFromControls(path));
}

void DatasetPane::startOpen(const workflow::DatasetOptions& options) {
    const bool probe = probe_check_->isChecked();
    const bool started = runner().run(
        tr("Opening %1").arg(QString::fromStdString(options.path)),
        [options, probe](const TaskContext& c) { return workflow::summarizeDataset(options, probe, c.progress); },
        [this, options](const workflow::DatasetSummary& summary) { onOpened(options, summary); });
    if (!started) showError(tr("Another job is running; wait for it or cancel it first."));
}

void DatasetPane::makeDemoClicked() {
    const QString dir =
        QFileDialog::getExistingDirectory(this, tr("Folder for the demo dataset"), QDir::homePath());
    if (dir.isEmpty()) return;
    makeDemo(demo_kind_combo_->currentData().toString(), dir, demo_samples_spin_->value());
}

void DatasetPane::makeDemo(const QString& kind, const QString& out_dir, int samples_per_class) {
    data::DemoConfig config;
    try {
        config.kind = data::demoKindFromString(kind.toStdString());
    } catch (const Error& e) {
        showError(QString::fromStdString(e.what()));
        return;
    }
    if (out_dir.trimmed().isEmpty()) {
        showError(tr("Choose a folder for the demo dataset."));
        return;
    }
    config.out_dir = out_dir.toStdString();
    config.samples_per_class = samples_per_class;
    // Two speakers per sample of a class (at most 40): a small demo still has groups for validation and test.
    config.speakers = std::max(1, std::min(40, 2 * samples_per_class));
    config.threads = workbench().threads();
    const QString out = QString::fromStdString(config.out_dir);
    const bool started = runner().run(
        tr("Making %1 demo dataset").arg(kind),
        [config](const TaskContext& c) { return data::makeDemoDataset(config, c.progress); },
        [this, out](const data::DemoSummary& summary) {
            banner()->showInfo(tr("Demo dataset made: %1 samples in %2 s.")
                                   .arg(summary.samples)
                                   .arg(summary.seconds, 0, 'f', 1));
            // The runner emits finished after this: open once it is free.
            QMetaObject::invokeMethod(this, [this, out] { openDataset(out); }, Qt::QueuedConnection);
        });
    if (!started) showError(tr("Another job is running; wait for it or cancel it first."));
}

void DatasetPane::onOpened(const workflow::DatasetOptions& options, const workflow::DatasetSummary& summary) {
    summary_ = std::make_unique<workflow::DatasetSummary>(summary);
    shown_options_ = options;
    showSummary();
    // Publish to the other panes unless the workbench already holds exactly this.
    if (!sameOptions(shown_options_, workbench().dataset())) {
        publishing_ = true;
        workbench().setDataset(shown_options_);
        publishing_ = false;
    }
}

void DatasetPane::onWorkbenchDataset() {
    if (publishing_ || !workbench().hasDataset()) return;
    const workflow::DatasetOptions& options = workbench().dataset();
    if (summary_ && sameOptions(options, shown_options_)) return;
    showOptionsInControls(options);
    startOpen(options);
}

// ---- presentation -------------------------------------------------------------

QString DatasetPane::datasetPath() const {
    return summary_ ? QString::fromStdString(summary_->path) : QString();
}

int DatasetPane::sampleCount() const { return summary_ ? static_cast<int>(summary_->samples.size()) : 0; }

QStringList DatasetPane::classNames() const {
    QStringList names;
    if (summary_)
        for (const auto& c : summary_->classes) names << QString::fromStdString(c);
    return names;
}

int DatasetPane::skippedCount() const { return summary_ ? static_cast<int>(summary_->skipped.size()) : 0; }

QStringList DatasetPane::barSetLabels() const {
    QStringList labels;
    for (QAbstractSeries* s : chart_->series())
        if (auto* bars = qobject_cast<QAbstractBarSeries*>(s))
            for (QBarSet* set : bars->barSets()) labels << set->label();
    return labels;
}

QList<int> DatasetPane::barSetCounts(const QString& split) const {
    QList<int> counts;
    for (QAbstractSeries* s : chart_->series())
        if (auto* bars = qobject_cast<QAbstractBarSeries*>(s))
            for (QBarSet* set : bars->barSets())
                if (set->label() == split)
                    for (int i = 0; i < set->count(); ++i) counts << static_cast<int>(set->at(i));
    return counts;
}

void DatasetPane::showSummary() {
    const auto& s = *summary_;
    QStringList modalities;
    for (std::size_t m = 0; m < s.spec.modalities.size(); ++m)
        modalities << QString("%1 (%2, features %3)")
                          .arg(QString::fromStdString(s.spec.modalities[m].name),
                               QString::fromUtf8(data::toString(s.spec.modalities[m].kind)),
                               shapeString(s.shapes[m]));
    summary_label_->setText(
        tr("<b>%1</b> (%2 layout): %3 samples, %4 classes, %5 skipped — train %6, val %7, "
           "test %8%9<br>Modalities: %10")
            .arg(QString::fromStdString(s.path).toHtmlEscaped(), QString::fromStdString(s.layout))
            .arg(s.samples.size())
            .arg(s.classes.size())
            .arg(s.skipped.size())
            .arg(s.total(0))
            .arg(s.total(1))
            .arg(s.total(2))
            .arg(s.probed ? tr(" (decoded)") : QString())
            .arg(modalities.join(", ").toHtmlEscaped()));
    QStringList warnings;
    for (const auto& w : s.warnings) warnings << QString::fromStdString(w);
    warnings_label_->setText(warnings.join("\n"));
    warnings_label_->setVisible(!warnings.isEmpty());

    updateChart();

    skipped_table_->setRowCount(static_cast<int>(s.skipped.size()));
    for (int i = 0; i < static_cast<int>(s.skipped.size()); ++i) {
        const auto& item = s.skipped[static_cast<std::size_t>(i)];
        QString where = QString::fromStdString(item.path);
        if (item.line > 0) where += ":" + QString::number(item.line);
        skipped_table_->setItem(i, 0, cell(where));
        skipped_table_->setItem(i, 1, cell(QString::fromStdString(item.reason)));
        skipped_table_->item(i, 1)->setToolTip(QString::fromStdString(item.reason));
    }
    skipped_table_->resizeColumnToContents(0);

    samples_table_->blockSignals(true);
    samples_table_->clearContents();
    samples_table_->setRowCount(static_cast<int>(s.samples.size()));
    for (int i = 0; i < static_cast<int>(s.samples.size()); ++i) {
        const auto& sample = s.samples[static_cast<std::size_t>(i)];
        samples_table_->setItem(i, 0, cell(QString::fromStdString(sample.id)));
        samples_table_->setItem(i, 1, cell(QString::fromStdString(sample.label)));
        samples_table_->setItem(i, 2, cell(QString::fromStdString(sample.split)));
        samples_table_->setItem(i, 3, cell(QString::fromStdString(sample.group)));
    }
    samples_table_->resizeColumnsToContents();
    samples_table_->blockSignals(false);
    if (!s.samples.empty()) {
        selectSample(0);
    } else {
        ++preview_generation_;  // a preview of the previous dataset still on its way is dropped
        preview_pending_ = false;
        clearPreview();
    }
}

void DatasetPane::updateChart() {
    chart_->removeAllSeries();
    for (QAbstractAxis* axis : chart_->axes()) {
        chart_->removeAxis(axis);
        delete axis;
    }
    const auto& s = *summary_;
    auto* series = new QStackedBarSeries;
    const QStringList names{tr("train"), tr("val"), tr("test")};
    const QList<QColor> colours{QColor("#3b6fb6"), QColor("#f28e2b"), QColor("#59a14f")};
    std::size_t top = 1;
    for (const auto& c : s.counts) top = std::max(top, c[0] + c[1] + c[2]);
    for (int k = 0; k < 3; ++k) {
        auto* set = new QBarSet(names[k]);
        set->setColor(colours[k]);
        for (const auto& c : s.counts) *set << static_cast<qreal>(c[static_cast<std::size_t>(k)]);
        series->append(set);
    }
    chart_->addSeries(series);
    auto* categories = new QBarCategoryAxis;
    for (const auto& c : s.classes) categories->append(QString::fromStdString(c));
    categories->setTitleText(tr("Class"));
    categories->setTruncateLabels(false);
    // Upright names stay inside their own column (slanted, the last one ran off the
    // chart's edge and Qt dropped it).
    if (s.classes.size() > 6) categories->setLabelsAngle(-90);
    auto* counts = new QValueAxis;
    counts->setRange(0, static_cast<qreal>(top));
    counts->setLabelFormat("%d");
    counts->applyNiceNumbers();  // 0, 2, 4 … rather than 0, 9.25 …
    // Short enough to fit the axis at the chart's minimum height; the unit is in the title.
    counts->setTitleText(s.probed ? tr("windows") : tr("samples"));
    chart_->setTitle(s.probed ? tr("Class and split balance (windows)") : tr("Class and split balance"));
    chart_->addAxis(categories, Qt::AlignBottom);
    chart_->addAxis(counts, Qt::AlignLeft);
    series->attachAxis(categories);
    series->attachAxis(counts);
    chart_->legend()->setVisible(true);
}

void DatasetPane::clearPreview() {
    while (QLayoutItem* item = preview_layout_->takeAt(0)) {
        delete item->widget();
        delete item;
    }
    preview_image_ = QImage();
    mfcc_image_ = QImage();
    waveform_points_ = 0;
}

void DatasetPane::selectSample(int row) {
    if (row < 0 || row >= samples_table_->rowCount()) return;
    if (samples_table_->currentRow() == row)
        updatePreview();
    else
        samples_table_->setCurrentCell(row, 0);  // currentCellChanged starts the preview
}

void DatasetPane::updatePreview() {
    clearPreview();
    const int row = samples_table_->currentRow();
    if (!summary_ || row < 0 || row >= static_cast<int>(summary_->samples.size())) {
        preview_pending_ = false;
        return;
    }
    const data::Sample& sample = summary_->samples[static_cast<std::size_t>(row)];
    preview_box_->setTitle(
        tr("Preview: %1 (%2)").arg(QString::fromStdString(sample.id), QString::fromStdString(sample.label)));
    auto* loading = new QLabel(tr("Reading the sample's files…"), preview_box_);
    loading->setObjectName("previewLoading");
    preview_layout_->addWidget(loading, 0, 0);
    preview_pending_ = true;
    const int generation = ++preview_generation_;
    const data::DatasetSpec spec = summary_->spec;
    QFuture<std::vector<workflow::ModalityPreview>> future =
        QtConcurrent::run([spec, sample] { return workflow::previewSample(spec, sample, kWaveformBins); });
    // One watcher per request; a request the user moved past finishes unseen.
    auto* watcher = new QFutureWatcher<std::vector<workflow::ModalityPreview>>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, generation] {
        watcher->deleteLater();
        if (generation != preview_generation_) return;
        showPreview(watcher->result());
    });
    watcher->setFuture(future);
}

void DatasetPane::showPreview(const std::vector<workflow::ModalityPreview>& previews) {
    clearPreview();
    int grid_row = 0;
    for (const workflow::ModalityPreview& p : previews) {
        auto* name =
            new QLabel(QString("<b>%1</b><br>%2")
                           .arg(QString::fromStdString(p.modality).toHtmlEscaped(),
                                QFileInfo(QString::fromStdString(p.path)).fileName().toHtmlEscaped()),
                       preview_box_);
        name->setToolTip(QString::fromStdString(p.path));
        preview_layout_->addWidget(name, grid_row, 0);
        if (!p.error.empty()) {
            auto* error = new QLabel(QString::fromStdString(p.error), preview_box_);
            error->setWordWrap(true);
            error->setStyleSheet("color: #b00020;");
            preview_layout_->addWidget(error, grid_row, 1, 1, 2);
        } else if (p.kind == data::ModalityKind::Image) {
            const QImage image = imageFromTensor(p.image);
            if (preview_image_.isNull()) preview_image_ = image;
            auto* label = new QLabel(preview_box_);
            label->setObjectName("previewImage");
            label->setPixmap(QPixmap::fromImage(
                image.scaled(kPreviewPixels, kPreviewPixels, Qt::KeepAspectRatio, Qt::FastTransformation)));
            label->setToolTip(tr("As the network sees it: %1×%2").arg(image.width()).arg(image.height()));
            preview_layout_->addWidget(label, grid_row, 1);
        } else {
            const workflow::WaveformEnvelope& env = p.envelope;
            auto* series = new QLineSeries;
            series->setName(tr("waveform"));
            const double step = env.min.empty() ? 0.0 : env.seconds / static_cast<double>(env.min.size());
            for (std::size_t i = 0; i < env.min.size(); ++i) {
                const double t = step * static_cast<double>(i);
                series->append(t, env.max[i]);
                series->append(t + step / 2, env.min[i]);
            }
            if (waveform_points_ == 0) waveform_points_ = static_cast<int>(series->count());
            auto* chart = new QChart;
            chart->addSeries(series);
            chart->legend()->hide();
            chart->setMargins(QMargins(2, 2, 2, 2));
            auto* x = new QValueAxis;
            x->setRange(0, std::max(env.seconds, 1e-3));
            x->setTitleText(tr("Time (s)"));
            auto* y = new QValueAxis;
            y->setRange(-1, 1);
            y->setTitleText(tr("Amplitude"));
            chart->addAxis(x, Qt::AlignBottom);
            chart->addAxis(y, Qt::AlignLeft);
            series->attachAxis(x);
            series->attachAxis(y);
            auto* view = new QChartView(chart, preview_box_);
            view->setObjectName("previewWaveform");
            view->setRenderHint(QPainter::Antialiasing);
            view->setMinimumSize(260, 150);
            preview_layout_->addWidget(view, grid_row, 1);

            const workflow::Heatmap& map = p.mfcc;
            auto* heatmap = new MfccHeatmapView(map, p.seconds_per_frame, preview_box_);
            if (mfcc_image_.isNull()) mfcc_image_ = heatmap->image();
            heatmap->setToolTip(tr("MFCC heat map, each coefficient scaled to its range: %1 coefficients × "
                                   "%2 frames (first window), range %3 … %4")
                                    .arg(map.rows)
                                    .arg(map.cols)
                                    .arg(map.min, 0, 'f', 1)
                                    .arg(map.max, 0, 'f', 1));
            auto* box = new QWidget(preview_box_);
            auto* box_layout = new QVBoxLayout(box);
            box_layout->setContentsMargins(0, 0, 0, 0);
            box_layout->addWidget(heatmap, 1);
            box_layout->addWidget(
                new QLabel(tr("MFCC: %1 coefficients × %2 frames").arg(map.rows).arg(map.cols), box));
            heatmap->setParent(box);
            preview_layout_->addWidget(box, grid_row, 2);
        }
        ++grid_row;
    }
    preview_layout_->setColumnStretch(1, 1);
    preview_layout_->setColumnStretch(2, 1);
    preview_pending_ = false;
    Q_EMIT previewShown();
}

}  // namespace tm2::gui
