#include "core/device/device_estimate.h"

#include "core/base/error.h"

namespace tm2::device {

DeviceThroughput raspberryPi4Throughput() {
    return {
        "Raspberry Pi 4 (Cortex-A72 @ 1.5 GHz, 1 core)", 3.0e9, 1.0,
        "assumed 3 GMAC/s int8 (a quarter of the A72's NEON peak of 8 MACs/cycle at 1.5 GHz) + 1 us per op; "
        "not measured"};
}

LatencyEstimate estimateLatency(std::uint64_t macs, std::size_t ops, const DeviceThroughput& t) {
    if (!(t.macs_per_second > 0))
        throw Error("device estimate for '" + t.device + "': macs_per_second must be positive");
    if (t.per_op_overhead_us < 0)
        throw Error("device estimate for '" + t.device + "': per_op_overhead_us must not be negative");
    LatencyEstimate e;
    e.device = t.device;
    e.macs = macs;
    e.ops = ops;
    e.throughput = t;
    e.latency_us =
        static_cast<double>(macs) / t.macs_per_second * 1e6 + static_cast<double>(ops) * t.per_op_overhead_us;
    return e;
}

nlohmann::json latencyEstimateToJson(const LatencyEstimate& e) {
    return {{"device", e.device},
            {"label", e.label},
            {"macs", e.macs},
            {"ops", e.ops},
            {"latency_us", e.latency_us},
            {"macs_per_second", e.throughput.macs_per_second},
            {"per_op_overhead_us", e.throughput.per_op_overhead_us},
            {"basis", e.throughput.basis}};
}

}  // namespace tm2::device
