#include "widgets/common/run_picker.h"

#include <QComboBox>
#include <QDateTime>
#include <QDir>
#include <QHBoxLayout>
#include <QLabel>
#include <QSignalBlocker>
#include <QVBoxLayout>
#include <exception>

#include "core/experiment/experiment_store.h"
#include "core/workflow/run_catalog.h"
#include "widgets/workbench.h"

namespace tm2::gui {

namespace {

QString qs(const std::string& s) { return QString::fromStdString(s); }

// "train · 2026-12-06 21:07 · test accuracy 67.0 % · my-run"
QString describe(const workflow::TrainedRun& run) {
    QStringList parts{qs(run.record.kind)};
    const QDateTime created = QDateTime::fromString(qs(run.record.created_at), Qt::ISODateWithMs);
    parts << (created.isValid() ? created.toLocalTime().toString("yyyy-MM-dd hh:mm") : qs(run.record.created_at));
    if (run.metric) {
        const QString name = qs(run.metric->name).replace('_', ' ');
        parts << QObject::tr("%1 %2 %").arg(name).arg(100.0 * run.metric->value, 0, 'f', 1);
    } else {
        parts << QObject::tr("no test figures");
    }
    if (!run.record.name.empty()) parts << qs(run.record.name);
    return parts.join("  ·  ");
}

}  // namespace

RunPicker::RunPicker(Workbench& workbench, QWidget* parent) : QWidget(parent), workbench_(workbench) {
    setObjectName("runPicker");
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto* row = new QHBoxLayout;
    auto* label = new QLabel(tr("Trained run:"), this);
    combo_ = new QComboBox(this);
    combo_->setObjectName("runPickerCombo");
    combo_->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    combo_->setMinimumContentsLength(40);
    combo_->setToolTip(tr("The finished training and comparison runs of the open dataset. "
                          "Quantize and Benchmark act on the one chosen here."));
    label->setBuddy(combo_);
    row->addWidget(label);
    row->addWidget(combo_, 1);
    layout->addLayout(row);
    warning_ = new QLabel(this);
    warning_->setObjectName("runPickerWarning");
    warning_->setWordWrap(true);
    warning_->setStyleSheet("color: #8a5a00;");
    warning_->hide();
    layout->addWidget(warning_);

    connect(combo_, qOverload<int>(&QComboBox::activated), this, &RunPicker::onActivated);
    connect(&workbench_, &Workbench::runChanged, this, &RunPicker::refresh);
    connect(&workbench_, &Workbench::datasetChanged, this, &RunPicker::refresh);
    connect(&workbench_, &Workbench::workspaceChanged, this, &RunPicker::refresh);
    refresh();
}

void RunPicker::showEvent(QShowEvent* event) {
    QWidget::showEvent(event);
    refresh();
}

void RunPicker::refresh() {
    const QSignalBlocker block(combo_);
    combo_->clear();
    const QString active = workbench_.runDir();
    const std::string dataset = workbench_.hasDataset() ? workbench_.dataset().path : std::string();
    std::vector<workflow::TrainedRun> runs;
    QString store_error;
    try {
        if (!workbench_.workspace().isEmpty()) {
            const experiment::ExperimentStore store(workbench_.workspace().toStdString());
            runs = workflow::trainedRuns(store, dataset);
        }
    } catch (const std::exception& e) {
        store_error = QString::fromUtf8(e.what());
    }
    int active_index = -1;
    for (const auto& run : runs) {
        combo_->addItem(describe(run), qs(run.folder));
        combo_->setItemData(combo_->count() - 1, QDir::toNativeSeparators(qs(run.folder)), Qt::ToolTipRole);
        if (workflow::sameFolder(run.folder, active.toStdString())) active_index = combo_->count() - 1;
    }
    if (!active.isEmpty() && active_index < 0) {
        // Active but not offered: another dataset's run, or one the store does not know.
        combo_->insertItem(0, tr("%1  (not a finished run of the open dataset)").arg(QDir(active).dirName()), active);
        active_index = 0;
    }
    if (combo_->count() == 0)
        combo_->addItem(store_error.isEmpty() ? tr("No trained run of this dataset yet: train one in the Train pane.")
                                              : tr("Runs unavailable: %1").arg(store_error),
                        QString());
    combo_->setCurrentIndex(std::max(active_index, 0));

    QString warning;
    if (!active.isEmpty() && !dataset.empty()) {
        const std::string trained_on = workflow::runDatasetFolder(active.toStdString());
        if (!trained_on.empty() && !workflow::sameFolder(trained_on, dataset))
            warning = tr("The active run was trained on %1, not on the open dataset %2: pick a run of this dataset "
                         "or reopen that one.")
                          .arg(QDir::toNativeSeparators(qs(trained_on)), QDir::toNativeSeparators(qs(dataset)));
    }
    warning_->setText(warning);
    warning_->setVisible(!warning.isEmpty());
}

QStringList RunPicker::folders() const {
    QStringList out;
    for (int i = 0; i < combo_->count(); ++i)
        if (const QString f = combo_->itemData(i).toString(); !f.isEmpty()) out << f;
    return out;
}

void RunPicker::pick(const QString& folder) {
    if (folder.isEmpty() || folder == workbench_.runDir()) return;
    workbench_.setRunDir(folder);  // runChanged → refresh
}

void RunPicker::onActivated(int index) { pick(combo_->itemData(index).toString()); }

QString RunPicker::warning() const { return warning_->text(); }

}  // namespace tm2::gui
