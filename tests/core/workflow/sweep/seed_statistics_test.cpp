#include "core/workflow/sweep/seed_statistics.h"

#include <gtest/gtest.h>

#include <cmath>

namespace tm2::sweep {
namespace {

TEST(SeedStatisticsTest, ThreeSeedsGiveMeanSampleStdAndStudentInterval) {
    // mean 0.85; deviations −0.05, 0, 0.05 → s² = 0.005 / 2 = 0.0025, s = 0.05;
    // half width = t(0.975, 2) · s / √3 = 4.30265273 · 0.0288675135 = 0.1242069.
    const MetricSummary s = summarize({0.80, 0.85, 0.90});
    EXPECT_EQ(s.n, 3);
    EXPECT_NEAR(s.mean, 0.85, 1e-12);
    EXPECT_NEAR(s.std, 0.05, 1e-12);
    EXPECT_NEAR(s.half_width, 0.1242069, 1e-6);
    EXPECT_NEAR(s.low(), 0.7257931, 1e-6);
    EXPECT_NEAR(s.high(), 0.9742069, 1e-6);
    EXPECT_TRUE(s.has_interval);
}

TEST(SeedStatisticsTest, FourValuesUseThreeDegreesOfFreedom) {
    // {1, 2, 3, 4}: mean 2.5, Σ(x − x̄)² = 5, s = √(5/3) = 1.2909944;
    // half width = 3.18244631 · 1.2909944 / 2 = 2.0542603.
    const MetricSummary s = summarize({1, 2, 3, 4});
    EXPECT_NEAR(s.mean, 2.5, 1e-12);
    EXPECT_NEAR(s.std, 1.2909944, 1e-6);
    EXPECT_NEAR(s.half_width, 2.0542603, 1e-6);
}

TEST(SeedStatisticsTest, OneValueHasNoSpreadAndNoInterval) {
    const MetricSummary s = summarize({0.7});
    EXPECT_EQ(s.n, 1);
    EXPECT_DOUBLE_EQ(s.mean, 0.7);
    EXPECT_FALSE(s.has_interval);
    EXPECT_EQ(summaryText("test_accuracy", s), "70.0 % (n 1)");
}

TEST(SeedStatisticsTest, StudentQuantileMatchesTablesBeyondThirtyDegrees) {
    // Exact t(0.975, ν): ν=40 2.02107539, ν=60 2.00029782, ν=120 1.97993040 (R: qt(0.975, ν)).
    EXPECT_NEAR(studentT975(1), 12.7062047, 1e-7);
    EXPECT_NEAR(studentT975(30), 2.04227246, 1e-7);
    EXPECT_NEAR(studentT975(40), 2.02107539, 1e-5);
    EXPECT_NEAR(studentT975(60), 2.00029782, 1e-5);
    EXPECT_NEAR(studentT975(120), 1.97993040, 1e-5);
    EXPECT_TRUE(std::isnan(studentT975(0)));
}

TEST(SeedStatisticsTest, TrialsAreSummarizedPerMetricOverTheTrialsReportingIt) {
    const auto s = summarizeTrials({{{"test_accuracy", 0.5}, {"model_bytes", 100}},
                                    {{"test_accuracy", 0.7}},
                                    {{"test_accuracy", 0.6}, {"model_bytes", 300}}});
    EXPECT_EQ(s.at("test_accuracy").n, 3);
    EXPECT_NEAR(s.at("test_accuracy").mean, 0.6, 1e-12);
    EXPECT_EQ(s.at("model_bytes").n, 2);
    EXPECT_NEAR(s.at("model_bytes").mean, 200, 1e-12);
    // s = √((100² + 100²)/1) = 141.42; half = 12.7062047 · 141.42 / √2 = 1270.62.
    EXPECT_NEAR(s.at("model_bytes").half_width, 1270.62047, 1e-4);
    EXPECT_EQ(summaryText("test_accuracy", s.at("test_accuracy")), "60.0 ± 24.8 % (n 3)");
}

}  // namespace
}  // namespace tm2::sweep
