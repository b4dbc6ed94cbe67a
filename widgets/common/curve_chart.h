#pragma once
// A line chart of per-epoch curves (loss, accuracy …): named series added
// point by point, axes that follow the data, a legend and axis titles. Used
// live by the Train pane and for run details/overlays by the Experiments pane.

#include <QChartView>
#include <QString>
#include <QVector>
#include <limits>

class QLineSeries;
class QValueAxis;

namespace tm2::gui {

// The x tick step for `span` epochs: 1, 2, 5, 10, 20, 50 … giving at most ~8 intervals.
double epochTickInterval(double span);

class CurveChart : public QChartView {
    Q_OBJECT
public:
    CurveChart(const QString& title, const QString& y_title, QWidget* parent = nullptr);

    // Adds an empty series; returns its index. `dashed` draws it dashed (validation curves).
    int addSeries(const QString& name, bool dashed = false);
    void append(int series, double x, double y);
    // Removes all series (clear()) or only their points (clearPoints()).
    void clear();
    void clearPoints();
    void clearSeries(int series);
    // Fixes the y range; otherwise it follows the data.
    void setFixedYRange(double min, double max);
    // Points are appended as fractions (accuracy 0..1) and drawn in % on a 0..100 axis.
    void showFractionsInPercent();

    int seriesCount() const { return series_.size(); }
    int pointCount(int series) const;
    QString seriesName(int series) const;

private:
    void updateRanges();  // rescans every point
    void applyRanges();   // axes from the extremes below
    QVector<QLineSeries*> series_;
    double min_x_ = 1, max_x_ = 1;
    double min_y_ = std::numeric_limits<double>::max(), max_y_ = std::numeric_limits<double>::lowest();
    QValueAxis* x_axis_;
    QValueAxis* y_axis_;
    bool fixed_y_ = false;
    bool percent_ = false;
};

}  // namespace tm2::gui
