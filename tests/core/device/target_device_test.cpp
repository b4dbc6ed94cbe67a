#include "core/device/target_device.h"

#include <gtest/gtest.h>

#include "core/base/error.h"

namespace tm2::device {
namespace {

ModelFootprint demoLike() {
    ModelFootprint m;
    m.arena_bytes = 27'632;  // the demo network's planned arena (README, microcontroller export)
    m.model_bytes = 62'846;  // its INT8 .tmn
    m.macs = 962'000;
    m.ops = 22;
    m.arena_basis = "planned by the runtime";
    m.model_basis = "model.tmn";
    return m;
}

TEST(TargetDevice, PresetsAreTheCortexM4ThePi4AndThisMachine) {
    const auto targets = presetTargets();
    ASSERT_EQ(targets.size(), 3u);
    EXPECT_EQ(targets[0].id, "cortex-m4");
    EXPECT_EQ(targets[0].ram_bytes, 131'072);
    EXPECT_EQ(targets[0].flash_bytes, 1'048'576);
    EXPECT_EQ(targets[1].id, "pi4");
    EXPECT_EQ(targets[2].id, "host");
    EXPECT_GT(targets[2].ram_bytes, 0);  // read from the machine
    EXPECT_EQ(presetTarget("pi4").name, targets[1].name);
    try {
        presetTarget("esp32");
        FAIL() << "an unknown id must be refused";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("cortex-m4, pi4, host"), std::string::npos) << e.what();
    }
}

TEST(TargetDevice, TheDemoModelFitsACortexM4WithTheMeasuredRuntimeFootprint) {
    // RAM: arena 27,632 + the runtime's 39,532 = 67,164, the RAM measured on QEMU's
    // Cortex-M4 for this model; flash: 62,846 + code 88,794 = 151,640, also as measured.
    const TargetFit fit = fitOnTarget(demoLike(), presetTarget("cortex-m4"));
    EXPECT_DOUBLE_EQ(fit.ram.used, 67'164);
    EXPECT_DOUBLE_EQ(fit.flash.used, 151'640);
    EXPECT_FALSE(fit.ram.over);
    EXPECT_FALSE(fit.flash.over);
    // Latency estimate: 962,000 / 42e6 s = 22,904.76 µs + 22 ops · 20 µs = 23,344.76 µs < 100 ms.
    EXPECT_NEAR(fit.latency.used, 23'344.76, 0.01);
    EXPECT_FALSE(fit.latency_measured);
    EXPECT_NE(fit.latency.basis.find("estimate"), std::string::npos);
    EXPECT_TRUE(fit.fits());
}

TEST(TargetDevice, ABiggerArenaIsOverTheCortexM4sSram) {
    ModelFootprint m = demoLike();
    m.arena_bytes = 100'000;  // + 39,532 = 139,532 > 131,072
    const TargetFit fit = fitOnTarget(m, presetTarget("cortex-m4"));
    EXPECT_TRUE(fit.ram.over);
    EXPECT_FALSE(fit.flash.over);
    EXPECT_FALSE(fit.fits());
}

TEST(TargetDevice, AMeasuredLatencyReplacesTheEstimate) {
    ModelFootprint m = demoLike();
    m.measured_latency_us = 27.4;
    const TargetFit fit = fitOnTarget(m, presetTarget("host"));
    EXPECT_TRUE(fit.latency_measured);
    EXPECT_DOUBLE_EQ(fit.latency.used, 27.4);
    EXPECT_NE(fit.latency.basis.find("measured"), std::string::npos);
    EXPECT_FALSE(fit.flash.hasLimit());  // storage is not limited here
    EXPECT_FALSE(fit.flash.over);
}

TEST(TargetDevice, ACustomDeviceUsesWhatTheUserEnteredAndChecksIt) {
    // No runtime footprint is known for a custom device: RAM is the arena alone,
    // 27,632 > 16,384; flash the model alone, 62,846 <= 65,536. Latency at 1e6 MAC/s:
    // 962,000 µs + 22 · 0 > the 500,000 µs budget.
    const TargetDevice t = customTarget(16'384, 65'536, 1e6, 0, 500'000);
    const TargetFit fit = fitOnTarget(demoLike(), t);
    EXPECT_TRUE(fit.ram.over);
    EXPECT_DOUBLE_EQ(fit.flash.used, 62'846);
    EXPECT_FALSE(fit.flash.over);
    EXPECT_DOUBLE_EQ(fit.latency.used, 962'000);
    EXPECT_TRUE(fit.latency.over);
    EXPECT_THROW(customTarget(0, 1, 1, 0, 0), Error);
    EXPECT_THROW(customTarget(1, 1, 0, 0, 0), Error);
    EXPECT_THROW(customTarget(1, 1, 1, -1, 0), Error);
}

}  // namespace
}  // namespace tm2::device
