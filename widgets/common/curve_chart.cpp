#include "widgets/common/curve_chart.h"

#include <QChart>
#include <QLegend>
#include <QLineSeries>
#include <QPen>
#include <QValueAxis>
#include <algorithm>
#include <cmath>
#include <limits>

#include "widgets/common/nice_step.h"

namespace tm2::gui {

double epochTickInterval(double span) { return std::max(1.0, niceStep(span / 8)); }  // ≤ ~8 intervals

CurveChart::CurveChart(const QString& title, const QString& y_title, QWidget* parent) : QChartView(parent) {
    auto* chart = new QChart;
    chart->setTitle(title);
    chart->legend()->setAlignment(Qt::AlignBottom);
    chart->setMargins(QMargins(4, 4, 4, 4));
    x_axis_ = new QValueAxis(chart);
    x_axis_->setTitleText(tr("epoch"));
    x_axis_->setLabelFormat("%d");
    // Ticks on whole epochs, every 1, 2, 5, 10, 20 … of them (never 37, 112).
    x_axis_->setTickType(QValueAxis::TicksDynamic);
    x_axis_->setTickAnchor(1);
    x_axis_->setRange(1, 2);
    y_axis_ = new QValueAxis(chart);
    y_axis_->setTitleText(y_title);
    y_axis_->setRange(0, 1);
    chart->addAxis(x_axis_, Qt::AlignBottom);
    chart->addAxis(y_axis_, Qt::AlignLeft);
    setChart(chart);
    setRenderHint(QPainter::Antialiasing);
    setMinimumSize(260, 200);
    applyRanges();
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
    if (percent_) y *= 100;
    series_[series]->append(x, y);
    // Ranges grow with each point (no rescan: per-batch series hold thousands).
    min_x_ = std::min(min_x_, x);
    max_x_ = std::max(max_x_, x);
    min_y_ = std::min(min_y_, y);
    max_y_ = std::max(max_y_, y);
    applyRanges();
}

void CurveChart::clearSeries(int series) {
    if (series < 0 || series >= series_.size()) return;
    series_[series]->clear();
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

void CurveChart::showFractionsInPercent() {
    percent_ = true;
    y_axis_->setTitleText(y_axis_->titleText() + " (%)");
    y_axis_->setLabelFormat("%.0f");
    y_axis_->setTickType(QValueAxis::TicksDynamic);
    y_axis_->setTickAnchor(0);
    y_axis_->setTickInterval(25);
    setFixedYRange(0, 100);
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
    min_x_ = 1;
    max_x_ = 1;
    min_y_ = std::numeric_limits<double>::max();
    max_y_ = std::numeric_limits<double>::lowest();
    for (const QLineSeries* s : series_)
        for (const QPointF& p : s->points()) {
            min_x_ = std::min(min_x_, p.x());
            max_x_ = std::max(max_x_, p.x());
            min_y_ = std::min(min_y_, p.y());
            max_y_ = std::max(max_y_, p.y());
        }
    applyRanges();
}

void CurveChart::applyRanges() {
    // Epochs count from 1; points within the first epoch (per batch) start before it.
    const double low = std::min(1.0, std::floor(min_x_));
    const double high = std::max(low + 1, max_x_);
    x_axis_->setRange(low, high);
    x_axis_->setTickInterval(epochTickInterval(high - low));
    if (fixed_y_) return;
    if (min_y_ > max_y_) {
        y_axis_->setRange(0, 1);
        return;
    }
    const double pad = std::max(1e-3, 0.08 * (max_y_ - min_y_));
    y_axis_->setRange(std::max(0.0, min_y_ - pad), max_y_ + pad);
    y_axis_->applyNiceNumbers();
}

}  // namespace tm2::gui
