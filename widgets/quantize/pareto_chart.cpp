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
    setMinimumSize(320, 220);
    clear();
}

void ParetoChart::clear() {
    auto* chart = new QChart;
    chart->setTitle(tr("Pareto sweep: Σ Ω and accuracy vs model size"));
    setChart(chart);
    points_ = 0;
}

void ParetoChart::setSweep(const nlohmann::json& sweep) {
    clear();
    auto* omega = new QLineSeries;
    omega->setName(tr("Σ Ω (left, log)"));
    omega->setPointsVisible(true);
    // Plans are chosen on validation accuracy; test accuracy is shown beside it, dashed.
    auto* accuracy = new QLineSeries;
    accuracy->setName(tr("validation accuracy % (right)"));
    accuracy->setPointsVisible(true);
    auto* test = new QLineSeries;
    test->setName(tr("test accuracy % (right, reported)"));
    test->setPen(QPen(Qt::gray, 1.5, Qt::DashLine));
    double x_lo = INFINITY, x_hi = 0, o_lo = INFINITY, o_hi = 0;
    for (const auto& p : sweep.value("pareto", nlohmann::json::array())) {
        if (!p.contains("model_bytes")) continue;  // infeasible budget
        const double kib = p["model_bytes"].get<double>() / 1024.0;
        const double o = std::max(p.value("objective", 0.0), 1e-12);
        omega->append(kib, o);
        if (p.contains("val_accuracy")) accuracy->append(kib, 100.0 * p["val_accuracy"].get<double>());
        test->append(kib, 100.0 * p.value("test_accuracy", 0.0));
        x_lo = std::min(x_lo, kib);
        x_hi = std::max(x_hi, kib);
        o_lo = std::min(o_lo, o);
        o_hi = std::max(o_hi, o);
        ++points_;
    }
    if (points_ == 0) {
        delete omega;
        delete accuracy;
        delete test;
        return;
    }
    chart()->addSeries(omega);
    chart()->addSeries(accuracy);
    chart()->addSeries(test);
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
    auto* right = new QValueAxis;
    right->setTitleText(tr("accuracy %"));
    right->setRange(0, 100);
    chart()->addAxis(right, Qt::AlignRight);
    omega->attachAxis(x);
    omega->attachAxis(left);
    accuracy->attachAxis(x);
    accuracy->attachAxis(right);
    test->attachAxis(x);
    test->attachAxis(right);
}

}  // namespace tm2::gui
