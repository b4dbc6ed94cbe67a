#pragma once
// The latency distribution of a local benchmark: one bar per histogram bin
// (runs per latency range, µs), the runs above p99 in a last "> p99" bar.

#include <QtCharts/QChartView>
#include <nlohmann/json.hpp>

namespace tm2::gui {

class LatencyHistogramChart : public QChartView {
    Q_OBJECT
public:
    explicit LatencyHistogramChart(QWidget* parent = nullptr);
    // `benchmark`: localBenchmarkToJson's document (histogram, network percentiles).
    void setBenchmark(const nlohmann::json& benchmark);
    void clear();
    int binCount() const { return bins_; }
    int sampleCount() const { return samples_; }

private:
    int bins_ = 0, samples_ = 0;
};

}  // namespace tm2::gui
