#pragma once
// Across seeds: one horizontal bar per configuration of a sweep (its trials
// that differ only in seed) at the mean of the chosen metric, with the 95 %
// confidence interval (Student t, core/workflow/sweep/seed_statistics) as an
// I-beam across its end. A configuration with one finished seed has a bar and no interval.

#include <QString>
#include <QtCharts/QChartView>
#include <string>
#include <vector>

#include "core/workflow/sweep/sweep_collect.h"

namespace tm2::gui {

class SeedIntervalChart : public QChartView {
    Q_OBJECT
public:
    explicit SeedIntervalChart(QWidget* parent = nullptr);
    void setData(const std::vector<sweep::SeedGroup>& groups, const std::vector<std::string>& axes,
                 const std::string& metric);
    int barCount() const { return bars_; }
    int intervalCount() const { return intervals_; }

private:
    int bars_ = 0, intervals_ = 0;
};

}  // namespace tm2::gui
