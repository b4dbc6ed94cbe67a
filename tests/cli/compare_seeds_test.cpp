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
    const auto r = runCommand(cli({"compare",
                                   "--data",
                                   dir.file("demo"),
                                   "--out",
                                   dir.file("c"),
                                   "--seeds",
                                   "2",
                                   "--seed",
                                   "5",
                                   "--epochs",
                                   "1",
                                   "--val",
                                   "0",
                                   "--batch-size",
                                   "8",
                                   "--threads",
                                   "1",
                                   "--cache-dir",
                                   dir.file("cache"),
                                   "--workspace",
                                   dir.file("ws"),
                                   "--json",
                                   "--quiet"}));
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

}  // namespace
