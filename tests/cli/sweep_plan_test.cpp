// End-to-end: `tinym2net sweep plan` lists a sweep file's trials, or names the bad field.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "tests/support/run_command.h"
#include "tests/support/temp_dir.h"

namespace {

using nlohmann::json;
using ::testing::HasSubstr;
using tm2::testing::cli;
using tm2::testing::runCommand;
using tm2::testing::TempDir;

const std::string kTinySweep = std::string(TM2_SOURCE_DIR) + "/resources/sweeps/tiny.json";

TEST(SweepPlanCli, TheTinySweepPlansFourTrialsOnTheGivenData) {
    TempDir dir;
    const auto r = runCommand(cli({"sweep", "plan", kTinySweep, "--data", dir.file("demo"), "--json"}));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const json plan = json::parse(r.out);
    EXPECT_EQ(plan["name"], "tiny");
    EXPECT_EQ(plan["data"], dir.file("demo"));
    ASSERT_EQ(plan["trials"].size(), 4u);
    EXPECT_EQ(plan["trials"][3]["folder"], "trial-0003");
    EXPECT_EQ(plan["trials"][3]["values"], (json{{"fusion", "sum"}, {"seed", 2}}));

    const auto text = runCommand(cli({"sweep", "plan", kTinySweep}));
    ASSERT_EQ(text.exit_code, 0) << text.err;
    EXPECT_THAT(text.out, HasSubstr("trial-0002  fusion=sum seed=1"));
}

TEST(SweepPlanCli, ABadValueIsRefusedNamingTheFileAndField) {
    TempDir dir;
    tm2::testing::writeTextFile(
        dir.file("SWEEP.json"),
        R"({"name": "x", "base": {"data": "d"}, "axes": [{"param": "lr", "values": [0.1]},
                                    {"param": "seed", "values": ["one"]}]})");
    const auto r = runCommand(cli({"sweep", "plan", dir.file("SWEEP.json")}));
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_THAT(
        r.err,
        HasSubstr("SWEEP.json: axes[1].values[0]: expected an integer in 0..9007199254740991, got \"one\""));
}

}  // namespace
