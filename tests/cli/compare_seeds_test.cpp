// End-to-end: `tinym2net compare --seeds N` repeats the comparison under N seeds
// (one run folder each) and reports each figure as mean ± 95 % CI.

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "tests/cli/tiny_demo_run.h"
#include "tests/support/run_command.h"
#include "tests/support/temp_dir.h"

namespace {

using nlohmann::json;
using tm2::testing::cli;
using tm2::testing::runCommand;
using tm2::testing::TempDir;

TEST(CompareSeedsCli, TwoSeedsGiveTwoRunsAndTheirMeanWithAnInterval) {
    TempDir dir;
    ASSERT_NO_FATAL_FAILURE(tm2::testing::makeTinyDemo(dir));
    const auto r = runCommand(tm2::testing::tinyDemoCommand(dir, "compare", "c", {"--seeds", "2", "--seed", "5"}));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const json j = json::parse(r.out);
    ASSERT_EQ(j["runs"].size(), 2u);
    EXPECT_EQ(j["runs"][0]["seed"], 5);
    EXPECT_EQ(j["runs"][1]["seed"], 6);
    EXPECT_TRUE(std::filesystem::exists(dir.path() / "c" / "seed-6" / "result.json"));
    const double g0 = j["runs"][0]["figures"]["fusion_gain"], g1 = j["runs"][1]["figures"]["fusion_gain"];
    const json& gain = j["summary"]["fusion_gain"];
    EXPECT_EQ(gain["n"], 2);
    EXPECT_NEAR(gain["mean"].get<double>(), (g0 + g1) / 2, 1e-12);
    // Two values: s = |g0 − g1| / √2, half width = t(0.975, 1) · s / √2 = 12.7062047 · |g0 − g1| / 2.
    const double half = 12.7062047 * std::fabs(g0 - g1) / 2;
    EXPECT_NEAR(gain["ci95_high"].get<double>() - gain["mean"].get<double>(), half, 1e-6);
    EXPECT_TRUE(j["summary"].contains("multimodal.test_accuracy"));
}

TEST(CompareSeedsCli, SeveralFusionsUnderSeveralSeedsGiveEachFusionsMeanWithAnInterval) {
    TempDir dir;
    ASSERT_NO_FATAL_FAILURE(tm2::testing::makeTinyDemo(dir));
    const auto r = runCommand(tm2::testing::tinyDemoCommand(
        dir, "compare", "c", {"--seeds", "2", "--seed", "5", "--fusion", "concat,gated"}));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const json j = json::parse(r.out);
    ASSERT_EQ(j["fusions"].size(), 2u);
    EXPECT_EQ(j["fusions"][1]["fusion"], "gated");
    EXPECT_TRUE(std::filesystem::exists(dir.path() / "c" / "fusion-gated" / "seed-6" / "result.json"));
    const json& gated = j["fusions"][1];
    ASSERT_EQ(gated["runs"].size(), 2u);
    EXPECT_EQ(gated["runs"][1]["seed"], 6);
    const double a0 = gated["runs"][0]["figures"]["test_accuracy"], a1 = gated["runs"][1]["figures"]["test_accuracy"];
    const json& accuracy = gated["summary"]["test_accuracy"];
    EXPECT_EQ(accuracy["n"], 2);
    EXPECT_NEAR(accuracy["mean"].get<double>(), (a0 + a1) / 2, 1e-12);
    // Two values: half width = t(0.975, 1) · |a0 − a1| / 2 (as for the fusion gain above).
    EXPECT_NEAR(accuracy["ci95_high"].get<double>() - accuracy["mean"].get<double>(),
                12.7062047 * std::fabs(a0 - a1) / 2, 1e-6);
    EXPECT_TRUE(gated["summary"].contains("test_accuracy_without.audio"));
    EXPECT_TRUE(gated["summary"].contains("test_uar"));
    EXPECT_GT(gated["parameters"].get<long>(), j["fusions"][0]["parameters"].get<long>());
    // The unimodal variants (the fusion does not touch them) once, over the same seeds.
    EXPECT_EQ(j["unimodal"]["image"]["summary"]["test_accuracy"]["n"], 2);
}

}  // namespace
