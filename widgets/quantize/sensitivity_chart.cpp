#include "widgets/quantize/sensitivity_chart.h"

#include <QFont>
#include <QtCharts/QBarCategoryAxis>
#include <QtCharts/QBarSet>
#include <QtCharts/QHorizontalBarSeries>
#include <QtCharts/QLogValueAxis>
#include <algorithm>
#include <cmath>

namespace tm2::gui {

SensitivityChart::SensitivityChart(QWidget* parent) : QChartView(parent) {
    setObjectName("sensitivityChart");
    setRenderHint(QPainter::Antialiasing);
    setMinimumSize(320, 300);
    clear();
}

void SensitivityChart::clear() {
    auto* chart = new QChart;
    chart->setTitle(tr("Hessian sensitivity per layer: Tr(H) (mixed precision run)"));
    chart->legend()->hide();
    chart->setMargins(QMargins(4, 4, 4, 4));
    setChart(chart);  // the view owns and deletes the previous chart
    bars_ = 0;
}

void SensitivityChart::setLayers(const nlohmann::json& layers) {
    clear();
    // Hutchinson estimates of a small or flat layer's trace can come out ≤ 0;
    // a log axis cannot show them, so they sit at the axis floor, marked "≤ 0".
    double lo = INFINITY, hi = 0;
    for (const auto& l : layers)
        if (l.contains("hessian_trace") && l["hessian_trace"].get<double>() > 0) {
            lo = std::min(lo, l["hessian_trace"].get<double>());
            hi = std::max(hi, l["hessian_trace"].get<double>());
        }
    if (hi <= 0) lo = hi = 1;  // nothing positive: any decade will do
    const double floor = std::pow(10.0, std::floor(std::log10(lo)) - 1);
    auto* set = new QBarSet(tr("Tr(H)"));
    QStringList names;
    // Bottom-up in a horizontal bar chart: reverse so the first layer is on top.
    for (auto it = layers.rbegin(); it != layers.rend(); ++it) {
        const auto& l = *it;
        if (!l.contains("hessian_trace")) continue;
        const double trace = l["hessian_trace"].get<double>();
        *set << (trace > 0 ? trace : floor);
        names << QString("%1 · %2 b%3")
                     .arg(QString::fromStdString(l.value("name", "")))
                     .arg(l.value("bits", 0))
                     .arg(trace > 0 ? QString() : tr(" · Tr ≤ 0"));
    }
    if (names.isEmpty()) {
        delete set;
        return;
    }
    auto* series = new QHorizontalBarSeries;
    series->append(set);
    chart()->addSeries(series);
    auto* y = new QBarCategoryAxis;
    y->append(names);
    y->setTruncateLabels(false);
    QFont small = y->labelsFont();
    small.setPointSizeF(std::max(6.0, small.pointSizeF() - 2));  // one readable line per layer
    y->setLabelsFont(small);
    chart()->addAxis(y, Qt::AlignLeft);
    series->attachAxis(y);
    auto* x = new QLogValueAxis;
    x->setBase(10);
    x->setTitleText(tr("Tr(H), log scale (layer · bits of the MP plan)"));
    x->setLabelFormat("%.0e");
    x->setRange(floor, std::pow(10.0, std::ceil(std::log10(hi))));
    chart()->addAxis(x, Qt::AlignBottom);
    series->attachAxis(x);
    bars_ = static_cast<int>(names.size());
}

}  // namespace tm2::gui
