#include "widgets/benchmark/latency_histogram_chart.h"

#include <gtest/gtest.h>

#include <QtCharts/QAbstractSeries>
#include <QtCharts/QLineSeries>
#include <QtCharts/QValueAxis>

namespace tm2::gui {
namespace {

// A benchmark document with `n` bins of `width` µs from 28.5 µs and a tail bin.
nlohmann::json benchmark(int n, double width) {
    nlohmann::json bins = nlohmann::json::array();
    for (int i = 0; i < n; ++i)
        bins.push_back({{"lo_us", 28.5 + i * width}, {"hi_us", 28.5 + (i + 1) * width}, {"count", 2}, {"tail", false}});
    bins.push_back({{"lo_us", 28.5 + n * width}, {"hi_us", 57.9}, {"count", 1}, {"tail", true}});
    return {{"runs", 2 * n + 1}, {"network", {{"p50_us", 28.6}, {"p90_us", 28.7}, {"p99_us", 57.9}}}, {"histogram", bins}};
}

QValueAxis* xAxis(const LatencyHistogramChart& chart) {
    for (auto* axis : chart.chart()->axes(Qt::Horizontal))
        if (auto* v = qobject_cast<QValueAxis*>(axis)) return v;
    return nullptr;
}

TEST(LatencyHistogramChart, NarrowBinsGetANumericAxisAndTheTailItsOwnBar) {
    LatencyHistogramChart chart;
    chart.setBenchmark(benchmark(20, 0.005));  // 28.5–28.6 µs, then runs up to 57.9 µs
    EXPECT_EQ(chart.binCount(), 21);
    EXPECT_EQ(chart.sampleCount(), 41);
    QValueAxis* x = xAxis(chart);
    ASSERT_NE(x, nullptr);
    // The tail bar is as wide as a bin, so 57.9 µs does not stretch the axis.
    EXPECT_NEAR(x->min(), 28.5, 1e-9);
    EXPECT_NEAR(x->max(), 28.605, 1e-9);
    EXPECT_EQ(x->labelFormat(), "%.2f");  // span 0.105 µs: round ticks 0.05 µs apart
    EXPECT_EQ(x->tickType(), QValueAxis::TicksDynamic);
    EXPECT_NEAR(x->tickInterval(), 0.05, 1e-12);
    const auto series = chart.chart()->series();
    ASSERT_EQ(series.size(), 5);  // body, tail, p50, p90, p99
    EXPECT_EQ(series[1]->name(), "1 slower run, 28.600–57.900 µs");
    EXPECT_EQ(chart.percentileMarkers(), 3);
    EXPECT_EQ(series[2]->name(), "p50 28.6 µs");
    EXPECT_EQ(series[4]->name(), "p99 57.9 µs");
    // p99 lies among the outliers: its line is drawn in their bar, not off the axis.
    auto* p99 = qobject_cast<QLineSeries*>(series[4]);
    ASSERT_NE(p99, nullptr);
    EXPECT_GT(p99->at(0).x(), 28.6);
    EXPECT_LE(p99->at(0).x(), x->max());

    chart.setBenchmark(nlohmann::json{{"runs", 3},
                                      {"histogram", {{{"lo_us", 7.0}, {"hi_us", 7.0}, {"count", 3}, {"tail", false}}}}});
    EXPECT_EQ(chart.chart()->series().size(), 1);  // equal samples: one bin, no tail (no percentiles given)
    EXPECT_EQ(chart.sampleCount(), 3);
}

}  // namespace
}  // namespace tm2::gui
