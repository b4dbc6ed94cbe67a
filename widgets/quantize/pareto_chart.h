#pragma once
// The mixed-precision Pareto front: Σ Ω (log scale, left) and accuracy (right,
// zoomed to the data) against model size, one point per size budget of the
// sweep. Clicking a point chooses it: it is ringed and pointChosen names it.

#include <QPair>
#include <QtCharts/QChartView>
#include <nlohmann/json.hpp>
#include <optional>
#include <vector>

class QLineSeries;
class QScatterSeries;

namespace tm2::gui {

class ParetoChart : public QChartView {
    Q_OBJECT
public:
    explicit ParetoChart(QWidget* parent = nullptr);
    // `sweep`: paretoAndSave's JSON ({pareto: [{status, objective, model_bytes, accuracy, …}]}).
    void setSweep(const nlohmann::json& sweep);
    void clear();
    int pointCount() const { return static_cast<int>(points_.size()); }
    // The feasible point `i` (0 = smallest), as the sweep gave it (bits, objective, model_bytes, …).
    const nlohmann::json& point(int i) const { return points_.at(static_cast<std::size_t>(i)); }
    // Chooses point `i` as a click on it would (emits pointChosen).
    void choosePoint(int i);
    std::optional<int> chosenPoint() const { return chosen_; }
    // Where the chart draws point `i` on the accuracy line, in viewport coordinates (for a click).
    QPoint pointPosition(int i) const;
    // The accuracy axis' range in %.
    QPair<double, double> accuracyRange() const { return accuracy_range_; }

Q_SIGNALS:
    void pointChosen(int index);

private:
    void clicked(const QPointF& at);

    std::vector<nlohmann::json> points_;
    std::vector<QPointF> accuracy_points_;  // (KiB, accuracy %) of each point, as drawn
    std::optional<int> chosen_;
    QScatterSeries* ring_ = nullptr;
    QLineSeries* accuracy_series_ = nullptr;
    QPair<double, double> accuracy_range_{0, 100};
};

}  // namespace tm2::gui
