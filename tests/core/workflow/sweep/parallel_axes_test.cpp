#include "core/workflow/sweep/parallel_axes.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>

namespace tm2::sweep {
namespace {

using nlohmann::json;

std::vector<std::string> labels(const ParallelAxis& a) {
    std::vector<std::string> out;
    for (const auto& t : a.ticks) out.push_back(t.label);
    return out;
}

TEST(ParallelAxesTest, ACategoricalAxisSpacesItsValuesEvenlyInPlanOrder) {
    const ParallelAxis a = makeAxis("fusion", {"sum", "concat", "sum", "gated"}, false);
    EXPECT_TRUE(a.categorical);
    // First seen first: sum 0, concat 1/2, gated 1.
    EXPECT_DOUBLE_EQ(axisPosition(a, "sum"), 0.0);
    EXPECT_DOUBLE_EQ(axisPosition(a, "concat"), 0.5);
    EXPECT_DOUBLE_EQ(axisPosition(a, "gated"), 1.0);
    EXPECT_TRUE(std::isnan(axisPosition(a, "film")));
    EXPECT_EQ(labels(a), (std::vector<std::string>{"sum", "concat", "gated"}));
    // Lists (a branch's channels) are categories too, labelled as JSON.
    const ParallelAxis c = makeAxis("channels.audio", {json{8, 16}, json{16, 32}}, false);
    EXPECT_TRUE(c.categorical);
    EXPECT_EQ(labels(c), (std::vector<std::string>{"[8,16]", "[16,32]"}));
}

TEST(ParallelAxesTest, ANumericAxisRunsFromItsSmallestToItsLargestValue) {
    const ParallelAxis a = makeAxis("seed", {3, 1, 2, 1}, false);
    EXPECT_FALSE(a.categorical);
    EXPECT_FALSE(a.log_scale);
    EXPECT_DOUBLE_EQ(axisPosition(a, 1), 0.0);
    EXPECT_DOUBLE_EQ(axisPosition(a, 2), 0.5);
    EXPECT_DOUBLE_EQ(axisPosition(a, 3), 1.0);
    EXPECT_EQ(labels(a), (std::vector<std::string>{"1", "2", "3"}));  // a grid's values, far apart
    const ParallelAxis one = makeAxis("epochs", {5, 5}, false);
    EXPECT_DOUBLE_EQ(axisPosition(one, 5), 0.5);
    EXPECT_EQ(labels(one), (std::vector<std::string>{"5"}));
}

TEST(ParallelAxesTest, ValuesSpanningTwoDecadesGetALogarithmicAxis) {
    const ParallelAxis a = makeAxis("lr", {1e-4, 1e-3, 1e-2}, false);
    EXPECT_TRUE(a.log_scale);
    // log10: −4, −3, −2 → 0, 1/2, 1.
    EXPECT_NEAR(axisPosition(a, 1e-3), 0.5, 1e-12);
    EXPECT_EQ(labels(a), (std::vector<std::string>{"0.0001", "0.001", "0.01"}));
    EXPECT_FALSE(makeAxis("lr", {1e-3, 5e-2}, false).log_scale);  // 50×: linear
}

TEST(ParallelAxesTest, CloseValuesGetEvenTicksSoNoLabelsOverlap) {
    // 0.50 and 0.51 lie 1/40 apart on 0.50..0.90: their labels would overlap, so the ticks
    // are the quarters of the axis: 0.50, 0.60, 0.70, 0.80, 0.90, in % (a rate).
    const ParallelAxis a = makeAxis("test_accuracy", {0.5, 0.51, 0.9}, true);
    EXPECT_EQ(labels(a), (std::vector<std::string>{"50.0 %", "60.0 %", "70.0 %", "80.0 %", "90.0 %"}));
    for (std::size_t i = 1; i < a.ticks.size(); ++i)
        EXPECT_GE(a.ticks[i].position - a.ticks[i - 1].position, 0.12);
}

TEST(ParallelAxesTest, ManyCategoriesShowEveryOtherLabelButAlwaysTheLast) {
    std::vector<json> values;
    for (int i = 0; i < 9; ++i) values.push_back("v" + std::to_string(i));
    const ParallelAxis a = makeAxis("data", values, false);
    // 9 categories, at most 6 ticks: every 2nd (v0 v2 v4 v6 v8; v8 is the last).
    EXPECT_EQ(labels(a), (std::vector<std::string>{"v0", "v2", "v4", "v6", "v8"}));
}

TEST(ParallelAxesTest, OneLinePerTrialReportingTheMetricThroughEveryAxis) {
    SweepOverview o;
    o.axes = {"fusion", "seed"};
    const json values[] = {{{"fusion", "concat"}, {"seed", 1}},
                           {{"fusion", "concat"}, {"seed", 2}},
                           {{"fusion", "sum"}, {"seed", 1}},
                           {{"fusion", "sum"}, {"seed", 2}}};
    for (int i = 0; i < 4; ++i) {
        TrialRow r;
        r.index = i;
        r.values = values[i];
        o.rows.push_back(r);
    }
    o.rows[0].metrics["test_accuracy"] = 0.5;
    o.rows[1].metrics["test_accuracy"] = 0.75;
    o.rows[3].metrics["test_accuracy"] = 1.0;  // trial 2 has not finished
    const ParallelCoordinates pc = parallelCoordinates(o, "test_accuracy");
    ASSERT_EQ(pc.axes.size(), 3u);
    EXPECT_EQ(pc.axes[2].name, "test_accuracy");
    EXPECT_TRUE(pc.axes[2].rate);
    ASSERT_EQ(pc.lines.size(), 3u);
    EXPECT_EQ(pc.lines[1].trial, 1);
    // concat → 0, seed 2 → 1, accuracy 0.75 on 0.5..1.0 → 0.5.
    EXPECT_EQ(pc.lines[1].positions, (std::vector<double>{0.0, 1.0, 0.5}));
    EXPECT_EQ(pc.lines[2].trial, 3);
    EXPECT_EQ(pc.lines[2].positions, (std::vector<double>{1.0, 1.0, 1.0}));
    EXPECT_DOUBLE_EQ(pc.lines[2].metric, 1.0);
}

}  // namespace
}  // namespace tm2::sweep
