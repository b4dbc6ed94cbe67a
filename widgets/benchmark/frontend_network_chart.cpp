#include "widgets/benchmark/frontend_network_chart.h"

#include <QtCharts/QBarCategoryAxis>
#include <QtCharts/QBarSet>
#include <QtCharts/QHorizontalBarSeries>
#include <QtCharts/QLegend>
#include <QtCharts/QValueAxis>
#include <algorithm>
#include <cmath>

#include "widgets/common/nice_step.h"

namespace tm2::gui {

namespace {

// The JSON parts in the order categories() names them.
constexpr const char* kParts[] = {"frontend", "network", "end_to_end"};

}  // namespace

QStringList FrontendNetworkChart::categories() {
    return {tr("front-end (MFCC)"), tr("network"), tr("end-to-end")};
}

FrontendNetworkChart::FrontendNetworkChart(QWidget* parent) : QChartView(parent) {
    setObjectName("frontendNetworkChart");
    setRenderHint(QPainter::Antialiasing);
    // Tall enough that each of the six bars is as thick as its label's line (no title
    // when it shows figures: its group box names it), low enough to sit beside the
    // latency histogram in view at 1280×720.
    setMinimumSize(360, 220);
    clear();
}

void FrontendNetworkChart::clear() {
    auto* chart = new QChart;
    chart->setTitle(tr("Front-end vs network on this machine"));
    chart->legend()->hide();
    QChart* old = this->chart();
    setChart(chart);
    delete old;
    bars_ = 0;
}

void FrontendNetworkChart::setBenchmark(const nlohmann::json& b) {
    clear();
    chart()->setTitle(QString());
    chart()->setMargins(QMargins(4, 4, 4, 4));
    // A horizontal bar series draws its first category at the bottom: appended in
    // reverse, so the chart reads top to bottom as front-end, network, end-to-end.
    QStringList names = categories();
    std::reverse(names.begin(), names.end());
    auto* series = new QHorizontalBarSeries;
    double top = 0;
    const std::pair<const char*, QColor> percentiles[] = {{"p90", QColor("#9cc9ea")},
                                                          {"p50", QColor("#1f8dd6")}};
    for (const auto& [key, colour] : percentiles) {
        auto* set = new QBarSet(key);
        set->setColor(colour);
        set->setBorderColor(colour.darker(130));
        set->setLabelColor(Qt::black);
        for (int i = 2; i >= 0; --i) {
            const auto& part = b.value(kParts[i], nlohmann::json::object());
            const double us = part.is_object() ? part.value(std::string(key) + "_us", 0.0) : 0.0;
            // One decimal, like the text beside it ("161.3 µs").
            *set << std::round(10.0 * us) / 10.0;
            top = std::max(top, us);
            ++bars_;
        }
        series->append(set);
    }
    // The two bars of a part fill most of its row: each as thick as its label, so
    // the p50 and p90 labels do not run into each other.
    series->setBarWidth(0.9);
    series->setLabelsVisible(true);
    series->setLabelsFormat("@value µs");
    series->setLabelsPrecision(9);  // significant digits: enough for "12345.6", never "1.23e+04"
    series->setLabelsPosition(QAbstractBarSeries::LabelsOutsideEnd);
    chart()->addSeries(series);

    auto* y = new QBarCategoryAxis;
    y->setTruncateLabels(false);
    y->append(names);
    auto* x = new QValueAxis;
    // From zero, so the bars' lengths compare; room on the right for the longest bar's label.
    const double step = niceStep(top * 1.45 / 5);
    x->setRange(0, std::max(step, std::ceil(top * 1.45 / step) * step));
    x->setTickType(QValueAxis::TicksDynamic);
    x->setTickAnchor(0);
    x->setTickInterval(step);
    x->setLabelFormat(step >= 1 ? "%.0f" : "%.1f");
    x->setTitleText(tr("latency per inference (µs)"));
    chart()->addAxis(y, Qt::AlignLeft);
    chart()->addAxis(x, Qt::AlignBottom);
    series->attachAxis(y);
    series->attachAxis(x);
    chart()->legend()->show();
    chart()->legend()->setAlignment(Qt::AlignTop);
    // The legend in reading order (p50 first), although p50 is drawn above p90.
    chart()->legend()->setReverseMarkers(true);
}

}  // namespace tm2::gui
