#include "widgets/benchmark/power_trace_chart.h"

#include <QtCharts/QAreaSeries>
#include <QtCharts/QLegend>
#include <QtCharts/QLegendMarker>
#include <QtCharts/QLineSeries>
#include <QtCharts/QValueAxis>
#include <algorithm>

namespace tm2::gui {

PowerTraceChart::PowerTraceChart(QWidget* parent) : QChartView(parent) {
    setObjectName("powerTraceChart");
    setRenderHint(QPainter::Antialiasing);
    setMinimumSize(320, 260);
    clear();
}

void PowerTraceChart::clear() {
    auto* chart = new QChart;
    chart->setTitle(tr("Power log (import a USB power-meter CSV)"));
    setChart(chart);
    shaded_ = 0;
}

void PowerTraceChart::setLog(const device::PowerLog& log, const device::PowerReport& report) {
    clear();
    if (log.samples.empty()) return;
    chart()->setTitle(tr("Power: %1 (inference segments shaded)").arg(QString::fromStdString(log.source)));
    double lo = log.samples.front().watts, hi = lo;
    for (const auto& s : log.samples) {
        lo = std::min(lo, s.watts);
        hi = std::max(hi, s.watts);
    }
    const double pad = std::max(0.05, 0.1 * (hi - lo));
    const double y0 = std::max(0.0, lo - pad), y1 = hi + pad;
    const double t0 = log.samples.front().time_s;
    double t1 = log.samples.back().time_s;
    for (const auto& seg : report.segments) t1 = std::max(t1, seg.end_s);

    auto* x = new QValueAxis;
    x->setTitleText(tr("time (s)"));
    x->setRange(t0, t1);
    x->setLabelFormat("%.1f");
    auto* y = new QValueAxis;
    y->setTitleText(tr("power (W)"));
    y->setRange(y0, y1);
    y->setLabelFormat("%.2f");
    chart()->addAxis(x, Qt::AlignBottom);
    chart()->addAxis(y, Qt::AlignLeft);

    bool first = true;
    for (const auto& seg : report.segments) {
        if (!seg.busy) continue;
        auto* upper = new QLineSeries;
        upper->append(seg.start_s, y1);
        upper->append(seg.end_s, y1);
        auto* lower = new QLineSeries;
        lower->append(seg.start_s, y0);
        lower->append(seg.end_s, y0);
        auto* area = new QAreaSeries(upper, lower);
        area->setName(first ? tr("inference segments") : QString());
        area->setColor(QColor(255, 160, 60, 70));
        area->setBorderColor(QColor(255, 160, 60, 0));
        chart()->addSeries(area);
        area->attachAxis(x);
        area->attachAxis(y);
        if (!first) chart()->legend()->markers(area).value(0)->setVisible(false);
        first = false;
        ++shaded_;
    }
    auto* trace = new QLineSeries;
    trace->setName(tr("power (W)"));
    for (const auto& s : log.samples) trace->append(s.time_s, s.watts);
    chart()->addSeries(trace);
    trace->attachAxis(x);
    trace->attachAxis(y);
    auto* idle = new QLineSeries;
    idle->setName(tr("idle level %1 W").arg(report.idle_w, 0, 'f', 3));
    idle->append(t0, report.idle_w);
    idle->append(t1, report.idle_w);
    QPen pen(Qt::darkGreen);
    pen.setStyle(Qt::DashLine);
    idle->setPen(pen);
    chart()->addSeries(idle);
    idle->attachAxis(x);
    idle->attachAxis(y);
}

}  // namespace tm2::gui
