#include "widgets/experiments/accuracy_size_chart.h"

#include <QCursor>
#include <QPen>
#include <QToolTip>
#include <QtCharts/QLegendMarker>
#include <QtCharts/QLineSeries>
#include <QtCharts/QScatterSeries>
#include <QtCharts/QValueAxis>
#include <algorithm>
#include <cmath>
#include <map>
#include <optional>

#include "core/workflow/sweep/pareto_front.h"
#include "widgets/common/nice_step.h"

namespace tm2::gui {

namespace {

QString qs(const std::string& s) { return QString::fromStdString(s); }

// "1.2 M", "340 k", "12": a cost for a legend.
QString shortNumber(double v) {
    if (std::abs(v) >= 1e9) return QString::number(v / 1e9, 'g', 3) + " G";
    if (std::abs(v) >= 1e6) return QString::number(v / 1e6, 'g', 3) + " M";
    if (std::abs(v) >= 1e4) return QString::number(v / 1e3, 'g', 3) + " k";
    return QString::number(v, 'g', 3);
}

const QColor kBins[] = {QColor(33, 102, 172), QColor(103, 169, 207), QColor(239, 138, 98),
                        QColor(178, 24, 43)};
constexpr int kBinCount = 4;

}  // namespace

AccuracySizeChart::AccuracySizeChart(QWidget* parent) : QChartView(parent) {
    setObjectName("sweepAccuracySizeChart");
    setRenderHint(QPainter::Antialiasing);
    setMinimumSize(320, 240);
    setData({}, "", "", "");
}

void AccuracySizeChart::setData(const sweep::SweepOverview& overview, const std::string& accuracy,
                                const std::string& bytes, const std::string& colour_by) {
    auto* chart = new QChart;
    chart->setMargins(QMargins(4, 4, 4, 4));
    chart->legend()->setAlignment(Qt::AlignBottom);
    points_ = front_ = 0;
    struct Point {
        int trial;
        double kib, percent;
        std::optional<double> cost;
        QString label;
    };
    std::vector<Point> points;
    double cost_lo = INFINITY, cost_hi = -INFINITY;
    for (const auto& r : overview.rows) {
        const auto a = r.metrics.find(accuracy), b = r.metrics.find(bytes);
        if (a == r.metrics.end() || b == r.metrics.end()) continue;
        Point p{r.index, b->second / 1024.0, 100.0 * a->second, std::nullopt,
                qs(r.folder + " " + sweep::valuesLabel(overview.axes, r.values))};
        if (const auto c = r.metrics.find(colour_by); c != r.metrics.end()) {
            p.cost = c->second;
            cost_lo = std::min(cost_lo, c->second);
            cost_hi = std::max(cost_hi, c->second);
        }
        p.label += QString(": %1 %, %2 KiB").arg(p.percent, 0, 'f', 1).arg(p.kib, 0, 'f', 1);
        points.push_back(p);
    }
    const bool coloured = !colour_by.empty() && cost_hi >= cost_lo;
    chart->setTitle(
        points.empty() ? tr("Accuracy vs model size: no finished trial yet")
        : coloured
            ? tr("Accuracy vs model size (%1 trials), colour: %2").arg(points.size()).arg(qs(colour_by))
            : tr("Accuracy vs model size (%1 trials)").arg(points.size()));
    // Up to four equal ranges of the cost, each its own series so the legend names its colour.
    std::map<int, QScatterSeries*> bins;
    const auto binOf = [&](const Point& p) {
        if (!coloured || !p.cost || cost_hi == cost_lo) return 0;
        return std::min(kBinCount - 1,
                        static_cast<int>((*p.cost - cost_lo) / (cost_hi - cost_lo) * kBinCount));
    };
    for (const Point& p : points) {
        const int bin = coloured && !p.cost ? kBinCount : binOf(p);
        QScatterSeries*& s = bins[bin];
        if (!s) {
            s = new QScatterSeries;
            s->setMarkerSize(11);
            s->setColor(bin < kBinCount ? kBins[coloured ? bin : 0] : QColor(150, 150, 150));
            s->setBorderColor(Qt::white);
            const double w = (cost_hi - cost_lo) / kBinCount;
            if (!coloured)
                s->setName(tr("trials"));
            else if (bin == kBinCount)
                s->setName(tr("not reported"));
            else if (cost_hi == cost_lo)
                s->setName(shortNumber(cost_lo));
            else  // the ranges alone: the title names the metric, so four fit beside the front's entry
                s->setName(QString("%1–%2").arg(shortNumber(cost_lo + bin * w),
                                                shortNumber(cost_lo + (bin + 1) * w)));
        }
        s->append(p.kib, p.percent);
    }
    auto* front = new QLineSeries;
    front->setName(tr("Pareto front"));
    front->setPen(QPen(QColor(40, 40, 40), 1.5, Qt::DashLine));
    for (int trial : sweep::paretoTrials(overview, accuracy, bytes))
        for (const Point& p : points)
            if (p.trial == trial) front->append(p.kib, p.percent);
    front_ = front->count();
    points_ = static_cast<int>(points.size());
    auto* x = new QValueAxis;
    x->setTitleText(bytes == sweep::kFp32BytesMetric ? tr("model size, float32 (KiB)")
                                                     : tr("model size (KiB, %1)").arg(qs(bytes)));
    auto* y = new QValueAxis;
    y->setTitleText(tr("%1 (%)").arg(qs(accuracy)));
    double x_lo = INFINITY, x_hi = -INFINITY, y_lo = INFINITY, y_hi = -INFINITY;
    for (const Point& p : points) {
        x_lo = std::min(x_lo, p.kib);
        x_hi = std::max(x_hi, p.kib);
        y_lo = std::min(y_lo, p.percent);
        y_hi = std::max(y_hi, p.percent);
    }
    if (points.empty()) x_lo = y_lo = 0, x_hi = y_hi = 100;
    // Round ticks, half a step inside each end: the first labels of the two axes never meet in the
    // corner. Accuracy zoomed to the data (a 0–100 scale flattens every difference).
    const double x_step = niceStep(std::max(x_hi - x_lo, 0.2 * x_hi) / 5);
    x->setRange(std::max(0.0, x_lo - x_step / 2), x_hi + x_step / 2);
    x->setTickType(QValueAxis::TicksDynamic);
    x->setTickAnchor(0);
    x->setTickInterval(x_step);
    x->setLabelFormat(x_step >= 1 ? "%.0f" : x_step >= 0.1 ? "%.1f" : "%.2f");
    const double y_step = niceStep(std::max(y_hi - y_lo, 4.0) / 5);
    y->setRange(std::max(0.0, y_lo - y_step / 2), std::min(100.0, y_hi + y_step / 2));
    y->setTickType(QValueAxis::TicksDynamic);
    y->setTickAnchor(0);
    y->setTickInterval(y_step);
    y->setLabelFormat(y_step >= 1 ? "%.0f" : "%.1f");
    chart->addAxis(x, Qt::AlignBottom);
    chart->addAxis(y, Qt::AlignLeft);
    const auto attach = [&](QXYSeries* s) {
        chart->addSeries(s);
        s->attachAxis(x);
        s->attachAxis(y);
    };
    attach(front);
    for (auto& [bin, s] : bins) {
        attach(s);
        connect(s, &QScatterSeries::hovered, this, [points](const QPointF& at, bool state) {
            if (!state) return;
            for (const Point& p : points)
                if (std::abs(p.kib - at.x()) < 1e-9 && std::abs(p.percent - at.y()) < 1e-9)
                    QToolTip::showText(QCursor::pos(), p.label);
        });
    }
    if (front_ == 0) chart->legend()->markers(front).front()->setVisible(false);
    QChart* old = this->chart();
    setChart(chart);
    delete old;
}

}  // namespace tm2::gui
