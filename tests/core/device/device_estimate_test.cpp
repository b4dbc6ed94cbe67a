#include "core/device/device_estimate.h"

#include <gtest/gtest.h>

#include "core/base/error.h"

namespace tm2::device {
namespace {

TEST(DeviceEstimate, DividesMacsByThroughputAndAddsPerOpCost) {
    // 3e9 MACs at 3e9 MAC/s = 1 s = 1e6 µs; 10 ops · 1 µs = 10 µs.
    DeviceThroughput pi = raspberryPi4Throughput();
    pi.macs_per_second = 3e9;
    pi.per_op_overhead_us = 1;
    const LatencyEstimate e = estimateLatency(3'000'000'000ULL, 10, pi);
    EXPECT_DOUBLE_EQ(e.latency_us, 1e6 + 10);
    EXPECT_EQ(e.label, "estimate");
    EXPECT_NE(e.device.find("Raspberry Pi 4"), std::string::npos);
    const auto j = latencyEstimateToJson(e);
    EXPECT_EQ(j["label"], "estimate");
    EXPECT_NE(j["basis"].get<std::string>().find("not measured"), std::string::npos);
    EXPECT_DOUBLE_EQ(j["latency_us"].get<double>(), 1e6 + 10);
}

TEST(DeviceEstimate, ThePi4ThroughputComesFromTheCountedInstructions) {
    // 1.5 GHz · 1.5 instructions/cycle / (590,979 / 962,384 instructions per MAC)
    // = 2.25e9 / 0.614078 = 3.66403e9 MAC/s.
    const DeviceThroughput pi = raspberryPi4Throughput();
    EXPECT_NEAR(pi.macs_per_second, 3.66403e9, 1e5);
    EXPECT_EQ(pi.per_op_overhead_us, 0.0);
    EXPECT_NE(pi.basis.find("qemu-aarch64"), std::string::npos);
    EXPECT_NE(pi.basis.find("estimate"), std::string::npos);
}

TEST(DeviceEstimate, RejectsANonPositiveThroughput) {
    DeviceThroughput t{"nothing", 0, 1, "test"};
    EXPECT_THROW(estimateLatency(100, 1, t), Error);
}

}  // namespace
}  // namespace tm2::device
