#pragma once
// A sweep's trials as accuracy (%) against model size, each point coloured by
// a cost (latency or BOPS, in up to four ranges named in the legend), with the
// Pareto front (core/workflow/sweep/pareto_front) drawn as a line through the
// trials no other trial beats on both. Hovering a point names its trial.

#include <QString>
#include <QtCharts/QChartView>
#include <string>

#include "core/workflow/sweep/sweep_overview.h"

namespace tm2::gui {

class AccuracySizeChart : public QChartView {
    Q_OBJECT
public:
    explicit AccuracySizeChart(QWidget* parent = nullptr);
    // `colour_by`: a metric, or "" for one colour.
    void setData(const sweep::SweepOverview& overview, const std::string& accuracy, const std::string& bytes,
                 const std::string& colour_by);
    int pointCount() const { return points_; }
    int frontCount() const { return front_; }

private:
    int points_ = 0, front_ = 0;
};

}  // namespace tm2::gui
