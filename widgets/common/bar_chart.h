#pragma once
// A grouped bar chart of fractions (accuracies, 0..1) by category, with value
// labels, drawn into a QChartView (the view's previous chart is replaced).

#include <QList>
#include <QString>
#include <QStringList>

class QChartView;

namespace tm2::gui {

struct BarSetData {
    QString name;
    QList<double> values;  // one per category
};

void fillBarChart(QChartView& view, const QString& title, const QStringList& categories,
                  const QList<BarSetData>& sets, const QString& y_title);

}  // namespace tm2::gui
