#include "core/workflow/sweep/sweep_plan.h"

#include <gtest/gtest.h>

namespace tm2::sweep {
namespace {

using nlohmann::json;

SweepFile sweepOf(const std::string& text) { return parseSweep(json::parse(text), "SWEEP.json", "/s"); }

TEST(SweepPlanTest, AGridVariesTheLastAxisFastest) {
    const SweepFile s = sweepOf(R"({"name": "g", "base": {"data": "d"},
      "axes": [{"param": "lr", "values": [0.1, 0.2]}, {"param": "seed", "values": [1, 2, 3]}]})");
    const auto trials = planTrials(s);
    ASSERT_EQ(trials.size(), 6u);
    EXPECT_EQ(trials[0].values, (json{{"lr", 0.1}, {"seed", 1}}));
    EXPECT_EQ(trials[2].values, (json{{"lr", 0.1}, {"seed", 3}}));
    EXPECT_EQ(trials[3].values, (json{{"lr", 0.2}, {"seed", 1}}));
    EXPECT_EQ(trials[5].index, 5);
    EXPECT_EQ(describeValues(s, trials[4].values), "lr=0.2 seed=2");
}

TEST(SweepPlanTest, NoAxesIsOneTrialOfTheBase) {
    const auto trials = planTrials(sweepOf(R"({"name": "b", "base": {"data": "d"}})"));
    ASSERT_EQ(trials.size(), 1u);
    EXPECT_TRUE(trials[0].values.empty());
}

TEST(SweepPlanTest, RandomSearchIsReproducibleAndStaysInsideItsRanges) {
    const std::string text =
        R"({"name": "r", "base": {"data": "d"}, "search": {"kind": "random", "samples": 50, "seed": 9},
      "axes": [{"param": "lr", "range": [0.0001, 0.01], "scale": "log"}, {"param": "epochs", "range": [1, 4]},
               {"param": "fusion", "values": ["concat", "sum"]}]})";
    const auto a = planTrials(sweepOf(text)), b = planTrials(sweepOf(text));
    ASSERT_EQ(a.size(), 50u);
    bool both_fusions = false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        EXPECT_EQ(a[i].values, b[i].values);
        const double lr = a[i].values.at("lr");
        EXPECT_GE(lr, 0.0001);
        EXPECT_LE(lr, 0.01);
        EXPECT_TRUE(a[i].values.at("epochs").is_number_integer());
        both_fusions |= a[i].values.at("fusion") != a[0].values.at("fusion");
    }
    EXPECT_TRUE(both_fusions);
}

TEST(SweepPlanTest, ATrialResolvesToTheBaseWithItsValuesApplied) {
    const SweepFile s = sweepOf(R"({"name": "v", "base": {"data": "d", "train": {"epochs": 2, "lr": 0.1}},
      "axes": [{"param": "lr", "values": [0.5]}, {"param": "fusion", "values": ["sum"]},
               {"param": "channels.audio", "values": [[4, 8]]}, {"param": "quantize.alpha", "values": [0.3]}]})");
    const TrialSettings t = resolveTrial(s, planTrials(s)[0]);
    EXPECT_EQ(t.train, (json{{"epochs", 2}, {"lr", 0.5}}));
    EXPECT_EQ(t.fusion, "sum");
    EXPECT_EQ(t.channels.at("audio"), (std::vector<int>{4, 8}));
    EXPECT_TRUE(t.quantize);
    EXPECT_EQ(t.quantize_options.at("alpha"), 0.3);
    EXPECT_EQ(t.data, "/s/d");
}

TEST(SweepPlanTest, TrialsDifferingOnlyInSeedShareAGroup) {
    EXPECT_EQ(seedGroupKey({{"lr", 0.1}, {"seed", 1}}), seedGroupKey({{"lr", 0.1}, {"seed", 2}}));
    EXPECT_NE(seedGroupKey({{"lr", 0.1}, {"seed", 1}}), seedGroupKey({{"lr", 0.2}, {"seed", 1}}));
    EXPECT_EQ(trialFolderName(7), "trial-0007");
}

}  // namespace
}  // namespace tm2::sweep
