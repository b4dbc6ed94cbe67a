#pragma once
// A grouped bar chart of fractions (accuracies, 0..1) by category, drawn in %
// with each bar's value above it, into a QChartView (the view's previous chart
// is replaced).

#include <QList>
#include <QString>
#include <QStringList>

class QChartView;

namespace tm2::gui {

struct BarSetData {
    QString name;
    QList<double> values;  // one per category
};

// The value axis runs to this (%), leaving room above 100 % for the bars' labels.
inline constexpr double kBarAxisTop = 122;

void fillBarChart(QChartView& view, const QString& title, const QStringList& categories,
                  const QList<BarSetData>& sets, const QString& y_title);

}  // namespace tm2::gui
