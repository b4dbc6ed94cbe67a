// End-to-end: `tinym2net ilp` on problem files written here.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "tests/support/run_command.h"
#include "tests/support/temp_dir.h"

namespace {

using ::testing::HasSubstr;
using tm2::testing::runCommand;
using tm2::testing::TempDir;

// 6000 bytes with fc pinned at 8 (4000 bytes): conv1 at 8 (1000) + conv2 at 4
// (1000) fits with Ω 0.5 + 2.0 (+0.2 for fc); conv2 at 8 (2000) only fits
// beside conv1 at 4 (500), Ω 3.0 + 0.1. Optimum: conv1 8, conv2 4, Ω 2.7.
nlohmann::json problem(double size_budget) {
    nlohmann::json j = nlohmann::json::parse(R"({"layers": [
        {"name": "conv1", "params": 1000, "macs": 50000, "omega": {"4": 3.0, "8": 0.5}},
        {"name": "conv2", "params": 2000, "macs": 80000, "omega": {"4": 2.0, "8": 0.1}},
        {"name": "fc", "params": 4000, "macs": 4000, "omega": {"4": 1.0, "8": 0.2}, "pinned": 8}],
      "bops_max": 1e7})");
    j["size_bytes_max"] = size_budget;
    return j;
}

std::string writeProblem(const TempDir& dir, const nlohmann::json& j) {
    tm2::testing::writeTextFile(dir.path() / "problem.json", j.dump());
    return dir.file("problem.json");
}

TEST(IlpCli, SolvesAProblemFileAsJson) {
    TempDir dir;
    nlohmann::json j = problem(6000);
    const auto r = runCommand({TM2_CLI_PATH, "ilp", writeProblem(dir, j), "--json"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto out = nlohmann::json::parse(r.out);
    EXPECT_EQ(out["status"], "optimal");
    EXPECT_EQ(out["bits"], nlohmann::json({{"conv1", 8}, {"conv2", 4}, {"fc", 8}}));
    EXPECT_DOUBLE_EQ(out["objective"].get<double>(), 2.7);
    EXPECT_DOUBLE_EQ(out["size_bytes"].get<double>(), 6000);
    // BOPS = 64·50000 + 16·80000 + 64·4000
    EXPECT_DOUBLE_EQ(out["bops"].get<double>(), 4736000);
    EXPECT_GT(out["solve_ms"].get<double>(), 0);
}

TEST(IlpCli, PrintsATableWithoutJson) {
    TempDir dir;
    const auto r = runCommand({TM2_CLI_PATH, "ilp", writeProblem(dir, problem(6000))});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_THAT(r.out, ::testing::ContainsRegex("conv1 +8 "));
    EXPECT_THAT(r.out, ::testing::ContainsRegex("conv2 +4 "));
    EXPECT_THAT(r.out, HasSubstr("(pinned)"));
    EXPECT_THAT(r.out, HasSubstr("size 6000 bytes (budget 6000)"));
}

TEST(IlpCli, InfeasibleBudgetsExitWith3AndTheSmallestTotals) {
    TempDir dir;
    const auto r = runCommand({TM2_CLI_PATH, "ilp", writeProblem(dir, problem(5000)), "--json"});
    EXPECT_EQ(r.exit_code, 3) << r.err;
    const auto out = nlohmann::json::parse(r.out);
    EXPECT_EQ(out["status"], "infeasible");
    EXPECT_TRUE(out["bits"].empty());
    // conv1 and conv2 at 4 bits, fc pinned at 8: 500 + 1000 + 4000 bytes.
    EXPECT_DOUBLE_EQ(out["min_size_bytes"].get<double>(), 5500);
    EXPECT_THAT(out["message"].get<std::string>(), HasSubstr("5500 bytes (size_bytes_max 5000)"));
}

TEST(IlpCli, BadInputExitsWith1NamingTheJsonPath) {
    TempDir dir;
    nlohmann::json j = problem(6000);
    j["layers"][1]["omega"].erase("8");
    const auto r = runCommand({TM2_CLI_PATH, "ilp", writeProblem(dir, j), "--json"});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_THAT(r.err, HasSubstr("layers[1].omega: missing width 8"));
    EXPECT_TRUE(r.out.empty()) << r.out;

    j = problem(-1);
    const auto negative = runCommand({TM2_CLI_PATH, "ilp", writeProblem(dir, j)});
    EXPECT_EQ(negative.exit_code, 1);
    EXPECT_THAT(negative.err, HasSubstr("size_bytes_max: must be a positive number"));
}

TEST(IlpCli, HelpDocumentsTheExitCodes) {
    const auto r = runCommand({TM2_CLI_PATH, "ilp", "--help"});
    EXPECT_EQ(r.exit_code, 0);
    EXPECT_THAT(r.out, HasSubstr("3 infeasible"));
}

TEST(IlpCli, RefusesMoreLayersThanItsLimitAndTakesAHigherOne) {
    // 1500 layers, more than the default limit of 1000 (3000 once ran 35 s unchecked).
    nlohmann::json j;
    for (int i = 0; i < 1500; ++i)
        j["layers"].push_back({{"name", "l" + std::to_string(i)},
                               {"params", 10},
                               {"macs", 10},
                               {"omega", {{"4", 1.0}, {"8", 0.5}}}});
    TempDir dir;
    const std::string path = writeProblem(dir, j);
    auto r = runCommand({TM2_CLI_PATH, "ilp", path, "--json"});
    EXPECT_EQ(r.exit_code, 1) << r.err;
    EXPECT_THAT(r.err, HasSubstr("layers: 1500 layers, more than the limit of 1000"));
    // Unconstrained, every layer takes 8 bits: solved at once with the limit raised.
    r = runCommand({TM2_CLI_PATH, "ilp", path, "--json", "--max-layers", "1500", "--time-limit", "30"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(nlohmann::json::parse(r.out)["bits"]["l1499"], 8);
}

}  // namespace
