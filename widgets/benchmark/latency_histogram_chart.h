#pragma once
// The latency distribution of a local benchmark: the histogram's bins as a
// step outline over a numeric µs axis, the outlying runs (the tail bin) as one
// more bar in another colour with their real range in the legend, and the
// p50 / p90 / p99 latencies as dashed lines named with their µs.

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
    int binCount() const { return bins_; }  // including the tail bin
    int sampleCount() const { return samples_; }
    int percentileMarkers() const { return markers_; }

private:
    int bins_ = 0, samples_ = 0, markers_ = 0;
};

}  // namespace tm2::gui
