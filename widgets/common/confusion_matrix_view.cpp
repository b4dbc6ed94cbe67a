#include "widgets/common/confusion_matrix_view.h"

#include <QColor>
#include <QFont>
#include <QHeaderView>
#include <algorithm>

namespace tm2::gui {

ConfusionMatrixView::ConfusionMatrixView(QWidget* parent) : QTableWidget(parent) {
    setEditTriggers(QAbstractItemView::NoEditTriggers);
    setSelectionMode(QAbstractItemView::NoSelection);
    horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    verticalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    // Ten classes must fit side by side in a third of a 1280-px window: a point smaller
    // than the window's text, columns as narrow as two digits.
    QFont small = font();
    if (small.pointSizeF() > 0) small.setPointSizeF(std::max(7.0, small.pointSizeF() - 1));
    setFont(small);
    horizontalHeader()->setFont(small);
    verticalHeader()->setFont(small);
    horizontalHeader()->setMinimumSectionSize(16);
    verticalHeader()->setMinimumSectionSize(14);
    setToolTip(tr("Rows: true class · columns: predicted class (by number) · shade: share of the row"));
}

void ConfusionMatrixView::setMatrix(const std::vector<std::vector<long>>& confusion, const QStringList& classes) {
    const int n = static_cast<int>(confusion.size());
    clear();
    setRowCount(n);
    setColumnCount(n);
    QStringList labels, rows, columns;
    for (int i = 0; i < n; ++i) labels << (i < classes.size() ? classes[i] : QString::number(i));
    // Names on the rows; the columns carry the class number (names of ten classes do not
    // fit above ten narrow columns), the row headers say which number is which.
    for (int i = 0; i < n; ++i) {
        rows << (labels[i] == QString::number(i) ? labels[i] : QString("%1 %2").arg(i).arg(labels[i]));
        columns << QString::number(i);
    }
    setHorizontalHeaderLabels(columns);
    setVerticalHeaderLabels(rows);
    for (int i = 0; i < n; ++i) horizontalHeaderItem(i)->setToolTip(tr("predicted %1").arg(labels[i]));
    for (int r = 0; r < n; ++r) {
        long row_total = 0;
        for (long v : confusion[r]) row_total += v;
        for (int c = 0; c < n; ++c) {
            const long v = c < static_cast<int>(confusion[r].size()) ? confusion[r][c] : 0;
            auto* item = new QTableWidgetItem(QString::number(v));
            item->setTextAlignment(Qt::AlignCenter);
            const double share = row_total > 0 ? static_cast<double>(v) / static_cast<double>(row_total) : 0.0;
            // Diagonal in blue (correct), off-diagonal in red (confusions).
            const QColor base = r == c ? QColor(33, 102, 172) : QColor(178, 24, 43);
            QColor fill = base;
            fill.setAlphaF(static_cast<float>(0.08 + 0.8 * share));
            item->setBackground(v > 0 ? fill : QColor(Qt::transparent));
            if (share > 0.55) item->setForeground(Qt::white);
            item->setToolTip(tr("true %1 → predicted %2: %3 (%4 % of the row)")
                                 .arg(labels[r], labels[c])
                                 .arg(v)
                                 .arg(100.0 * share, 0, 'f', 1));
            setItem(r, c, item);
        }
    }
}

long ConfusionMatrixView::count(int true_class, int predicted_class) const {
    const QTableWidgetItem* it = item(true_class, predicted_class);
    return it ? it->text().toLong() : -1;
}

}  // namespace tm2::gui
