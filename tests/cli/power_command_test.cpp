// End-to-end: `tinym2net power` on a synthetic USB-meter log.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "tests/support/run_command.h"
#include "tests/support/temp_dir.h"

namespace {

using tm2::testing::cli;
using tm2::testing::runCommand;
using tm2::testing::TempDir;

// 1 s idle at 1.5 W, 2 s busy at 2.0 W, 1 s idle at 1.5 W, 10 Hz (times in ms);
// plus one malformed line.
std::string meterLog() {
    std::string csv = "Time (ms),Voltage (V),Current (A)\n";
    for (int i = 0; i < 40; ++i)
        csv += std::to_string(i * 100) + ",5," + ((i >= 10 && i < 30) ? "0.4" : "0.3") + "\n";
    return csv + "4000,5,oops\n";
}

TEST(PowerCli, ReportsPowerAboveIdleAndEnergyPerInferenceAsJson) {
    TempDir dir;
    tm2::testing::writeTextFile(dir.path() / "meter.csv", meterLog());
    const auto r = runCommand(cli({"power", dir.file("meter.csv"), "--inferences", "50", "--json"}));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto j = nlohmann::json::parse(r.out);
    // 5 V × 0.3 A = 1.5 W idle, 5 V × 0.4 A = 2.0 W busy for 20 × 0.1 s = 2 s:
    // 500 mW above idle, 1000 mJ above idle, 20 mJ per inference over 50.
    EXPECT_EQ(j["power_from"], "volts*amps");
    EXPECT_NEAR(j["idle_w"].get<double>(), 1.5, 1e-9);
    EXPECT_NEAR(j["mean_above_idle_mw"].get<double>(), 500.0, 1e-6);
    EXPECT_NEAR(j["peak_above_idle_mw"].get<double>(), 500.0, 1e-6);
    EXPECT_NEAR(j["busy_duration_s"].get<double>(), 2.0, 1e-9);
    EXPECT_NEAR(j["energy_per_inference_mj"].get<double>(), 20.0, 1e-6);
    ASSERT_EQ(j["segments"].size(), 3u);
    EXPECT_EQ(j["segments"][1]["first_sample"], 10);
    EXPECT_EQ(j["segments"][1]["last_sample"], 29);
    ASSERT_EQ(j["skipped"].size(), 1u);
    EXPECT_EQ(j["skipped"][0]["line"], 42);
}

TEST(PowerCli, FailsWithTheFileNamedWhenTheHeaderIsUnusable) {
    TempDir dir;
    tm2::testing::writeTextFile(dir.path() / "bad.csv", "date,temperature\n1,2\n");
    const auto r = runCommand(cli({"power", dir.file("bad.csv")}));
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find(dir.file("bad.csv") + ":1: no time column"), std::string::npos) << r.err;
}

}  // namespace
