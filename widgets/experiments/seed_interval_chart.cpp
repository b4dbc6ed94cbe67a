#include "widgets/experiments/seed_interval_chart.h"

#include <QPen>
#include <QtCharts/QBarCategoryAxis>
#include <QtCharts/QBarSet>
#include <QtCharts/QHorizontalBarSeries>
#include <QtCharts/QLegendMarker>
#include <QtCharts/QLineSeries>
#include <QtCharts/QValueAxis>
#include <algorithm>
#include <cmath>

#include "core/workflow/sweep/seed_statistics.h"
#include "core/workflow/sweep/sweep_overview.h"
#include "widgets/common/nice_step.h"

namespace tm2::gui {

namespace {

QString qs(const std::string& s) { return QString::fromStdString(s); }

}  // namespace

SeedIntervalChart::SeedIntervalChart(QWidget* parent) : QChartView(parent) {
    setObjectName("sweepSeedChart");
    setRenderHint(QPainter::Antialiasing);
    setMinimumSize(320, 240);
    setData({}, {}, "");
}

void SeedIntervalChart::setData(const std::vector<sweep::SeedGroup>& groups,
                                const std::vector<std::string>& axes, const std::string& metric) {
    auto* chart = new QChart;
    chart->setMargins(QMargins(4, 4, 4, 4));
    chart->legend()->setAlignment(Qt::AlignBottom);
    bars_ = intervals_ = 0;
    const bool rate = sweep::isRateMetric(metric);
    const double scale = rate ? 100.0 : 1.0;
    auto* set = new QBarSet(tr("mean"));
    set->setColor(QColor(146, 197, 222));
    set->setLabelColor(Qt::black);
    QStringList categories;
    std::vector<QLineSeries*> beams;
    double top = 0, bottom = 0;
    // The first configuration on top: horizontal bars count their categories from the bottom.
    std::vector<const sweep::SeedGroup*> shown;
    for (const auto& g : groups)
        if (g.metrics.count(metric)) shown.insert(shown.begin(), &g);
    for (const sweep::SeedGroup* g : shown) {
        const sweep::MetricSummary& s = g->metrics.at(metric);
        const int i = categories.size();
        categories << qs(sweep::valuesLabel(axes, g->values)) + tr(" (n %1)").arg(s.n);
        *set << std::round(10.0 * s.mean * scale) / 10.0;
        top = std::max(top, s.mean * scale);
        bottom = std::min(bottom, s.mean * scale);
        if (!s.has_interval) continue;
        // An accuracy's interval stops at 0 and 100 %: beyond lies nothing it could be.
        double lo = s.low() * scale, hi = s.high() * scale;
        if (rate) lo = std::max(lo, 0.0), hi = std::min(hi, 100.0);
        top = std::max(top, hi);
        bottom = std::min(bottom, lo);
        auto* beam = new QLineSeries;
        beam->setName(tr("95 % CI (Student t)"));
        beam->setPen(QPen(QColor(40, 40, 40), 2));
        const double w = 0.12;
        for (const QPointF& p : {QPointF(lo, i - w), QPointF(lo, i + w), QPointF(lo, i), QPointF(hi, i),
                                 QPointF(hi, i - w), QPointF(hi, i + w)})
            beam->append(p);
        beams.push_back(beam);
    }
    bars_ = categories.size();
    intervals_ = static_cast<int>(beams.size());
    const QString metric_title = qs(metric) + (rate ? " (%)" : "");
    chart->setTitle(bars_ == 0 ? tr("Across seeds: no finished configuration yet")
                               : tr("%1 across seeds: mean ± 95 % CI per configuration").arg(qs(metric)));
    auto* bars = new QHorizontalBarSeries;
    bars->append(set);
    // The mean's value inside the bar's foot: the interval's beam owns the space past its end.
    bars->setLabelsVisible(true);
    bars->setLabelsFormat("@value");
    bars->setLabelsPosition(QAbstractBarSeries::LabelsInsideBase);
    chart->addSeries(bars);
    // Configurations down the side: their labels ("fusion=sum lr=0.001 (n 3)") stay whole side by side.
    auto* y = new QBarCategoryAxis;
    y->setTruncateLabels(false);
    y->append(categories);
    auto* x = new QValueAxis;
    x->setTitleText(metric_title);
    const double span = std::max(top - bottom, rate ? 10.0 : 1e-9);
    const double step = niceStep(span / 5);
    const double y_lo = std::floor(bottom / step) * step;  // the value axis, horizontal
    double y_hi = std::ceil(top * 1.02 / step) * step;
    if (rate) y_hi = std::min(100.0, y_hi);
    x->setRange(y_lo, std::max(y_hi, y_lo + step));
    x->setTickType(QValueAxis::TicksDynamic);
    x->setTickAnchor(0);
    x->setTickInterval(step);
    x->setLabelFormat(step >= 1 ? "%.0f" : "%.2g");
    chart->addAxis(x, Qt::AlignBottom);
    chart->addAxis(y, Qt::AlignLeft);
    bars->attachAxis(x);
    bars->attachAxis(y);
    for (std::size_t b = 0; b < beams.size(); ++b) {
        chart->addSeries(beams[b]);
        beams[b]->attachAxis(x);
        beams[b]->attachAxis(y);
        if (b > 0)  // one legend entry for all the beams
            for (QLegendMarker* marker : chart->legend()->markers(beams[b])) marker->setVisible(false);
    }
    QChart* old = this->chart();
    setChart(chart);
    delete old;
}

}  // namespace tm2::gui
