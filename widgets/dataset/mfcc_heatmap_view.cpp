#include "widgets/dataset/mfcc_heatmap_view.h"

#include <QFontMetrics>
#include <QPainter>
#include <algorithm>
#include <cmath>

#include "widgets/common/nice_step.h"
#include "widgets/dataset/heatmap_image.h"

namespace tm2::gui {

namespace {

// Round tick values from 0 to `end`, about `count` of them (1, 2 or 5 × 10^k apart).
std::vector<double> ticks(double end, int count) {
    if (end <= 0) return {0};
    const double step = niceStep(end / count);
    std::vector<double> out;
    for (double v = 0; v <= end + 1e-9; v += step) out.push_back(v);
    return out;
}

QString tickText(double v) { return QString::number(v, 'g', 3); }

}  // namespace

MfccHeatmapView::MfccHeatmapView(const workflow::Heatmap& map, double seconds_per_frame, QWidget* parent)
    : QWidget(parent), image_(heatmapImage(map)), rows_(map.rows), cols_(map.cols),
      seconds_per_frame_(seconds_per_frame) {
    setObjectName("previewMfcc");
    workflow::Heatmap bar;
    bar.rows = 64;
    bar.cols = 1;
    for (std::size_t i = 0; i < bar.rows; ++i) bar.values.push_back(static_cast<float>(i) / (bar.rows - 1));
    colour_bar_ = heatmapImage(bar);
}

QStringList MfccHeatmapView::labels() const {
    QStringList out{seconds_per_frame_ > 0 ? tr("time (s)") : tr("frame"), tr("coefficient"), tr("max"), tr("min")};
    const double span = seconds_per_frame_ > 0 ? cols_ * seconds_per_frame_ : static_cast<double>(cols_);
    for (double t : ticks(span, 4)) out << tickText(t);
    for (double c : ticks(std::max<double>(0, static_cast<double>(rows_) - 1), 3)) out << tickText(c);
    return out;
}

void MfccHeatmapView::paintEvent(QPaintEvent*) {
    QPainter p(this);
    const QFontMetrics fm = fontMetrics();
    const int left = fm.horizontalAdvance("00") + fm.height() + 8;  // ticks + rotated title
    const int bottom = 2 * fm.height() + 6;                         // ticks + title
    const int bar_width = 12, right = bar_width + fm.horizontalAdvance("max") + 14;
    const QRect plot(left, 4, std::max(10, width() - left - right), std::max(10, height() - 4 - bottom));
    if (!image_.isNull()) p.drawImage(plot, image_);  // row 0 (c0) is already at the bottom
    p.setPen(palette().color(QPalette::WindowText));
    p.drawRect(plot.adjusted(0, 0, -1, -1));

    // Time (or frame) axis.
    const double span = seconds_per_frame_ > 0 ? cols_ * seconds_per_frame_ : static_cast<double>(cols_);
    for (double t : ticks(span, 4)) {
        const int x = plot.left() + static_cast<int>(std::lround(span > 0 ? t / span * plot.width() : 0));
        p.drawLine(x, plot.bottom(), x, plot.bottom() + 3);
        const QString text = tickText(t);
        p.drawText(QRect(x - 30, plot.bottom() + 4, 60, fm.height()), Qt::AlignHCenter | Qt::AlignTop, text);
    }
    p.drawText(QRect(plot.left(), plot.bottom() + 4 + fm.height(), plot.width(), fm.height()), Qt::AlignCenter,
               seconds_per_frame_ > 0 ? tr("time (s)") : tr("frame"));

    // Coefficient axis: c0 at the bottom, each tick at the middle of its row.
    const double row_height = rows_ > 0 ? static_cast<double>(plot.height()) / rows_ : 0;
    for (double c : ticks(std::max<double>(0, static_cast<double>(rows_) - 1), 3)) {
        const int y = plot.bottom() - static_cast<int>(std::lround((c + 0.5) * row_height));
        p.drawLine(plot.left() - 3, y, plot.left(), y);
        p.drawText(QRect(plot.left() - 40, y - fm.height() / 2, 36, fm.height()), Qt::AlignRight | Qt::AlignVCenter,
                   tickText(c));
    }
    p.save();
    p.translate(fm.height() / 2 + 2, plot.center().y());
    p.rotate(-90);
    p.drawText(QRect(-plot.height() / 2, -fm.height() / 2, plot.height(), fm.height()), Qt::AlignCenter,
               tr("coefficient"));
    p.restore();

    // Colour bar: each coefficient's own minimum (bottom) to maximum (top).
    const QRect bar(plot.right() + 8, plot.top(), bar_width, plot.height());
    p.drawImage(bar, colour_bar_);
    p.drawRect(bar.adjusted(0, 0, -1, -1));
    p.drawText(QRect(bar.right() + 3, bar.top(), right, fm.height()), Qt::AlignLeft | Qt::AlignTop, tr("max"));
    p.drawText(QRect(bar.right() + 3, bar.bottom() - fm.height(), right, fm.height()), Qt::AlignLeft | Qt::AlignBottom,
               tr("min"));
}

}  // namespace tm2::gui
