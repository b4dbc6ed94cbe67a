#pragma once
// A sweep's trials as parallel coordinates: one vertical axis per sweep axis
// and a last one for the chosen metric (core/workflow/sweep/parallel_axes),
// one line per trial from its axis values to its metric, coloured from blue
// (lowest metric) through magenta to orange (highest). Each axis labels its ticks beside it;
// hovering a line names the trial.

#include <QString>
#include <QtCharts/QChartView>
#include <vector>

#include "core/workflow/sweep/parallel_axes.h"

class QGraphicsRectItem;
class QGraphicsSimpleTextItem;
class QLineSeries;

namespace tm2::gui {

class ParallelCoordinatesChart : public QChartView {
    Q_OBJECT
public:
    explicit ParallelCoordinatesChart(QWidget* parent = nullptr);
    // `labels`: each line's trial as the tooltip names it ("trial-0003 fusion=sum seed=2").
    void setData(const sweep::ParallelCoordinates& pc, const QString& metric_title,
                 const std::vector<QString>& line_labels);
    int lineCount() const { return line_count_; }
    int axisCount() const { return axis_count_; }

private:
    struct Tick {
        int axis;
        double position;
        QGraphicsRectItem* box;
        QGraphicsSimpleTextItem* text;
    };
    void placeTicks();

    std::vector<Tick> ticks_;
    QLineSeries* anchor_ = nullptr;  // any series on the axes, to map values to pixels
    int line_count_ = 0, axis_count_ = 0;
};

}  // namespace tm2::gui
