#pragma once
// A read-only table cell (selectable, not editable), right-aligned for figures
// unless told otherwise: the result tables' one way to show a value.

#include <QTableWidgetItem>

namespace tm2::gui {

inline QTableWidgetItem* readOnlyCell(const QString& text, Qt::Alignment alignment = Qt::AlignRight | Qt::AlignVCenter) {
    auto* item = new QTableWidgetItem(text);
    item->setFlags(Qt::ItemIsSelectable | Qt::ItemIsEnabled);
    item->setTextAlignment(alignment);
    return item;
}

}  // namespace tm2::gui
