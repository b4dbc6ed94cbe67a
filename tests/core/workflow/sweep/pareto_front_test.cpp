#include "core/workflow/sweep/pareto_front.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>

namespace tm2::sweep {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

TEST(ParetoFrontTest, KeepsThePointsNoOtherIsBothSmallerAndMoreAccurateThan) {
    // (bytes, accuracy):
    //   0 (100, 0.60)  smallest: on the front
    //   1 (200, 0.55)  beaten by 0 (smaller and more accurate)
    //   2 (300, 0.80)  more accurate than anything smaller: on the front
    //   3 (250, 0.70)  more accurate than 0, smaller than 2: on the front
    //   4 (400, 0.80)  as accurate as 2 but larger: beaten
    //   5 (500, 0.90)  the most accurate: on the front
    const std::vector<FrontPoint> points{{100, 0.60}, {200, 0.55}, {300, 0.80},
                                         {250, 0.70}, {400, 0.80}, {500, 0.90}};
    EXPECT_THAT(paretoFront(points), ElementsAre(0, 3, 2, 5));  // fewest bytes first
}

TEST(ParetoFrontTest, EqualSizesKeepOnlyTheMostAccurateAndEqualPointsAreAllKept) {
    // 0 and 1 share 100 bytes: 1 (0.7) beats 0 (0.5). 2 and 3 are the same point: neither beats the other.
    const std::vector<FrontPoint> points{{100, 0.5}, {100, 0.7}, {300, 0.9}, {300, 0.9}};
    EXPECT_THAT(paretoFront(points), ElementsAre(1, 2, 3));
}

TEST(ParetoFrontTest, PointsWithoutAFiniteCoordinateAreLeftOut) {
    EXPECT_THAT(paretoFront({}), IsEmpty());
    EXPECT_THAT(paretoFront({{NAN, 0.9}, {100, 0.4}, {50, INFINITY}}), ElementsAre(1));
}

TEST(ParetoFrontTest, TheTrialsOnTheFrontAreThoseReportingBothMetrics) {
    SweepOverview o;
    for (int i = 0; i < 4; ++i) o.rows.push_back(TrialRow{});
    for (int i = 0; i < 4; ++i) o.rows[i].index = i;
    o.rows[0].metrics = {{"test_accuracy", 0.5}, {"fp32_model_bytes", 1000}};
    o.rows[1].metrics = {{"test_accuracy", 0.9}};  // unfinished size: not a point
    o.rows[2].metrics = {{"test_accuracy", 0.8}, {"fp32_model_bytes", 4000}};
    o.rows[3].metrics = {{"test_accuracy", 0.4}, {"fp32_model_bytes", 2000}};  // beaten by trial 0
    EXPECT_THAT(paretoTrials(o, "test_accuracy", "fp32_model_bytes"), ElementsAre(0, 2));
}

}  // namespace
}  // namespace tm2::sweep
