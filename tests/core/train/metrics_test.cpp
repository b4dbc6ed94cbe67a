#include "core/train/metrics.h"

#include <gtest/gtest.h>

#include "core/base/error.h"

namespace tm2::train {
namespace {

TEST(MetricsTest, MatchesHandComputedValuesOnThreeClasses) {
    // truth     0 0 0 0 1 1 2 2
    // predicted 0 0 1 2 1 1 2 0
    // confusion rows=truth: [2 1 1] [0 2 0] [1 0 1]
    // accuracy 5/8; recalls 2/4, 2/2, 1/2 → UAR (0.5+1+0.5)/3 = 2/3
    // predicted counts (column sums) 3, 3, 2
    // F1_c = 2tp/(actual+predicted): 4/(4+3), 4/(2+3), 2/(2+2) → (4/7 + 4/5 + 1/2)/3
    const auto m = computeMetrics({0, 0, 0, 0, 1, 1, 2, 2}, {0, 0, 1, 2, 1, 1, 2, 0}, 3);
    EXPECT_DOUBLE_EQ(m.accuracy, 5.0 / 8.0);
    EXPECT_DOUBLE_EQ(m.balanced_accuracy, 2.0 / 3.0);
    EXPECT_NEAR(m.macro_f1, (4.0 / 7.0 + 4.0 / 5.0 + 1.0 / 2.0) / 3.0, 1e-12);
    EXPECT_EQ(m.confusion, (std::vector<std::vector<long>>{{2, 1, 1}, {0, 2, 0}, {1, 0, 1}}));
    EXPECT_LT(m.roc_auc, 0);  // undefined for three classes
}

TEST(MetricsTest, RocAucIsTheProbabilityAPositiveOutranksANegative) {
    // Positives scored 0.9, 0.4; negatives 0.5, 0.1, 0.4.
    // Pairs (pos > neg): 0.9 beats all 3; 0.4 beats 0.1, ties 0.4 (half) → 3 + 1.5 = 4.5 of 6.
    EXPECT_DOUBLE_EQ(rocAuc({1, 1, 0, 0, 0}, {0.9, 0.4, 0.5, 0.1, 0.4}), 4.5 / 6.0);
    EXPECT_DOUBLE_EQ(rocAuc({1, 0}, {0.2, 0.8}), 0.0);
    EXPECT_LT(rocAuc({1, 1}, {0.2, 0.8}), 0);  // no negatives: undefined
}

TEST(MetricsTest, BinaryMetricsIncludeAuc) {
    const auto m = computeMetrics({0, 1, 1, 0}, {0, 1, 0, 0}, 2, {0.1, 0.9, 0.4, 0.3});
    EXPECT_DOUBLE_EQ(m.accuracy, 0.75);
    EXPECT_DOUBLE_EQ(m.roc_auc, 1.0);  // scores rank both positives above both negatives
}

TEST(MetricsTest, RejectsOutOfRangeLabelsAndLengthMismatch) {
    EXPECT_THROW(computeMetrics({0, 3}, {0, 1}, 2), Error);
    EXPECT_THROW(computeMetrics({0, 1}, {0}, 2), Error);
}

}  // namespace
}  // namespace tm2::train
