#include "widgets/quantize/mode_summary_table.h"

#include <QFileInfo>
#include <QHeaderView>

#include "widgets/common/table_cell.h"

namespace tm2::gui {

namespace {

enum Column { Accuracy, IntegerAccuracy, Delta, Size, Bops, Plan, Columns };

QString percent(double fraction) { return QString::number(100.0 * fraction, 'f', 1) + " %"; }
QString kib(double bytes) { return QString::number(bytes / 1024.0, 'f', 1) + " KiB"; }

}  // namespace

ModeSummaryTable::ModeSummaryTable(QWidget* parent) : QTableWidget(Rows, Columns, parent) {
    setObjectName("modeSummaryTable");
    setHorizontalHeaderLabels({tr("Test accuracy"), tr("Integer-exact"), tr("Δ vs FP32"), tr("Model size"),
                               tr("BOPS"), tr("Plan")});
    horizontalHeaderItem(IntegerAccuracy)
        ->setToolTip(tr("The quantized network evaluated as the integer runtime computes it (dyadic "
                        "requantization): the accuracy the exported model scores"));
    setVerticalHeaderLabels({"FP32", "INT8", "INT4", tr("Mixed (MP)")});
    horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    horizontalHeader()->setStretchLastSection(true);
    setSizeAdjustPolicy(QAbstractScrollArea::AdjustToContents);
    setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Maximum);
    clearResults();
}

void ModeSummaryTable::clearResults() {
    for (int r = 0; r < Rows; ++r)
        for (int c = 0; c < Columns; ++c)
            setItem(r, c, readOnlyCell(r == Fp32 || c != Accuracy ? QString() : tr("not run")));
}

void ModeSummaryTable::setResult(const QString& mode, const nlohmann::json& j) {
    const int row = mode == "int8" ? Int8 : mode == "int4" ? Int4 : Mixed;
    const double acc = j.value("accuracy", 0.0), fp32 = j.value("fp32_accuracy", 0.0);
    const double delta = 100.0 * j.value("accuracy_delta", acc - fp32);
    setItem(row, Accuracy, readOnlyCell(percent(acc)));
    const QString integer =
        j.contains("integer_accuracy") ? percent(j["integer_accuracy"].get<double>()) : tr("n/a");
    setItem(row, IntegerAccuracy, readOnlyCell(integer));
    setItem(row, Delta, readOnlyCell(QString("%1%2 pts").arg(delta >= 0 ? "+" : "").arg(delta, 0, 'f', 1)));
    setItem(row, Size, readOnlyCell(kib(j.value("model_bytes", 0.0))));
    setItem(row, Bops, readOnlyCell(QString::number(j.value("bops", 0.0) / 1e6, 'f', 2) + " M"));
    // The file name: the folder is the run's (shown above the table); the full path in the tooltip.
    const QString plan = QString::fromStdString(j.value("plan", ""));
    setItem(row, Plan, readOnlyCell(QFileInfo(plan).fileName()));
    item(row, Plan)->setToolTip(plan);
    item(row, Plan)->setTextAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    setItem(Fp32, Accuracy, readOnlyCell(percent(fp32)));
    setItem(Fp32, Delta, readOnlyCell("0.0 pts"));
    setItem(Fp32, Size, readOnlyCell(kib(j.value("fp32_model_bytes", 0.0))));
    setItem(Fp32, Bops, readOnlyCell(tr("float")));
}

QString ModeSummaryTable::integerAccuracyText(int row) const {
    return item(row, IntegerAccuracy) ? item(row, IntegerAccuracy)->text() : QString();
}

QString ModeSummaryTable::accuracyText(int row) const {
    const QString t = item(row, Accuracy) ? item(row, Accuracy)->text() : QString();
    return t == tr("not run") ? QString() : t;
}

}  // namespace tm2::gui
