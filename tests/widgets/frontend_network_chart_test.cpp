#include "widgets/benchmark/frontend_network_chart.h"

#include <gtest/gtest.h>

#include <QApplication>
#include <QtCharts/QBarCategoryAxis>
#include <QtCharts/QValueAxis>

#include "tests/widgets/widget_test_support.h"

namespace tm2::gui {
namespace {

nlohmann::json stats(double p50, double p90) {
    return {{"p50_us", p50}, {"p90_us", p90}, {"p99_us", p90 + 1}};
}

// The pane's document for a 1 s MFCC of ~160 µs in front of a ~27 µs network.
nlohmann::json document() {
    return {{"has_frontend", true},
            {"frontend", stats(161.34, 170.0)},
            {"network", stats(27.0, 29.25)},
            {"end_to_end", stats(190.06, 204.4)}};
}

QValueAxis* valueAxis(const FrontendNetworkChart& chart) {
    for (auto* axis : chart.chart()->axes(Qt::Horizontal))
        if (auto* v = qobject_cast<QValueAxis*>(axis)) return v;
    return nullptr;
}

TEST(FrontendNetworkChart, DrawsAP50AndAP90BarPerPartEachLabelledInMicroseconds) {
    FrontendNetworkChart chart;
    chart.resize(700, chart.minimumHeight());  // the height the pane gives it at 1280×720
    chart.show();
    chart.setBenchmark(document());
    QApplication::processEvents();
    EXPECT_EQ(chart.barCount(), 6);
    const QStringList shown = testing::shownChartTexts(chart);
    for (const QString& category : FrontendNetworkChart::categories())
        EXPECT_TRUE(shown.contains(category))
            << category.toStdString() << ": " << shown.join(" | ").toStdString();
    // Each value to one decimal with its unit (Qt drops a trailing ".0": 27.0 → "27 µs").
    for (const char* label : {"161.3 µs", "170 µs", "27 µs", "29.3 µs", "190.1 µs", "204.4 µs"})
        EXPECT_TRUE(shown.contains(label)) << label << ": " << shown.join(" | ").toStdString();
    EXPECT_TRUE(shown.contains("p50") && shown.contains("p90")) << shown.join(" | ").toStdString();
    EXPECT_TRUE(shown.contains("latency per inference (µs)")) << shown.join(" | ").toStdString();
    // From zero (bar lengths compare), past the longest bar by enough for its label.
    QValueAxis* x = valueAxis(chart);
    ASSERT_NE(x, nullptr);
    EXPECT_EQ(x->min(), 0.0);
    EXPECT_GE(x->max(), 204.4 * 1.3);
    EXPECT_TRUE(testing::overlappingChartTexts(chart).isEmpty())
        << testing::overlappingChartTexts(chart).join(", ").toStdString();

    chart.clear();
    EXPECT_EQ(chart.barCount(), 0);
    EXPECT_TRUE(chart.chart()->series().isEmpty());
}

}  // namespace
}  // namespace tm2::gui
