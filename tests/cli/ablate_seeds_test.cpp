// End-to-end: `tinym2net ablate --seeds N` repeats the whole ablation (fused and
// unimodal networks × FP32/INT8/INT4/MP) under N seeds, one run folder each, and
// reports every cell as mean ± 95 % CI, in its JSON and in OUT/ablation-seeds.json.

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "tests/cli/tiny_demo_run.h"
#include "tests/support/run_command.h"
#include "tests/support/temp_dir.h"

namespace {

using nlohmann::json;
using tm2::testing::cli;
using tm2::testing::runCommand;
using tm2::testing::TempDir;

json readJson(const std::filesystem::path& path) {
    std::ifstream in(path);
    return json::parse(in);
}

TEST(AblateSeedsCli, TwoSeedsGiveTwoAblationsAndEachCellsMeanWithAnInterval) {
    TempDir dir;
    ASSERT_NO_FATAL_FAILURE(tm2::testing::makeTinyDemo(dir));
    const auto r = runCommand(tm2::testing::tinyDemoCommand(
        dir, "ablate", "a", {"--seeds", "2", "--seed", "5", "--hessian-probes", "2", "--hessian-samples", "16"}));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const json j = json::parse(r.out);
    ASSERT_EQ(j["runs"].size(), 2u);
    EXPECT_EQ(j["runs"][0]["seed"], 5);
    EXPECT_EQ(j["runs"][1]["seed"], 6);
    EXPECT_EQ(j["variants"].size(), 3u);  // multimodal, only audio, only image

    // Each seed is a whole ablation of its own, in its own folder.
    const json first = readJson(dir.path() / "a" / "seed-5" / "ablation.json");
    const json second = readJson(dir.path() / "a" / "seed-6" / "ablation.json");
    const auto cell = [](const json& ablation, const std::string& mode) {
        return ablation["matrix"][0][mode]["accuracy"].get<double>();
    };
    EXPECT_EQ(first["matrix"][0]["variant"], "multimodal");

    // The summary of the fused network's MP cell is the mean of the two seeds' cells;
    // two values: s = |a − b| / √2, half width = t(0.975, 1) · s / √2 = 12.7062047 · |a − b| / 2.
    const double a = cell(first, "mp"), b = cell(second, "mp");
    const json& mp = j["summary"]["multimodal.mp.accuracy"];
    EXPECT_EQ(mp["n"], 2);
    EXPECT_NEAR(mp["mean"].get<double>(), (a + b) / 2, 1e-12);
    EXPECT_NEAR(mp["ci95_high"].get<double>() - mp["mean"].get<double>(), 12.7062047 * std::fabs(a - b) / 2,
                1e-6);
    EXPECT_TRUE(j["summary"].contains("only audio.int4.delta"));
    EXPECT_TRUE(j["summary"].contains("fusion_gain"));

    // The same summary is kept beside the runs.
    EXPECT_EQ(readJson(dir.path() / "a" / "ablation-seeds.json"), j);
}

}  // namespace
