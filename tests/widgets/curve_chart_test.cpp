#include "widgets/common/curve_chart.h"

#include <gtest/gtest.h>

#include <QLineSeries>
#include <QValueAxis>

namespace tm2::gui {
namespace {

TEST(CurveChart, EpochTicksStepBy1_2_5TimesAPowerOfTenWithAtMostAboutEightIntervals) {
    EXPECT_EQ(epochTickInterval(1), 1);
    EXPECT_EQ(epochTickInterval(8), 1);
    EXPECT_EQ(epochTickInterval(9), 2);    // 9/8 > 1
    EXPECT_EQ(epochTickInterval(36), 5);   // 1..37 epochs: 1, 6, 11 … 36
    EXPECT_EQ(epochTickInterval(111), 20);
}

TEST(CurveChart, PointsWithinTheFirstEpochWidenTheAxisToZeroAndEpochsKeepWholeTicks) {
    CurveChart chart("Loss", "loss");
    const int batches = chart.addSeries("per batch");
    chart.append(batches, 0.25, 2.0);
    auto* x = qobject_cast<QValueAxis*>(chart.chart()->axes(Qt::Horizontal).front());
    ASSERT_NE(x, nullptr);
    EXPECT_EQ(x->min(), 0);
    const int epochs = chart.addSeries("train");
    for (int e = 1; e <= 37; ++e) chart.append(epochs, e, 1.0 / e);
    EXPECT_EQ(x->max(), 37);
    EXPECT_EQ(x->tickInterval(), 5);
    EXPECT_EQ(x->tickType(), QValueAxis::TicksDynamic);
}

TEST(CurveChart, AccuracyIsAppendedAsAFractionAndDrawnInPercent) {
    CurveChart chart("Accuracy", "accuracy");
    chart.showFractionsInPercent();
    chart.append(chart.addSeries("train"), 1, 0.625);
    auto* series = qobject_cast<QLineSeries*>(chart.chart()->series().front());
    ASSERT_NE(series, nullptr);
    EXPECT_DOUBLE_EQ(series->at(0).y(), 62.5);
    auto* y = qobject_cast<QValueAxis*>(chart.chart()->axes(Qt::Vertical).front());
    EXPECT_EQ(y->titleText(), "accuracy (%)");
    EXPECT_EQ(y->max(), 100);
}

}  // namespace
}  // namespace tm2::gui
