#pragma once
// A power-meter log over time with the inference segments shaded and the
// idle level drawn, as core/device/power_log segmented it.

#include <QtCharts/QChartView>

#include "core/device/power_log.h"

namespace tm2::gui {

class PowerTraceChart : public QChartView {
    Q_OBJECT
public:
    explicit PowerTraceChart(QWidget* parent = nullptr);
    void setLog(const device::PowerLog& log, const device::PowerReport& report);
    void clear();
    int shadedSegments() const { return shaded_; }

private:
    int shaded_ = 0;
};

}  // namespace tm2::gui
