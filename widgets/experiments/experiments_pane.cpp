#include "widgets/experiments/experiments_pane.h"

#include <QAction>
#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QDateTime>
#include <QDir>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLegend>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QSet>
#include <QSplitter>
#include <QTableWidget>
#include <QTabWidget>
#include <QToolButton>
#include <QTreeWidget>
#include <QValueAxis>
#include <QVBoxLayout>
#include <map>
#include <memory>
#include <set>

#include "core/base/atomic_write.h"
#include "core/experiment/experiment_store.h"
#include "core/workflow/run_catalog.h"
#include "core/workflow/run_report.h"
#include "widgets/common/bar_chart.h"
#include "widgets/common/message_banner.h"
#include "widgets/common/pane_help.h"
#include "widgets/experiments/chart_export.h"
#include "widgets/common/curve_chart.h"
#include "widgets/experiments/sweeps_view.h"
#include "widgets/workbench.h"

namespace tm2::gui {

namespace {

using nlohmann::json;

enum Column {
    IdColumn,
    KindColumn,
    NameColumn,
    StatusColumn,
    CreatedColumn,
    MetricColumn,
    DatasetColumn,
    ParentColumn,
    ColumnCount
};

QString qs(const std::string& s) { return QString::fromStdString(s); }

const QColor kDifferenceColor(255, 236, 179);  // a side-by-side row whose runs differ

QString formatMetric(const workflow::RunMetric& m) { return qs(workflow::metricText(m)); }

// Sorts by a number kept beside the text (metrics: "75.0 %" after "9.0 %").
class NumberItem : public QTableWidgetItem {
public:
    NumberItem(const QString& text, double value) : QTableWidgetItem(text) { setData(kNumberRole, value); }
    bool operator<(const QTableWidgetItem& other) const override {
        const QVariant a = data(kNumberRole), b = other.data(kNumberRole);
        if (a.isValid() && b.isValid()) return a.toDouble() < b.toDouble();
        return a.isValid() < b.isValid();  // runs without the metric first
    }
    static constexpr int kNumberRole = Qt::UserRole + 1;
};

// The dataset folder a run used: params.data (train, compare), else the one its
// trained run folder names (quantize: params.run).
QString datasetOf(const experiment::RunRecord& r) {
    if (r.params.is_object() && r.params.contains("data") && r.params["data"].is_string())
        return qs(r.params["data"].get<std::string>());
    if (r.params.is_object() && r.params.contains("run") && r.params["run"].is_string())
        return qs(workflow::runDatasetFolder(r.params["run"].get<std::string>()));
    return {};
}

// What the run comes from: its parent (a comparison's variant), the run it
// continues, or the trained folder it quantized.
QString parentOf(const experiment::RunRecord& r, QString* tooltip) {
    if (!r.parent_id.empty()) return *tooltip = qs(r.parent_id);
    if (!r.resumed_from.empty()) {
        *tooltip = QObject::tr("continues %1").arg(qs(r.resumed_from));
        return *tooltip;
    }
    if (r.params.is_object() && r.params.contains("run") && r.params["run"].is_string()) {
        *tooltip = qs(r.params["run"].get<std::string>());
        return QDir(*tooltip).dirName();
    }
    return {};
}

QString localTime(const std::string& iso) {
    const QDateTime t = QDateTime::fromString(qs(iso), Qt::ISODateWithMs);
    return t.isValid() ? t.toLocalTime().toString("yyyy-MM-dd hh:mm:ss") : qs(iso);
}

// The run's label in charts and column headers: its name, else its id.
QString runLabel(const experiment::RunRecord& r) { return qs(r.name.empty() ? r.id : r.name); }

void addJsonItem(QTreeWidgetItem* parent, const QString& key, const json& value) {
    auto* item = new QTreeWidgetItem(parent, {key});
    if (value.is_object()) {
        for (const auto& [k, v] : value.items()) addJsonItem(item, qs(k), v);
    } else if (value.is_array()) {
        const std::size_t shown = std::min<std::size_t>(value.size(), 200);
        for (std::size_t i = 0; i < shown; ++i) addJsonItem(item, QString("[%1]").arg(i), value[i]);
        if (shown < value.size()) new QTreeWidgetItem(item, {QString("… %1 more").arg(value.size() - shown)});
        item->setText(1, QString("(%1 items)").arg(value.size()));
    } else {
        item->setText(1, value.is_string() ? qs(value.get<std::string>()) : qs(value.dump()));
    }
}

// Accuracy per epoch of each run (validation when recorded, else training).
void fillOverlay(CurveChart& chart, const std::vector<workflow::ReportedRun>& runs) {
    chart.clear();
    for (const auto& reported : runs) {
        const auto history = workflow::runHistory(reported.run, reported.epochs);
        if (history.empty()) continue;
        bool has_val = false;
        for (const auto& p : history) has_val = has_val || p.val_loss > 0;
        const int s = chart.addSeries(runLabel(reported.run) + (has_val ? " (val)" : " (train)"));
        for (const auto& p : history) chart.append(s, p.epoch, has_val ? p.val_accuracy : p.train_accuracy);
    }
}

void fillKeyMetricChart(QChartView& view, const std::vector<workflow::ReportedRun>& runs) {
    BarSetData set{QObject::tr("test accuracy"), {}};
    QStringList categories;
    for (const auto& reported : runs) {
        const auto key = workflow::keyMetric(reported.run);
        categories << runLabel(reported.run);
        set.values << (key ? key->value : 0.0);
    }
    fillBarChart(view, QObject::tr("Test accuracy per run"), categories, {set}, QObject::tr("test accuracy"));
}

}  // namespace

ExperimentsPane::ExperimentsPane(Workbench& workbench, QWidget* parent) : Pane(workbench, parent) {
    setObjectName("experimentsPane");
    setHelp(help::experiments());

    refresh_action_ = new QAction(tr("&Refresh runs"), this);
    refresh_action_->setShortcut(QKeySequence::Refresh);  // F5
    refresh_action_->setToolTip(tr("Re-read the experiment store (F5)"));
    activate_action_ = new QAction(tr("&Make active"), this);
    activate_action_->setToolTip(tr("Quantize and Benchmark act on the selected training or comparison run"));
    activate_action_->setEnabled(false);
    delete_action_ = new QAction(tr("&Delete runs…"), this);
    delete_action_->setShortcut(QKeySequence::Delete);
    delete_action_->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    delete_action_->setToolTip(tr("Remove the selected runs from the store (their folders stay)"));
    export_action_ = new QAction(tr("E&xport report…"), this);
    export_action_->setShortcut(QKeySequence(tr("Ctrl+Shift+E")));
    export_action_->setToolTip(tr("Write report.json, runs.csv and the charts (PNG, SVG) of the selected runs"));
    addAction(delete_action_);  // Del only while the pane has focus
    connect(refresh_action_, &QAction::triggered, this, &ExperimentsPane::refresh);
    connect(activate_action_, &QAction::triggered, this, [this] {
        if (const QStringList ids = selectedRunIds(); ids.size() == 1) makeActive(ids.front());
    });
    connect(delete_action_, &QAction::triggered, this, &ExperimentsPane::deleteSelectedWithConfirmation);
    connect(export_action_, &QAction::triggered, this, &ExperimentsPane::exportWithDialog);

    // Two views: every run of the store, and sweeps (many runs planned from one SWEEP.json).
    views_ = new QTabWidget(this);
    views_->setObjectName("experimentViews");
    auto* runs_page = new QWidget(views_);
    auto* runs_layout = new QVBoxLayout(runs_page);
    runs_layout->setContentsMargins(0, 4, 0, 0);
    auto* bar = new QHBoxLayout;
    for (QAction* a : {refresh_action_, activate_action_, delete_action_, export_action_}) {
        auto* button = new QToolButton(this);
        button->setDefaultAction(a);
        button->setToolButtonStyle(Qt::ToolButtonTextOnly);
        bar->addWidget(button);
    }
    bar->addStretch(1);
    auto* hint = new QLabel(tr("Select one run for its details, two or more to compare them."), this);
    bar->addWidget(hint);
    runs_layout->addLayout(bar);
    filter_ = new QLineEdit(this);
    filter_->setObjectName("runsFilter");
    filter_->setPlaceholderText(tr("Filter runs: any part of id, kind, name, status, dataset, parent …"));
    filter_->setClearButtonEnabled(true);
    connect(filter_, &QLineEdit::textChanged, this, &ExperimentsPane::applyFilter);
    runs_layout->addWidget(filter_);

    auto* splitter = new QSplitter(Qt::Vertical, this);
    table_ = new QTableWidget(0, ColumnCount, splitter);
    table_->setObjectName("runsTable");
    table_->setHorizontalHeaderLabels({tr("id"), tr("kind"), tr("name"), tr("status"), tr("created"),
                                       tr("test accuracy"), tr("dataset"), tr("parent run")});
    table_->horizontalHeaderItem(MetricColumn)
        ->setToolTip(tr("On the test split: a training's, a comparison's multimodal network's, a quantized "
                        "network's (fake-quant); hover a cell for the metric's name"));
    table_->setSortingEnabled(true);
    table_->sortByColumn(CreatedColumn, Qt::DescendingOrder);  // newest first until the user sorts
    table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    table_->setSelectionMode(QAbstractItemView::ExtendedSelection);
    table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table_->verticalHeader()->hide();
    table_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    table_->horizontalHeader()->setStretchLastSection(true);
    table_->setAlternatingRowColors(true);
    splitter->addWidget(table_);

    tabs_ = new QTabWidget(splitter);
    tabs_->setObjectName("experimentTabs");
    auto* details = new QWidget(tabs_);
    auto* details_layout = new QVBoxLayout(details);
    details_title_ = new QLabel(tr("No run selected."), details);
    details_title_->setObjectName("runDetailsTitle");
    details_title_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    details_layout->addWidget(details_title_);
    auto* details_split = new QSplitter(Qt::Horizontal, details);
    tree_ = new QTreeWidget(details_split);
    tree_->setObjectName("runDetailsTree");
    tree_->setHeaderLabels({tr("field"), tr("value")});
    tree_->header()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    epoch_chart_ = new CurveChart(tr("Accuracy per epoch"), tr("accuracy"), details_split);
    epoch_chart_->setObjectName("runEpochChart");
    epoch_chart_->showFractionsInPercent();
    details_split->addWidget(tree_);
    details_split->addWidget(epoch_chart_);
    details_layout->addWidget(details_split, 1);
    tabs_->addTab(details, tr("Run details"));

    auto* compare = new QSplitter(Qt::Horizontal, tabs_);
    side_by_side_ = new QTableWidget(compare);
    side_by_side_->setObjectName("sideBySideTable");
    side_by_side_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    side_by_side_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    overlay_chart_ = new CurveChart(tr("Accuracy per epoch (overlay)"), tr("accuracy"), compare);
    overlay_chart_->setObjectName("overlayChart");
    overlay_chart_->showFractionsInPercent();
    compare->addWidget(side_by_side_);
    compare->addWidget(overlay_chart_);
    compare->setStretchFactor(0, 1);
    compare->setStretchFactor(1, 2);
    tabs_->addTab(compare, tr("Side by side"));
    splitter->addWidget(tabs_);
    splitter->setStretchFactor(0, 2);
    splitter->setStretchFactor(1, 3);
    runs_layout->addWidget(splitter, 1);
    views_->addTab(runs_page, tr("Runs"));
    sweeps_ = new SweepsView(workbench, runner(), views_);
    views_->addTab(sweeps_, tr("Sweeps"));
    contentLayout()->addWidget(views_, 1);
    connect(sweeps_, &SweepsView::errorOccurred, this, &ExperimentsPane::showError);
    connect(sweeps_, &SweepsView::info, banner(), &MessageBanner::showInfo);
    connect(sweeps_, &SweepsView::storeChanged, this, &ExperimentsPane::refresh);

    connect(table_, &QTableWidget::itemSelectionChanged, this, &ExperimentsPane::onSelectionChanged);
    connect(&workbench, &Workbench::workspaceChanged, this, &ExperimentsPane::refresh);
    connect(&workbench, &Workbench::runChanged, this, &ExperimentsPane::refresh);
    connect(&workbench, &Workbench::planChanged, this, &ExperimentsPane::refresh);
}

QList<QAction*> ExperimentsPane::mainActions() const { return {refresh_action_, export_action_}; }

void ExperimentsPane::showEvent(QShowEvent* event) {
    Pane::showEvent(event);
    refresh();
}

void ExperimentsPane::refresh() {
    const QStringList selected = selectedRunIds();
    std::vector<experiment::RunRecord> runs;
    try {
        experiment::ExperimentStore store(workbench().workspace().toStdString());
        runs = store.listRuns();
    } catch (const std::exception& e) {
        showError(QString::fromUtf8(e.what()));
        return;
    }
    const QSignalBlocker block(table_);
    table_->setSortingEnabled(false);  // rows are filled by index
    table_->setRowCount(0);
    table_->setRowCount(static_cast<int>(runs.size()));
    for (int row = 0; row < static_cast<int>(runs.size()); ++row) {
        const auto& r = runs[static_cast<std::size_t>(row)];
        const auto key = workflow::keyMetric(r);
        const QString dataset = datasetOf(r);
        QString parent_tip;
        const QString parent = parentOf(r, &parent_tip);
        const QStringList cells{qs(r.id), qs(r.kind), qs(r.name), qs(r.status), localTime(r.created_at),
                                key ? formatMetric(*key) : QString(), QDir(dataset).dirName(), parent};
        for (int c = 0; c < ColumnCount; ++c) {
            QTableWidgetItem* item = nullptr;
            if (c == MetricColumn && key)
                item = new NumberItem(cells[c], key->value);
            else if (c == CreatedColumn)  // by the instant, milliseconds included
                item = new NumberItem(cells[c], static_cast<double>(
                    QDateTime::fromString(qs(r.created_at), Qt::ISODateWithMs).toMSecsSinceEpoch()));
            else
                item = new QTableWidgetItem(cells[c]);
            item->setData(Qt::UserRole, qs(r.id));
            if (c == MetricColumn && key) item->setToolTip(qs(key->name));
            if (c == CreatedColumn) item->setToolTip(qs(r.created_at));
            if (c == DatasetColumn) item->setToolTip(dataset);
            if (c == ParentColumn) item->setToolTip(parent_tip);
            if (c == StatusColumn && !r.error.empty()) item->setToolTip(qs(r.error));
            if (c == StatusColumn && r.status == "failed") item->setForeground(QColor(178, 24, 43));
            if (c == StatusColumn && (r.status == "cancelled" || r.status == "interrupted"))
                item->setForeground(QColor(150, 110, 0));
            table_->setItem(row, c, item);
        }
    }
    table_->setSortingEnabled(true);  // sorts again by the column the user last chose
    applyFilter();
    selectRuns(selected);
}

int ExperimentsPane::runCount() const { return table_->rowCount(); }

int ExperimentsPane::shownRunCount() const {
    int shown = 0;
    for (int row = 0; row < table_->rowCount(); ++row) shown += table_->isRowHidden(row) ? 0 : 1;
    return shown;
}

void ExperimentsPane::setFilter(const QString& text) { filter_->setText(text); }

void ExperimentsPane::applyFilter() {
    const QString text = filter_->text().trimmed();
    for (int row = 0; row < table_->rowCount(); ++row) {
        bool match = text.isEmpty();
        for (int c = 0; c < ColumnCount && !match; ++c) {
            const QTableWidgetItem* item = table_->item(row, c);
            match = item && (item->text().contains(text, Qt::CaseInsensitive) ||
                             item->toolTip().contains(text, Qt::CaseInsensitive));
        }
        table_->setRowHidden(row, !match);
    }
}

QStringList ExperimentsPane::runIds() const {
    QStringList ids;
    for (int row = 0; row < table_->rowCount(); ++row) ids << table_->item(row, IdColumn)->text();
    return ids;
}

QString ExperimentsPane::statusOf(const QString& id) const {
    for (int row = 0; row < table_->rowCount(); ++row)
        if (table_->item(row, IdColumn)->text() == id) return table_->item(row, StatusColumn)->text();
    return {};
}

void ExperimentsPane::selectRuns(const QStringList& ids) {
    {
        const QSignalBlocker block(table_);
        table_->clearSelection();
        for (int row = 0; row < table_->rowCount(); ++row)
            if (ids.contains(table_->item(row, IdColumn)->text()))
                table_->selectionModel()->select(table_->model()->index(row, 0),
                                                 QItemSelectionModel::Select | QItemSelectionModel::Rows);
    }
    onSelectionChanged();
}

QStringList ExperimentsPane::selectedRunIds() const {
    QStringList ids;
    for (int row = 0; row < table_->rowCount(); ++row)
        if (table_->selectionModel()->isRowSelected(row, QModelIndex())) ids << table_->item(row, IdColumn)->text();
    return ids;
}

void ExperimentsPane::onSelectionChanged() {
    const QStringList ids = selectedRunIds();
    delete_action_->setEnabled(!ids.isEmpty());
    activate_action_->setEnabled(ids.size() == 1);
    if (ids.size() == 1) {
        showDetails(ids.front());
        tabs_->setCurrentIndex(0);
    } else if (ids.size() >= 2) {
        showSideBySide(ids);
        tabs_->setCurrentIndex(1);
    }
}

bool ExperimentsPane::makeActive(const QString& id) {
    try {
        experiment::ExperimentStore store(workbench().workspace().toStdString());
        for (const workflow::TrainedRun& run : workflow::trainedRuns(store, "")) {
            if (qs(run.record.id) != id) continue;
            workbench().setRunDir(qs(run.folder));
            banner()->showInfo(tr("Run %1 (%2) is now the run Quantize and Benchmark use.").arg(id, qs(run.folder)));
            return true;
        }
        showError(tr("Run %1 cannot be made active: only finished training and comparison runs whose folder "
                     "still holds their network (checkpoints/best.pt) can be quantized and benchmarked.")
                      .arg(id));
    } catch (const std::exception& e) {
        showError(QString::fromUtf8(e.what()));
    }
    return false;
}

void ExperimentsPane::showDetails(const QString& id) {
    tree_->clear();
    epoch_chart_->clear();
    try {
        experiment::ExperimentStore store(workbench().workspace().toStdString());
        if (!store.findRun(id.toStdString())) {
            details_title_->setText(tr("Run %1 is no longer in the store.").arg(id));
            return;
        }
        const workflow::ReportedRun reported = workflow::reportedRun(store, id.toStdString());
        const auto* run = &reported.run;
        const auto& epochs = reported.epochs;
        const auto& artifacts = reported.artifacts;
        const QString continues =
            run->resumed_from.empty() ? QString() : tr(" · continues %1").arg(qs(run->resumed_from));
        details_title_->setText(tr("<b>%1</b> · %2 · %3 · created %4%5%6")
                                    .arg(qs(run->id), qs(run->kind), qs(run->status), qs(run->created_at), continues,
                                         run->error.empty() ? QString() : " · " + qs(run->error).toHtmlEscaped()));
        auto* root = tree_->invisibleRootItem();
        json metrics = json::object();
        for (const auto& m : workflow::runMetrics(*run)) metrics[m.name] = m.value;
        addJsonItem(root, tr("metrics"), metrics);
        addJsonItem(root, tr("params"), run->params);
        addJsonItem(root, tr("result"), run->result);
        json files = json::object();
        for (const auto& a : artifacts) files[a.name] = a.path;
        addJsonItem(root, tr("artifacts"), files);
        addJsonItem(root, tr("spec"), run->spec);
        if (!run->data_fingerprint.empty()) addJsonItem(root, tr("data fingerprint"), run->data_fingerprint);
        if (QTreeWidgetItem* first = root->child(0)) first->setExpanded(true);
        if (root->childCount() > 3) root->child(3)->setExpanded(true);

        const auto history = workflow::runHistory(*run, epochs);
        const int train = epoch_chart_->addSeries(tr("train"));
        const int val = epoch_chart_->addSeries(tr("validation"), true);
        for (const auto& p : history) {
            epoch_chart_->append(train, p.epoch, p.train_accuracy);
            if (p.val_loss > 0) epoch_chart_->append(val, p.epoch, p.val_accuracy);
        }
    } catch (const std::exception& e) {
        showError(QString::fromUtf8(e.what()));
    }
}

void ExperimentsPane::showSideBySide(const QStringList& ids) {
    side_by_side_->clear();
    std::vector<workflow::ReportedRun> runs;
    try {
        experiment::ExperimentStore store(workbench().workspace().toStdString());
        for (const QString& id : ids)
            if (auto run = store.findRun(id.toStdString())) runs.push_back({*run, store.epochs(run->id), {}});
    } catch (const std::exception& e) {
        showError(QString::fromUtf8(e.what()));
        return;
    }
    // Rows: kind, status, then the union of the runs' metrics in first-seen order.
    std::vector<std::string> names;
    std::set<std::string> seen;
    std::vector<std::map<std::string, workflow::RunMetric>> values;
    for (const auto& reported : runs) {
        std::map<std::string, workflow::RunMetric> row;
        for (const auto& m : workflow::runMetrics(reported.run)) {
            if (seen.insert(m.name).second) names.push_back(m.name);
            row[m.name] = m;
        }
        values.push_back(std::move(row));
    }
    side_by_side_->setColumnCount(static_cast<int>(runs.size()));
    side_by_side_->setRowCount(static_cast<int>(names.size()) + 2);
    QStringList headers, rows{tr("kind"), tr("status")};
    for (const auto& n : names) rows << qs(n);
    for (const auto& reported : runs) headers << runLabel(reported.run);
    side_by_side_->setHorizontalHeaderLabels(headers);
    side_by_side_->setVerticalHeaderLabels(rows);
    for (int c = 0; c < static_cast<int>(runs.size()); ++c) {
        const auto& r = runs[static_cast<std::size_t>(c)].run;
        side_by_side_->setItem(0, c, new QTableWidgetItem(qs(r.kind)));
        side_by_side_->setItem(1, c, new QTableWidgetItem(qs(r.status)));
        for (int i = 0; i < static_cast<int>(names.size()); ++i) {
            const auto& row = values[static_cast<std::size_t>(c)];
            const auto it = row.find(names[static_cast<std::size_t>(i)]);
            side_by_side_->setItem(i + 2, c, new QTableWidgetItem(it == row.end() ? QString() : formatMetric(it->second)));
        }
    }
    // Rows whose runs differ are highlighted, so what changed between them stands out.
    for (int r = 0; r < side_by_side_->rowCount(); ++r) {
        QSet<QString> distinct;
        for (int c = 0; c < side_by_side_->columnCount(); ++c)
            if (const QTableWidgetItem* item = side_by_side_->item(r, c)) distinct.insert(item->text());
        if (distinct.size() < 2) continue;
        for (int c = 0; c < side_by_side_->columnCount(); ++c)
            if (QTableWidgetItem* item = side_by_side_->item(r, c)) item->setBackground(kDifferenceColor);
    }
    fillOverlay(*overlay_chart_, runs);
}

bool ExperimentsPane::deleteRun(const QString& id) {
    bool deleted = false;
    try {
        experiment::ExperimentStore store(workbench().workspace().toStdString());
        deleted = store.deleteRun(id.toStdString());
    } catch (const std::exception& e) {
        showError(QString::fromUtf8(e.what()));
        return false;
    }
    if (!deleted) showError(tr("Run %1 is not in the store (already deleted?).").arg(id));
    refresh();
    return deleted;
}

void ExperimentsPane::deleteSelectedWithConfirmation() {
    const QStringList ids = selectedRunIds();
    if (ids.isEmpty()) return;
    const auto answer = QMessageBox::question(
        this, tr("Delete runs"),
        tr("Remove %n run(s) from the experiment store? Their folders on disk are kept.", nullptr, ids.size()),
        QMessageBox::Yes | QMessageBox::No, QMessageBox::No);
    if (answer != QMessageBox::Yes) return;
    for (const QString& id : ids) deleteRun(id);
}

bool ExperimentsPane::exportReport(const QString& dir) {
    QStringList ids = selectedRunIds();
    if (ids.isEmpty()) ids = runIds();
    std::vector<workflow::ReportedRun> runs;
    try {
        experiment::ExperimentStore store(workbench().workspace().toStdString());
        for (const QString& id : ids)
            if (auto run = store.findRun(id.toStdString()))
                runs.push_back({*run, store.epochs(run->id), store.artifacts(run->id)});
    } catch (const std::exception& e) {
        showError(QString::fromUtf8(e.what()));
        return false;
    }
    if (runs.empty()) {
        showError(tr("There are no runs to export in %1.").arg(workbench().workspace()));
        return false;
    }
    if (!QDir().mkpath(dir)) {
        showError(tr("%1: cannot create the report folder").arg(dir));
        return false;
    }
    std::vector<experiment::RunRecord> records;
    for (const auto& r : runs) records.push_back(r.run);
    const QDir out(dir);
    auto write = [this](const QString& path, const std::string& text) {
        try {
            writeFileAtomically(path.toStdString(), text);
        } catch (const std::exception& e) {
            showError(QString::fromUtf8(e.what()));
            return false;
        }
        return true;
    };
    if (!write(out.filePath("report.json"), workflow::runsReport(runs).dump(2) + "\n")) return false;
    if (!write(out.filePath("runs.csv"), workflow::runsCsv(records))) return false;

    // The charts are drawn again off screen at a fixed size, for every exported run.
    const QSize size(960, 600);
    CurveChart curves(tr("Accuracy per epoch"), tr("accuracy"));
    curves.showFractionsInPercent();
    fillOverlay(curves, runs);
    QChartView key;
    key.setRenderHint(QPainter::Antialiasing);
    fillKeyMetricChart(key, runs);
    QString error;
    for (const auto& [view, name] : {std::pair<QChartView*, QString>{&curves, "accuracy_curves"},
                                     std::pair<QChartView*, QString>{&key, "key_metric"}})
        if (!saveChartImages(*view, out.filePath(name), size, &error)) {
            showError(error);
            return false;
        }
    banner()->showInfo(tr("Report of %n run(s) written to %1", nullptr, static_cast<int>(runs.size())).arg(dir));
    return true;
}

void ExperimentsPane::exportWithDialog() {
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Report folder"), workbench().workspace());
    if (!dir.isEmpty()) exportReport(dir);
}

}  // namespace tm2::gui
