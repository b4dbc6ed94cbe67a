#include "widgets/benchmark/latency_histogram_chart.h"

#include <QtCharts/QBarCategoryAxis>
#include <QtCharts/QBarSeries>
#include <QtCharts/QBarSet>
#include <QtCharts/QValueAxis>
#include <algorithm>

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
    bins_ = samples_ = 0;
}

void LatencyHistogramChart::setBenchmark(const nlohmann::json& b) {
    clear();
    const auto& network = b.value("network", nlohmann::json::object());
    chart()->setTitle(tr("Network latency on this machine: p50 %1 µs, p90 %2 µs, p99 %3 µs (%4 runs)")
                          .arg(network.value("p50_us", 0.0), 0, 'f', 1)
                          .arg(network.value("p90_us", 0.0), 0, 'f', 1)
                          .arg(network.value("p99_us", 0.0), 0, 'f', 1)
                          .arg(b.value("runs", 0)));
    auto* set = new QBarSet(tr("runs"));
    QStringList labels;
    std::size_t most = 0;
    for (const auto& bin : b.value("histogram", nlohmann::json::array())) {
        const std::size_t count = bin.value("count", std::size_t{0});
        *set << static_cast<double>(count);
        // The bin's centre (one decimal keeps the axis readable); the tail bin is "> p99".
        labels << (bin.value("tail", false)
                       ? QString("> %1").arg(bin.value("lo_us", 0.0), 0, 'f', 1)
                       : QString::number((bin.value("lo_us", 0.0) + bin.value("hi_us", 0.0)) / 2, 'f', 1));
        most = std::max(most, count);
        samples_ += static_cast<int>(count);
    }
    bins_ = static_cast<int>(labels.size());
    if (bins_ == 0) {
        delete set;
        return;
    }
    auto* series = new QBarSeries;
    series->setBarWidth(1.0);
    series->append(set);
    chart()->addSeries(series);
    auto* x = new QBarCategoryAxis;
    x->append(labels);
    x->setTitleText(tr("latency (µs, bin centre)"));
    x->setLabelsAngle(-60);
    chart()->addAxis(x, Qt::AlignBottom);
    series->attachAxis(x);
    auto* y = new QValueAxis;
    y->setTitleText(tr("runs"));
    y->setRange(0, static_cast<double>(most) * 1.1 + 1);
    y->setLabelFormat("%d");
    chart()->addAxis(y, Qt::AlignLeft);
    series->attachAxis(y);
}

}  // namespace tm2::gui
