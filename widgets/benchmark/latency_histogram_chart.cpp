#include "widgets/benchmark/latency_histogram_chart.h"

#include <QtCharts/QAreaSeries>
#include <QtCharts/QLegend>
#include <QtCharts/QLineSeries>
#include <QtCharts/QValueAxis>
#include <algorithm>
#include <cmath>

#include "widgets/common/nice_step.h"

namespace tm2::gui {

LatencyHistogramChart::LatencyHistogramChart(QWidget* parent) : QChartView(parent) {
    setObjectName("latencyHistogram");
    setRenderHint(QPainter::Antialiasing);
    setMinimumSize(320, 220);
    clear();
}

void LatencyHistogramChart::clear() {
    auto* chart = new QChart;
    chart->setTitle(tr("Network latency on this machine (batch 1)"));
    chart->legend()->hide();
    setChart(chart);
    bins_ = samples_ = markers_ = 0;
}

void LatencyHistogramChart::setBenchmark(const nlohmann::json& b) {
    clear();
    const auto& network = b.value("network", nlohmann::json::object());
    // Short enough to stay whole at half a laptop's width: the percentiles are in the
    // legend's markers and in the line above the chart.
    chart()->setTitle(tr("Network latency on this machine (batch 1, %1 runs)").arg(b.value("runs", 0)));
    const auto& bins = b.value("histogram", nlohmann::json::array());
    if (bins.empty()) return;
    // The bins as a step outline over a numeric axis (nice ticks, however narrow the
    // bins); the outliers' bin, whose range can be huge, as one more bar of the same
    // width in another colour, its real range in the legend.
    auto* outline = new QLineSeries;
    double lo = bins[0].value("lo_us", 0.0), hi = lo, width = 0;
    std::size_t most = 0;
    const nlohmann::json* tail = nullptr;
    for (const auto& bin : bins) {
        const auto count = bin.value("count", std::size_t{0});
        samples_ += static_cast<int>(count);
        ++bins_;
        most = std::max(most, count);
        if (bin.value("tail", false)) {
            tail = &bin;
            continue;
        }
        const double l = bin.value("lo_us", 0.0), h = bin.value("hi_us", 0.0);
        outline->append(l, 0);
        outline->append(l, static_cast<double>(count));
        outline->append(h, static_cast<double>(count));
        outline->append(h, 0);
        hi = h;
        width = std::max(width, h - l);
    }
    if (width <= 0) width = std::max(0.1, 0.01 * lo);  // one bin of equal samples
    auto* body = new QAreaSeries(outline);
    body->setName(tr("runs"));
    body->setColor(QColor("#1f8dd6"));
    body->setBorderColor(QColor("#156a9f"));
    chart()->addSeries(body);
    double right = std::max(hi, lo + width);
    QAreaSeries* slow = nullptr;
    if (tail) {
        auto* bar = new QLineSeries;
        const double count = tail->value("count", 0.0);
        bar->append(right, 0);
        bar->append(right, count);
        bar->append(right + width, count);
        bar->append(right + width, 0);
        slow = new QAreaSeries(bar);
        slow->setColor(QColor("#e8913a"));
        chart()->addSeries(slow);
        right += width;
        chart()->legend()->show();
        chart()->legend()->setAlignment(Qt::AlignTop);
    }
    auto* x = new QValueAxis;
    x->setRange(lo, right);
    // Ticks on round values (1, 2 or 5 × a power of ten, about five of them), with
    // just enough decimals to tell them apart; the tail's range with one more.
    const double step = niceStep((right - lo) / 5);
    x->setTickType(QValueAxis::TicksDynamic);
    x->setTickAnchor(std::ceil(lo / step) * step);
    x->setTickInterval(step);
    const int decimals = std::clamp(static_cast<int>(-std::floor(std::log10(step) + 1e-9)), 0, 4);
    x->setLabelFormat(QString("%.%1f").arg(decimals));
    if (slow) {
        const int n = tail->value("count", 0);
        slow->setName((n == 1 ? tr("1 slower run, %2–%3 µs") : tr("%1 slower runs, %2–%3 µs").arg(n))
                          .arg(tail->value("lo_us", 0.0), 0, 'f', decimals + 1)
                          .arg(tail->value("hi_us", 0.0), 0, 'f', decimals + 1));
    }
    x->setTitleText(tr("latency (µs)"));
    chart()->addAxis(x, Qt::AlignBottom);
    auto* y = new QValueAxis;
    y->setTitleText(tr("runs"));
    y->setRange(0, static_cast<double>(most) * 1.1 + 1);
    y->setLabelFormat("%d");
    chart()->addAxis(y, Qt::AlignLeft);
    for (QAreaSeries* series : {body, slow}) {
        if (!series) continue;
        series->attachAxis(x);
        series->attachAxis(y);
    }
    // p50 / p90 / p99 as dashed vertical lines; one in the outliers' range is drawn
    // in the middle of their bar (its µs are in the legend).
    const double top = static_cast<double>(most) * 1.05 + 0.5;
    const std::pair<const char*, QColor> markers[] = {
        {"p50", QColor("#2a9d3c")}, {"p90", QColor("#7b3fb0")}, {"p99", QColor("#c0392b")}};
    for (const auto& [key, colour] : markers) {
        const std::string field = std::string(key) + "_us";
        if (!network.contains(field) || !network[field].is_number()) continue;
        const double us = network[field].get<double>();
        const double at = slow && us > hi ? right - width / 2 : std::clamp(us, lo, right);
        auto* line = new QLineSeries;
        line->setName(QString("%1 %2 µs").arg(key).arg(us, 0, 'f', 1));
        line->append(at, 0);
        line->append(at, top);
        QPen pen(colour);
        pen.setWidthF(1.5);
        pen.setStyle(Qt::DashLine);
        line->setPen(pen);
        chart()->addSeries(line);
        line->attachAxis(x);
        line->attachAxis(y);
        ++markers_;
    }
    if (markers_ > 0) {
        chart()->legend()->show();
        chart()->legend()->setAlignment(Qt::AlignTop);
    }
}

}  // namespace tm2::gui
