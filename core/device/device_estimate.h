#pragma once
// A labelled latency *estimate* for a device nobody measured: the model's
// multiply-accumulates over a documented per-device throughput, plus a fixed
// cost per op. It is a planning number, never a measurement; the GUI shows it
// only when no device result exists, and always with its basis.

#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

namespace tm2::device {

struct DeviceThroughput {
    std::string device;
    double macs_per_second = 0;     // sustained int8 MACs/s of the runtime on one core
    double per_op_overhead_us = 0;  // requantisation, loop set-up, cache misses per op
    std::string basis;              // where the numbers come from (shown with the estimate)
};

// Raspberry Pi 4 (Cortex-A72 @ 1.5 GHz, one core, NEON kernels): the runtime's
// aarch64 instructions per MAC, counted deterministically under qemu-aarch64
// (bench/run_aarch64_work.sh: 0.614 for the demo network, per-op work included),
// at an assumed 1.5 instructions per cycle: ≈ 3.66 GMAC/s, no separate per-op
// cost. An estimate to plan with, replaced by `deploy` measurements.
DeviceThroughput raspberryPi4Throughput();

struct LatencyEstimate {
    std::string device;
    std::string label = "estimate";  // never "measured"
    std::uint64_t macs = 0;
    std::size_t ops = 0;
    double latency_us = 0;
    DeviceThroughput throughput;
};

// latency = macs / macs_per_second + ops · per_op_overhead_us. Throws
// tm2::Error when the throughput is not positive.
LatencyEstimate estimateLatency(std::uint64_t macs, std::size_t ops, const DeviceThroughput& throughput);

// {device, label: "estimate", macs, ops, latency_us, macs_per_second, per_op_overhead_us, basis}
nlohmann::json latencyEstimateToJson(const LatencyEstimate& e);

}  // namespace tm2::device
