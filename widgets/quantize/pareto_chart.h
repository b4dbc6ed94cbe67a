#pragma once
// The mixed-precision Pareto front: Σ Ω (log scale, left) and test accuracy
// (right) against model size, one point per size budget of the sweep.

#include <QtCharts/QChartView>
#include <nlohmann/json.hpp>

namespace tm2::gui {

class ParetoChart : public QChartView {
    Q_OBJECT
public:
    explicit ParetoChart(QWidget* parent = nullptr);
    // `sweep`: paretoAndSave's JSON ({pareto: [{status, objective, model_bytes, accuracy, …}]}).
    void setSweep(const nlohmann::json& sweep);
    void clear();
    int pointCount() const { return points_; }

private:
    int points_ = 0;
};

}  // namespace tm2::gui
