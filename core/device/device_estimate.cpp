#include "core/device/device_estimate.h"

#include "core/base/error.h"

namespace tm2::device {
namespace {
// Instructions per inference / MACs of the demo MP network, NEON path, Cortex-A72
// model (docs/aarch64-work.md): 590,979 / 962,384 = 0.614. The A72 issues up to 3
// instructions per cycle; 1.5 is assumed for this mix of loads and SMLALs.
constexpr double kPi4InstructionsPerMac = 590'979.0 / 962'384.0;
constexpr double kPi4MacsPerSecond = 1.5e9 * 1.5 / kPi4InstructionsPerMac;
}  // namespace

DeviceThroughput raspberryPi4Throughput() {
    return {
        "Raspberry Pi 4 (Cortex-A72 @ 1.5 GHz, 1 core)", kPi4MacsPerSecond, 0.0,
        "0.614 aarch64 instructions per MAC, counted under qemu-aarch64 for the demo network on the NEON "
        "path (bench/run_aarch64_work.sh; per-op work included), at an assumed 1.5 instructions per cycle "
        "at 1.5 GHz = 3.66 GMAC/s; an estimate, not measured"};
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
