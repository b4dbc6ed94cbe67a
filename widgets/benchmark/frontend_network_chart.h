#pragma once
// "Front-end vs network": the audio path's three latencies side by side as
// horizontal bars — MFCC front-end, network, end-to-end — a p50 and a p90 bar
// each, every bar labelled with its µs, on a µs axis that starts at zero (so
// the bars' lengths compare).

#include <QtCharts/QChartView>
#include <nlohmann/json.hpp>

namespace tm2::gui {

class FrontendNetworkChart : public QChartView {
    Q_OBJECT
public:
    explicit FrontendNetworkChart(QWidget* parent = nullptr);
    // `benchmark`: workflow::toJson(EndToEndBenchmark) with has_frontend true.
    void setBenchmark(const nlohmann::json& benchmark);
    void clear();
    int barCount() const { return bars_; }  // categories × percentiles drawn

    // The categories, top to bottom, as the chart names them.
    static QStringList categories();

private:
    int bars_ = 0;
};

}  // namespace tm2::gui
