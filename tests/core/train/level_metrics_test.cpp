#include "core/train/level_metrics.h"

#include <gtest/gtest.h>

#include <cmath>
#include <nlohmann/json.hpp>

#include "core/base/error.h"

namespace tm2::train {
namespace {

// Seven windows, two classes, four recordings of three participants:
//   window  recording participant truth logits   argmax
//   0       A         P1          0     (2, 0)   0 ✓
//   1       A         P1          0     (0, 1)   1 ✗
//   2       B         P1          0     (0, 3)   1 ✗
//   3       C         P2          1     (1, 0)   0 ✗
//   4       C         P2          1     (0, 4)   1 ✓
//   5       C         P2          1     (0, 1)   1 ✓
//   6       D         P3          1     (1, 0)   0 ✗
// per window: 3/7.
// per recording (mean logits): A (1, 0.5) → 0 ✓; B (0, 3) → 1 ✗; C (1/3, 5/3) → 1 ✓; D (1, 0) → 0 ✗ → 2/4.
// per participant: P1 mean (2/3, 4/3) → 1 ✗ (truth 0); P2 = C ✓; P3 = D ✗ → 1/3.
struct HandCase {
    std::vector<float> logits{2, 0, 0, 1, 0, 3, 1, 0, 0, 4, 0, 1, 1, 0};
    std::vector<int> truth{0, 0, 0, 1, 1, 1, 1};
    std::vector<std::string> recordings{"A", "A", "B", "C", "C", "C", "D"};
    std::vector<std::string> participants{"P1", "P1", "P1", "P2", "P2", "P2", "P3"};
};

double sigmoid(double x) { return 1.0 / (1.0 + std::exp(-x)); }

TEST(LevelMetricsTest, PerWindowRecordingAndParticipantMatchTheHandComputedCase) {
    const HandCase c;
    const MetricLevels m = metricLevels(c.logits, c.truth, c.recordings, c.participants, 2);
    EXPECT_EQ(m.window.samples, 7u);
    EXPECT_DOUBLE_EQ(m.window.accuracy, 3.0 / 7.0);
    EXPECT_EQ(m.recording.samples, 4u);
    EXPECT_DOUBLE_EQ(m.recording.accuracy, 2.0 / 4.0);
    // Recording confusion rows = truth: A ✓, B → 1 | C ✓, D → 0.
    EXPECT_EQ(m.recording.confusion, (std::vector<std::vector<long>>{{1, 1}, {1, 1}}));
    EXPECT_EQ(m.participant.samples, 3u);
    EXPECT_DOUBLE_EQ(m.participant.accuracy, 1.0 / 3.0);
    EXPECT_EQ(m.participant.confusion, (std::vector<std::vector<long>>{{0, 1}, {1, 1}}));
}

TEST(LevelMetricsTest, RecordingRocAucRanksTheSoftmaxOfTheMeanLogits) {
    // Scores softmax(mean)[1] = sigmoid(mean1 − mean0): A σ(−0.5) ≈ 0.38, B σ(3) ≈ 0.95,
    // C σ(4/3) ≈ 0.79, D σ(−1) ≈ 0.27. Positives C, D vs negatives A, B: only C > A → 1/4.
    const HandCase c;
    EXPECT_DOUBLE_EQ(aggregatedMetrics(c.logits, c.truth, c.recordings, 2).roc_auc, 0.25);
    EXPECT_LT(sigmoid(-0.5), sigmoid(4.0 / 3.0));  // the ordering the 1/4 relies on
}

TEST(LevelMetricsTest, AUnitsTruthIsItsMostFrequentLabel) {
    // One unit of three windows labelled 1, 1, 0 (label noise): truth 1, predicted 1.
    const auto m = aggregatedMetrics({0, 1, 0, 1, 0, 1}, {1, 1, 0}, {"u", "u", "u"}, 2);
    EXPECT_EQ(m.samples, 1u);
    EXPECT_DOUBLE_EQ(m.accuracy, 1.0);
}

TEST(LevelMetricsTest, MismatchedLengthsAreAnError) {
    EXPECT_THROW(aggregatedMetrics({1, 0}, {0, 1}, {"a", "b"}, 2), Error);
    EXPECT_THROW(aggregatedMetrics({1, 0, 0, 1}, {0, 1}, {"a"}, 2), Error);
}

TEST(LevelMetricsTest, NoWindowsGiveNullMetricsInJson) {
    const MetricLevels m = metricLevels({}, {}, {}, {}, 2);
    const nlohmann::json j = m;
    EXPECT_TRUE(j.at("window").is_null());
    EXPECT_TRUE(j.at("recording").is_null());
    EXPECT_EQ(j.get<MetricLevels>().recording.samples, 0u);
}

}  // namespace
}  // namespace tm2::train
