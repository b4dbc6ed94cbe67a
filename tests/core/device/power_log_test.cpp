#include "core/device/power_log.h"

#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <sstream>
#include <string>
#include <tuple>
#include <utility>

#include "core/base/error.h"
#include "tests/support/temp_dir.h"

namespace {

using tm2::device::analyzePowerLog;
using tm2::device::parsePowerLog;

constexpr double kDt = 0.125;  // 8 Hz; exact in binary, so times and durations compare exactly

// 24 idle samples at 2.0 W, 24 busy at 2.5 W (one of them, index 30, a 3.0 W
// peak), 24 idle at 2.0 W. `watts(i, base)` may perturb each sample.
std::string threePhaseLog(const std::function<double(int, double)>& watts = [](int, double w) { return w; }) {
    std::ostringstream csv;
    csv.precision(17);
    csv << "Time (s),Power (W)\n";
    for (int i = 0; i < 72; ++i) {
        double base = (i >= 24 && i < 48) ? 2.5 : 2.0;
        if (i == 30) base = 3.0;
        csv << i * kDt << "," << watts(i, base) << "\n";
    }
    return csv.str();
}

TEST(PowerLogTest, FindsIdleBusyIdleSegmentsAtTheExactBoundaries) {
    const auto log = parsePowerLog(threePhaseLog(), "log.csv");
    EXPECT_EQ(log.power_from, "watts");
    const auto segs = tm2::device::segmentPowerLog(log);
    ASSERT_EQ(segs.size(), 3u);
    EXPECT_FALSE(segs[0].busy);
    EXPECT_TRUE(segs[1].busy);
    EXPECT_FALSE(segs[2].busy);
    EXPECT_EQ(segs[1].first, 24u);
    EXPECT_EQ(segs[1].last, 47u);
    EXPECT_DOUBLE_EQ(segs[1].start_s, 3.0);
    EXPECT_DOUBLE_EQ(segs[1].end_s, 6.0);
    EXPECT_DOUBLE_EQ(segs[2].end_s, 9.0);  // last sample covers the median spacing
}

TEST(PowerLogTest, ReportsIdlePowerAboveIdleAndEnergyPerInferenceAsComputedByHand) {
    const auto r = analyzePowerLog(parsePowerLog(threePhaseLog(), "log.csv"), {}, 100.0);
    // Idle: 48 samples at 2.0 W. Busy: 3 s = 24 × 0.125 s, 23 × 2.5 W + 1 × 3.0 W,
    // mean 60.5/24 W; above idle 12.5/24 W = 520.833… mW; peak above idle 1000 mW;
    // energy above idle 12.5/24 W × 3 s = 1.5625 J; per inference 1562.5/100 mJ.
    EXPECT_DOUBLE_EQ(r.idle_w, 2.0);
    EXPECT_DOUBLE_EQ(r.busy_duration_s, 3.0);
    EXPECT_NEAR(r.busy_mean_w, 60.5 / 24.0, 1e-12);
    EXPECT_NEAR(r.mean_above_idle_mw, 12.5 / 24.0 * 1000.0, 1e-9);
    EXPECT_NEAR(r.peak_above_idle_mw, 1000.0, 1e-9);
    EXPECT_NEAR(r.energy_above_idle_mj, 1562.5, 1e-9);
    ASSERT_TRUE(r.energy_per_inference_mj.has_value());
    EXPECT_NEAR(*r.energy_per_inference_mj, 15.625, 1e-9);
}

TEST(PowerLogTest, InferenceRateGivesTheCountFromTheBusyDuration) {
    const auto r = analyzePowerLog(parsePowerLog(threePhaseLog(), "log.csv"), {}, std::nullopt, 10.0);
    // 10 Hz × 3 s busy = 30 inferences; 1562.5 mJ / 30.
    ASSERT_TRUE(r.inferences.has_value());
    EXPECT_NEAR(*r.inferences, 30.0, 1e-12);
    EXPECT_NEAR(*r.energy_per_inference_mj, 1562.5 / 30.0, 1e-9);
}

TEST(PowerLogTest, NoiseRampsDipsAndSpikesMoveBoundariesByAtMostOneSample) {
    const auto text = threePhaseLog([](int i, double w) {
        if (i == 10) return 3.0;              // 1-sample spike while idle: shorter than min_segment_s
        if (i == 40) return 2.0;              // 1-sample dip while busy
        if (i == 24 || i == 47) return 2.25;  // half-way ramp samples at both edges
        return w + 0.03 * std::sin(1.7 * i);  // ±30 mW meter noise
    });
    const auto segs = tm2::device::segmentPowerLog(parsePowerLog(text, "noisy.csv"));
    ASSERT_EQ(segs.size(), 3u);
    ASSERT_TRUE(segs[1].busy);
    EXPECT_NEAR(static_cast<double>(segs[1].first), 24.0, 1.0);
    EXPECT_NEAR(static_cast<double>(segs[1].last), 47.0, 1.0);
}

TEST(PowerLogTest, MultipliesVoltsAndMilliampsWhenThereIsNoPowerColumn) {
    std::ostringstream csv;
    csv << "time_ms;VBUS [V];Current (mA)\n";  // ms, mA and ';' all converted
    for (int i = 0; i < 72; ++i) csv << i * 125 << ";5.0;" << ((i >= 24 && i < 48) ? 500 : 400) << "\n";
    const auto log = parsePowerLog(csv.str(), "va.csv");
    EXPECT_EQ(log.power_from, "volts*amps");
    const auto r = analyzePowerLog(log);
    // 5 V × 0.4 A = 2.0 W idle; 5 V × 0.5 A = 2.5 W busy → 500 mW above idle for 3 s.
    EXPECT_NEAR(r.idle_w, 2.0, 1e-12);
    EXPECT_NEAR(r.mean_above_idle_mw, 500.0, 1e-9);
    EXPECT_NEAR(r.peak_above_idle_mw, 500.0, 1e-9);
    EXPECT_NEAR(r.busy_duration_s, 3.0, 1e-12);
    EXPECT_FALSE(r.energy_per_inference_mj.has_value());
}

// A two-sample log under `header`: the first sample's watts and the second's time.
std::pair<double, double> firstWattsAndSecondTime(const std::string& header, const std::string& rows) {
    const auto log = parsePowerLog(header + "\n" + rows, "units.csv");
    EXPECT_EQ(log.samples.size(), 2u) << header;
    if (log.samples.size() != 2) return {0, 0};
    return {log.samples[0].watts, log.samples[1].time_s};
}

std::string headerError(const std::string& header) {
    try {
        parsePowerLog(header + "\n0,1,1\n1,1,1\n", "units.csv");
    } catch (const tm2::Error& e) {
        return e.what();
    }
    return "(accepted)";
}

TEST(PowerLogTest, ConvertsSiPrefixesInHeadersToSecondsAndWatts) {
    // 2,500,000 µW = 2.5 W; 250,000 µs = 0.25 s. Read without the prefix (as before) these were 10^6 too big.
    double w = 0, t = 0;
    std::tie(w, t) = firstWattsAndSecondTime("time (\xC2\xB5s),power_uW", "0,2500000\n250000,2500000\n");
    EXPECT_DOUBLE_EQ(w, 2.5);
    EXPECT_DOUBLE_EQ(t, 0.25);
    // Greek mu (U+03BC) is the same prefix as the micro sign.
    std::tie(w, t) = firstWattsAndSecondTime("\xCE\xBCs,P [mW]", "0,1500\n500000,1500\n");
    EXPECT_DOUBLE_EQ(w, 1.5);
    EXPECT_DOUBLE_EQ(t, 0.5);
    // 5000 mV × 400 mA = 2 W; 125 ms = 0.125 s.
    std::tie(w, t) = firstWattsAndSecondTime("time_ms,VBUS (mV),current (mA)", "0,5000,400\n125,5000,400\n");
    EXPECT_DOUBLE_EQ(w, 2.0);
    EXPECT_DOUBLE_EQ(t, 0.125);
    // 5 V × 300 µA = 1.5 mW; kW for completeness: 0.002 kW = 2 W.
    std::tie(w, t) = firstWattsAndSecondTime(
        "t,U (V),I [\xC2\xB5"
        "A]",
        "0,5,300\n1,5,300\n");
    EXPECT_DOUBLE_EQ(w, 1.5e-3);
    std::tie(w, t) = firstWattsAndSecondTime("elapsed time (s),Power (kW)", "0,0.002\n1,0.002\n");
    EXPECT_DOUBLE_EQ(w, 2.0);
    EXPECT_DOUBLE_EQ(t, 1.0);
}

TEST(PowerLogTest, RefusesAnUnknownUnitNamingTheColumn) {
    std::string message = headerError("time (s),power (nW),x");
    EXPECT_NE(message.find("units.csv:1: column 'power (nW)': unknown unit 'nw'"), std::string::npos)
        << message;
    message = headerError("time (min),power (W),x");
    EXPECT_NE(message.find("column 'time (min)': unknown unit"), std::string::npos) << message;
    message = headerError("time,power_dBm,x");
    EXPECT_NE(message.find("column 'power_dBm'"), std::string::npos) << message;
    message = headerError("time,current (mV),voltage");
    EXPECT_NE(message.find("column 'current (mV)': unit 'mv' is a voltage unit"), std::string::npos)
        << message;
    // A column that names nothing we read may carry any unit.
    EXPECT_EQ(headerError("time (s),power (W),temperature (degC)"), "(accepted)");
    EXPECT_EQ(headerError("time_stamp,power (W),energy [mWh]"), "(accepted)");
}

TEST(PowerLogTest, SkipsMalformedLinesWithTheirLineAndColumn) {
    std::string text = threePhaseLog();
    text += "9.5,abc\n";  // line 74
    text += "9.625\n";    // line 75
    text += "1.0,2.0\n";  // line 76: time goes back
    text += "9.75,-1\n";  // line 77
    const auto log = parsePowerLog(text, "log.csv");
    EXPECT_EQ(log.samples.size(), 72u);
    ASSERT_EQ(log.skipped.size(), 4u);
    EXPECT_EQ(log.skipped[0].line, 74);
    EXPECT_EQ(log.skipped[0].reason, "column 'Power (W)': not a number 'abc'");
    EXPECT_EQ(log.skipped[1].line, 75);
    EXPECT_EQ(log.skipped[1].reason, "expected 2 fields, got 1");
    EXPECT_EQ(log.skipped[2].line, 76);
    EXPECT_NE(log.skipped[2].reason.find("does not increase"), std::string::npos);
    EXPECT_EQ(log.skipped[3].line, 77);
    EXPECT_NE(log.skipped[3].reason.find("negative power"), std::string::npos);
}

TEST(PowerLogTest, RejectsLogsWithNothingUsable) {
    try {
        parsePowerLog("time,watts\n0,x\n1,y\n", "bad.csv");
        FAIL() << "no usable sample accepted";
    } catch (const tm2::Error& e) {
        EXPECT_NE(std::string(e.what()).find(
                      "bad.csv: fewer than two usable samples; 2 lines skipped, first: line 2"),
                  std::string::npos)
            << e.what();
    }
    try {
        parsePowerLog("date,voltage\n", "hdr.csv");
        FAIL() << "header without time accepted";
    } catch (const tm2::Error& e) {
        EXPECT_NE(std::string(e.what()).find("hdr.csv:1: no time column"), std::string::npos) << e.what();
    }
    EXPECT_THROW(parsePowerLog("time,voltage\n0,5\n1,5\n", "v.csv"), tm2::Error);  // no current
}

TEST(PowerLogTest, RefusesAFlatLogWithNoVisibleInference) {
    const auto log = parsePowerLog("t,W\n0,2\n1,2\n2,2\n3,2.001\n", "flat.csv");
    EXPECT_THROW(analyzePowerLog(log), tm2::Error);
}

TEST(PowerLogTest, ReadsFromAFile) {
    tm2::testing::TempDir dir;
    tm2::testing::writeTextFile(dir.path() / "meter.csv", threePhaseLog());
    const auto r = analyzePowerLog(tm2::device::readPowerLog(dir.file("meter.csv")));
    EXPECT_EQ(r.source, dir.file("meter.csv"));
    EXPECT_EQ(r.samples, 72u);
    EXPECT_THROW(tm2::device::readPowerLog(dir.file("missing.csv")), tm2::Error);
}

}  // namespace
