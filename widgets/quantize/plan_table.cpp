#include "widgets/quantize/plan_table.h"

#include <QFont>
#include <QHeaderView>

namespace tm2::gui {

namespace {

QTableWidgetItem* makeItem(const QString& text, bool right = true) {
    auto* it = new QTableWidgetItem(text);
    it->setFlags(Qt::ItemIsSelectable | Qt::ItemIsEnabled);
    if (right) it->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    return it;
}

QString percent(double fraction) { return QString::number(100 * fraction, 'f', 1) + " %"; }

}  // namespace

PlanTable::PlanTable(QWidget* parent) : QTableWidget(0, Columns, parent) {
    setObjectName("planTable");
    setHorizontalHeaderLabels({tr("Plan"), tr("Accuracy"), tr("Integer acc."), tr("Size (KiB)"),
                               tr("BOPS (M)"), tr("Created (UTC)")});
    horizontalHeaderItem(Accuracy)->setToolTip(
        tr("Test accuracy of the fake-quantized network (float simulation)"));
    horizontalHeaderItem(IntegerAccuracy)
        ->setToolTip(tr("Test accuracy of the integer-exact network: what the exported model scores"));
    horizontalHeaderItem(Size)->setToolTip(tr("Weights and int32 biases of the quantized model"));
    horizontalHeaderItem(Bops)->setToolTip(
        tr("Bit operations of one inference: Σ MACs × weight bits × input bits"));
    horizontalHeader()->setSectionResizeMode(Name, QHeaderView::Stretch);
    for (int c = Accuracy; c < Columns; ++c)
        horizontalHeader()->setSectionResizeMode(c, QHeaderView::ResizeToContents);
    verticalHeader()->hide();
    setSelectionBehavior(QAbstractItemView::SelectRows);
    setSelectionMode(QAbstractItemView::SingleSelection);
    setAlternatingRowColors(true);
    setToolTip(
        tr("Every plan of the run, kept side by side. Click one to show its bits and make it the plan "
           "Benchmark and export use for its mode (bold: in use)."));
    connect(this, &QTableWidget::itemSelectionChanged, this, [this] {
        const auto rows = selectionModel()->selectedRows();
        if (rows.size() != 1) return;
        const int row = rows.front().row();
        if (row >= 0 && row < static_cast<int>(plans_.size())) Q_EMIT planChosen(plans_[row]);
    });
}

void PlanTable::setPlans(const std::vector<workflow::RunPlan>& plans, const QStringList& in_use) {
    const QSignalBlocker quiet(this);  // a refresh is not a choice
    plans_ = plans;
    clearSelection();
    setRowCount(0);
    setRowCount(static_cast<int>(plans.size()));
    for (int row = 0; row < rowCount(); ++row) {
        const auto& p = plans_[row];
        setItem(row, Name, makeItem(QString::fromStdString(p.name), false));
        item(row, Name)->setToolTip(QString::fromStdString(p.path));
        setItem(row, Accuracy, makeItem(percent(p.accuracy)));
        setItem(row, IntegerAccuracy,
                makeItem(p.integer_accuracy ? percent(*p.integer_accuracy) : tr("n/a")));
        setItem(row, Size, makeItem(QString::number(p.model_bytes / 1024, 'f', 2)));
        setItem(row, Bops, makeItem(QString::number(p.bops / 1e6, 'f', 3)));
        setItem(row, Created,
                makeItem(QString::fromStdString(p.created).replace('T', ' ').remove('Z'), false));
        if (in_use.contains(QString::fromStdString(p.path)))
            for (int c = 0; c < Columns; ++c) {
                QFont bold = item(row, c)->font();
                bold.setBold(true);
                item(row, c)->setFont(bold);
            }
    }
}

bool PlanTable::choose(const QString& name) {
    for (int row = 0; row < rowCount(); ++row)
        if (item(row, Name)->text() == name) {
            clearSelection();  // choosing the selected row again still counts
            selectRow(row);
            return true;
        }
    return false;
}

}  // namespace tm2::gui
