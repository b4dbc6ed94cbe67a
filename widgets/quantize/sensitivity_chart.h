#pragma once
// Per-layer Hessian sensitivity: Tr(H) of each layer as a horizontal bar on a
// log axis (traces span orders of magnitude), the layer's bits in its label.

#include <QtCharts/QChartView>
#include <nlohmann/json.hpp>

namespace tm2::gui {

class SensitivityChart : public QChartView {
    Q_OBJECT
public:
    explicit SensitivityChart(QWidget* parent = nullptr);
    // `layers`: the quantize result's "layers" (name, hessian_trace, bits); rows without a trace are skipped.
    void setLayers(const nlohmann::json& layers);
    void clear();
    int barCount() const { return bars_; }

private:
    int bars_ = 0;
};

}  // namespace tm2::gui
