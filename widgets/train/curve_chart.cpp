#include "widgets/train/curve_chart.h"

#include <QChart>
#include <QLegend>
#include <QLineSeries>
#include <QPen>
#include <QValueAxis>
#include <algorithm>
#include <limits>

namespace tm2::gui {

CurveChart::CurveChart(const QString& title, const QString& y_title, QWidget* parent) : QChartView(parent) {
    auto* chart = new QChart;
    chart->setTitle(title);
    chart->legend()->setAlignment(Qt::AlignBottom);
    chart->setMargins(QMargins(4, 4, 4, 4));
    x_axis_ = new QValueAxis(chart);
    x_axis_->setTitleText(tr("epoch"));
    x_axis_->setLabelFormat("%d");
    x_axis_->setRange(1, 2);
    y_axis_ = new QValueAxis(chart);
    y_axis_->setTitleText(y_title);
    y_axis_->setRange(0, 1);
    chart->addAxis(x_axis_, Qt::AlignBottom);
    chart->addAxis(y_axis_, Qt::AlignLeft);
    setChart(chart);
    setRenderHint(QPainter::Antialiasing);
    setMinimumSize(260, 200);
}

int CurveChart::addSeries(const QString& name, bool dashed) {
    auto* s = new QLineSeries;
    s->setName(name);
    s->setPointsVisible(true);
    chart()->addSeries(s);
    s->attachAxis(x_axis_);
    s->attachAxis(y_axis_);
    QPen pen = s->pen();  // the theme's colour, set when added
    pen.setWidthF(2.0);
    if (dashed) pen.setStyle(Qt::DashLine);
    s->setPen(pen);
    series_.push_back(s);
    return series_.size() - 1;
}

void CurveChart::append(int series, double x, double y) {
    if (series < 0 || series >= series_.size()) return;
    series_[series]->append(x, y);
    updateRanges();
}

void CurveChart::clear() {
    chart()->removeAllSeries();  // deletes them
    series_.clear();
    updateRanges();
}

void CurveChart::clearPoints() {
    for (QLineSeries* s : series_) s->clear();
    updateRanges();
}

void CurveChart::setFixedYRange(double min, double max) {
    fixed_y_ = true;
    y_axis_->setRange(min, max);
}

int CurveChart::pointCount(int series) const {
    return series >= 0 && series < series_.size() ? series_[series]->count() : 0;
}

QString CurveChart::seriesName(int series) const {
    return series >= 0 && series < series_.size() ? series_[series]->name() : QString();
}

void CurveChart::updateRanges() {
    double max_x = 1, min_y = std::numeric_limits<double>::max(), max_y = std::numeric_limits<double>::lowest();
    for (const QLineSeries* s : series_)
        for (const QPointF& p : s->points()) {
            max_x = std::max(max_x, p.x());
            min_y = std::min(min_y, p.y());
            max_y = std::max(max_y, p.y());
        }
    x_axis_->setRange(1, std::max(2.0, max_x));
    x_axis_->setTickCount(std::min(11, static_cast<int>(std::max(2.0, max_x))));
    if (fixed_y_) return;
    if (min_y > max_y) {
        y_axis_->setRange(0, 1);
        return;
    }
    const double pad = std::max(1e-3, 0.08 * (max_y - min_y));
    y_axis_->setRange(std::max(0.0, min_y - pad), max_y + pad);
    y_axis_->applyNiceNumbers();
}

}  // namespace tm2::gui
