#pragma once
// Paints a designer block (one layer in a branch column) with a rounded border:
// red and thicker when the block's spec row has an error (kBlockErrorRole).

#include <QStyledItemDelegate>

namespace tm2::gui {

constexpr int kBlockErrorRole = Qt::UserRole + 1;  // the block's error text, empty when fine

class BlockDelegate : public QStyledItemDelegate {
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;
    void paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const override;
    QSize sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const override;
};

}  // namespace tm2::gui
