#include "widgets/designer/block_delegate.h"

#include <QPainter>

namespace tm2::gui {

void BlockDelegate::paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const {
    QStyledItemDelegate::paint(painter, option, index);
    painter->save();
    const bool error = !index.data(kBlockErrorRole).toString().isEmpty();
    painter->setPen(QPen(error ? QColor("#d32f2f") : QColor("#b0b8c4"), error ? 2.5 : 1.0));
    painter->drawRoundedRect(QRectF(option.rect).adjusted(1.5, 1.5, -1.5, -1.5), 4, 4);
    painter->restore();
}

QSize BlockDelegate::sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const {
    const QSize s = QStyledItemDelegate::sizeHint(option, index);
    return {s.width(), s.height() + 10};
}

}  // namespace tm2::gui
