#include "widgets/quantize/pareto_chart.h"

#include <QPen>
#include <QtCharts/QLineSeries>
#include <QtCharts/QLogValueAxis>
#include <QtCharts/QScatterSeries>
#include <QtCharts/QValueAxis>
#include <algorithm>
#include <cmath>

namespace tm2::gui {

ParetoChart::ParetoChart(QWidget* parent) : QChartView(parent) {
    setObjectName("paretoChart");
    setRenderHint(QPainter::Antialiasing);
    // Room for two axis titles and a plot area that shows the front at 1280×720.
    setMinimumSize(320, 260);
    clear();
}

void ParetoChart::clear() {
    auto* chart = new QChart;
    chart->setTitle(tr("Pareto sweep: Σ Ω and accuracy vs model size (click a point)"));
    chart->setMargins(QMargins(4, 4, 4, 4));
    chart->legend()->setAlignment(Qt::AlignBottom);
    setChart(chart);
    points_.clear();
    accuracy_points_.clear();
    chosen_.reset();
    ring_ = nullptr;
    accuracy_series_ = nullptr;
    accuracy_range_ = {0, 100};
}

void ParetoChart::setSweep(const nlohmann::json& sweep) {
    clear();
    auto* omega = new QLineSeries;
    omega->setName(tr("Σ Ω (left)"));  // short: the legend shares the width with three more
    omega->setPointsVisible(true);
    // Plans are chosen on validation accuracy; test accuracy is shown beside it, dashed.
    auto* accuracy = new QLineSeries;
    accuracy->setName(tr("validation %"));
    accuracy->setPointsVisible(true);
    auto* test = new QLineSeries;
    test->setName(tr("test % (reported)"));
    test->setPen(QPen(Qt::gray, 1.5, Qt::DashLine));
    test->setPointsVisible(true);
    double x_lo = INFINITY, x_hi = 0, o_lo = INFINITY, o_hi = 0, a_lo = INFINITY, a_hi = -INFINITY;
    for (const auto& p : sweep.value("pareto", nlohmann::json::array())) {
        if (!p.contains("model_bytes")) continue;  // infeasible budget
        const double kib = p["model_bytes"].get<double>() / 1024.0;
        const double o = std::max(p.value("objective", 0.0), 1e-12);
        omega->append(kib, o);
        const double t = 100.0 * p.value("test_accuracy", 0.0);
        const double v = p.contains("val_accuracy") ? 100.0 * p["val_accuracy"].get<double>() : t;
        if (p.contains("val_accuracy")) accuracy->append(kib, v);
        test->append(kib, t);
        accuracy_points_.emplace_back(kib, p.contains("val_accuracy") ? v : t);
        x_lo = std::min(x_lo, kib);
        x_hi = std::max(x_hi, kib);
        o_lo = std::min(o_lo, o);
        o_hi = std::max(o_hi, o);
        a_lo = std::min({a_lo, v, t});
        a_hi = std::max({a_hi, v, t});
        points_.push_back(p);
    }
    if (points_.empty()) {
        delete omega;
        delete accuracy;
        delete test;
        return;
    }
    ring_ = new QScatterSeries;
    ring_->setName(tr("chosen"));
    ring_->setMarkerSize(16);
    ring_->setColor(Qt::transparent);
    ring_->setBorderColor(QColor(0xd0, 0x30, 0x30));
    chart()->addSeries(omega);
    chart()->addSeries(accuracy);
    chart()->addSeries(test);
    chart()->addSeries(ring_);
    auto* x = new QValueAxis;
    x->setTitleText(tr("model size (KiB)"));
    const double pad = std::max(0.5, 0.05 * (x_hi - x_lo));
    x->setRange(x_lo - pad, x_hi + pad);
    chart()->addAxis(x, Qt::AlignBottom);
    auto* left = new QLogValueAxis;
    left->setTitleText(tr("Σ Ω"));
    left->setLabelFormat("%.0e");
    left->setRange(std::pow(10.0, std::floor(std::log10(o_lo))),
                   std::pow(10.0, std::ceil(std::log10(o_hi)) + 0.01));
    chart()->addAxis(left, Qt::AlignLeft);
    // Zoomed to the data (a 0–100 % scale flattens every difference), a point of margin at least.
    auto* right = new QValueAxis;
    right->setTitleText(tr("accuracy %"));
    const double a_pad = std::max(1.0, 0.1 * (a_hi - a_lo));
    accuracy_range_ = {std::max(0.0, std::floor(a_lo - a_pad)), std::min(100.0, std::ceil(a_hi + a_pad))};
    right->setRange(accuracy_range_.first, accuracy_range_.second);
    right->setLabelFormat("%.0f");
    chart()->addAxis(right, Qt::AlignRight);
    omega->attachAxis(x);
    omega->attachAxis(left);
    // The chosen point's ring sits on the accuracy line the user clicked.
    accuracy_series_ = accuracy->count() > 0 ? accuracy : test;
    for (QLineSeries* s : {accuracy, test}) {
        s->attachAxis(x);
        s->attachAxis(right);
    }
    ring_->attachAxis(x);
    ring_->attachAxis(right);
    for (QLineSeries* s : {omega, accuracy, test})
        connect(s, &QLineSeries::clicked, this, [this](const QPointF& at) { clicked(at); });
}

void ParetoChart::clicked(const QPointF& at) {
    // The nearest point by size: every line has one point per budget at the same KiB.
    int best = -1;
    double best_d = INFINITY;
    for (std::size_t i = 0; i < accuracy_points_.size(); ++i) {
        const double d = std::abs(accuracy_points_[i].x() - at.x());
        if (d < best_d) {
            best_d = d;
            best = static_cast<int>(i);
        }
    }
    if (best >= 0) choosePoint(best);
}

void ParetoChart::choosePoint(int i) {
    if (i < 0 || i >= pointCount() || !ring_) return;
    chosen_ = i;
    ring_->clear();
    ring_->append(accuracy_points_[static_cast<std::size_t>(i)]);
    Q_EMIT pointChosen(i);
}

QPoint ParetoChart::pointPosition(int i) const {
    if (i < 0 || i >= pointCount() || !accuracy_series_) return {};
    const QPointF in_chart =
        chart()->mapToPosition(accuracy_points_[static_cast<std::size_t>(i)], accuracy_series_);
    return mapFromScene(chart()->mapToScene(in_chart));
}

}  // namespace tm2::gui
