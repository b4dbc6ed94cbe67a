#include "widgets/common/bar_chart.h"

#include <QtCharts/QBarCategoryAxis>
#include <QtCharts/QBarSeries>
#include <QtCharts/QBarSet>
#include <QtCharts/QChart>
#include <QtCharts/QChartView>
#include <QtCharts/QValueAxis>
#include <cmath>

namespace tm2::gui {

void fillBarChart(QChartView& view, const QString& title, const QStringList& categories,
                  const QList<BarSetData>& sets, const QString& y_title) {
    auto* chart = new QChart;
    chart->setTitle(title);
    chart->legend()->setAlignment(Qt::AlignBottom);
    chart->legend()->setVisible(sets.size() > 1);
    chart->setMargins(QMargins(4, 4, 4, 4));
    auto* series = new QBarSeries;
    for (const BarSetData& s : sets) {
        auto* set = new QBarSet(s.name);
        set->setLabelColor(Qt::black);
        // Accuracy in % everywhere, to one decimal like the text beside it ("5.3", not "5.26").
        for (double v : s.values) *set << std::round(1000.0 * v) / 10.0;
        series->append(set);
    }
    // Vertical labels above each bar: side-by-side bars never run their numbers
    // together ("0.5030.521"); the axis leaves room above 100 for them.
    series->setLabelsVisible(true);
    series->setLabelsFormat("@value");
    series->setLabelsPrecision(4);  // significant digits: "100", "86.6", "5.3"
    series->setLabelsAngle(-90);
    series->setLabelsPosition(QAbstractBarSeries::LabelsOutsideEnd);
    chart->addSeries(series);
    auto* x = new QBarCategoryAxis;
    x->setTruncateLabels(false);
    x->append(categories);
    auto* y = new QValueAxis;
    y->setRange(0, kBarAxisTop);
    y->setTickType(QValueAxis::TicksDynamic);
    y->setTickAnchor(0);
    y->setTickInterval(25);  // 0, 25, 50, 75, 100
    y->setLabelFormat("%.0f");
    y->setTitleText(y_title + " (%)");
    chart->addAxis(x, Qt::AlignBottom);
    chart->addAxis(y, Qt::AlignLeft);
    series->attachAxis(x);
    series->attachAxis(y);
    QChart* old = view.chart();
    view.setChart(chart);
    delete old;
}

}  // namespace tm2::gui
