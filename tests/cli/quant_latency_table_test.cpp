// End-to-end: a run exported at INT8 and INT4, timed per layer by
// `tinym2net-bench --latency-table`, then `tinym2net quantize --mode mp
// --latency-table T --latency-us L`: the table's names are the quantizer's.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "tests/cli/tiny_demo_run.h"
#include "tests/support/run_command.h"
#include "tests/support/temp_dir.h"

namespace {

using tm2::testing::cli;
using tm2::testing::runCommand;
using tm2::testing::TempDir;

class QuantLatencyTableCli : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        dir_ = new TempDir();
        ASSERT_NO_FATAL_FAILURE(tm2::testing::trainTinyDemoRun(*dir_, 1));
        tm2::testing::CommandResult r;
        for (const char* mode : {"int8", "int4"}) {
            r = runCommand(cli({"export", "--run", run(), "--mode", mode, "--out",
                                dir_->file(std::string(mode) + ".tmn"), "--json"}));
            ASSERT_EQ(r.exit_code, 0) << r.err;
        }
        r = runCommand({TM2_BENCH_PATH, dir_->file("int8.tmn"), "--runs", "20", "--warmup", "2",
                        "--latency-table", table(), "--also", dir_->file("int4.tmn")});
        ASSERT_EQ(r.exit_code, 0) << r.err;
    }
    static void TearDownTestSuite() { delete dir_; }
    static std::string run() { return dir_->file("run"); }
    static std::string ws() { return dir_->file("ws"); }
    static std::string table() { return dir_->file("latency.json"); }
    static tm2::testing::CommandResult quantize(const std::string& budget_us) {
        return runCommand(
            cli({"quantize", "--run", run(), "--mode", "mp", "--threads", "1", "--workspace", ws(),
                 "--hessian-probes", "2", "--latency-table", table(), "--latency-us", budget_us, "--json"}));
    }
    static TempDir* dir_;
};
TempDir* QuantLatencyTableCli::dir_ = nullptr;

TEST_F(QuantLatencyTableCli, EveryLayerOfTheIlpGetsItsMeasuredLatencyAndTheBudgetLessTheOtherOps) {
    const auto t = nlohmann::json::parse(tm2::testing::readFileBytes(table()));
    double all8 = 0;
    for (const auto& [name, widths] : t["layers"].items()) all8 += widths["8"].get<double>();
    const double other = t["other_ops_us"].get<double>();
    const double budget = 10 * (all8 + other) + 1;  // loose: every plan fits
    const auto r = quantize(std::to_string(budget));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto j = nlohmann::json::parse(r.out);
    const auto& problem = j["ilp_problem"];
    EXPECT_NEAR(problem["latency_us_max"].get<double>(), budget - other, 1e-6);
    ASSERT_EQ(problem["layers"].size(), t["layers"].size());
    for (const auto& layer : problem["layers"]) {
        const std::string name = layer["name"];
        ASSERT_TRUE(t["layers"].contains(name)) << name;
        EXPECT_DOUBLE_EQ(layer["latency_us"]["4"].get<double>(), t["layers"][name]["4"].get<double>())
            << name;
        EXPECT_DOUBLE_EQ(layer["latency_us"]["8"].get<double>(), t["layers"][name]["8"].get<double>())
            << name;
    }
    EXPECT_LE(j["ilp"]["latency_us"].get<double>(), budget - other);
}

TEST_F(QuantLatencyTableCli, BudgetBelowTheOpsWithoutWeightsIsAClearError) {
    const auto t = nlohmann::json::parse(tm2::testing::readFileBytes(table()));
    const auto r = quantize(std::to_string(t["other_ops_us"].get<double>() / 2));
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("of the ops without weights"), std::string::npos) << r.err;
}

TEST_F(QuantLatencyTableCli, LatencyBudgetNeedsTheTable) {
    const auto r = runCommand(cli({"quantize", "--run", run(), "--mode", "mp", "--threads", "1",
                                   "--workspace", ws(), "--latency-us", "100", "--json"}));
    EXPECT_NE(r.exit_code, 0);
    EXPECT_NE(r.err.find("--latency-table"), std::string::npos) << r.err;
}

}  // namespace
