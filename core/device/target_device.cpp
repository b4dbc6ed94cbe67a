#include "core/device/target_device.h"

#include <unistd.h>

#include "core/base/error.h"

namespace tm2::device {
namespace {

constexpr double kDefaultBudgetUs = 100'000;  // one inference per 100 ms hop of a sliding window

// The runtime's own RAM and code on a Cortex-M4F, measured by scripts/cortex-m.sh on
// the demo INT8 model (README, "Microcontroller export", 2026-11-25): static data
// besides the arena 4,104 (31,736 − 27,632) + newlib heap break 33,792 (graph
// tables 14,894 and malloc/stdio overhead) + stack peak 1,636; code 86,242 +
// initialised data 2,552. The heap's graph tables grow with the model's op count.
constexpr std::int64_t kM4RuntimeRam = 4'104 + 33'792 + 1'636;
constexpr std::int64_t kM4RuntimeFlash = 86'242 + 2'552;
// tinym2net-bench's resident set on x86-64 (README, runtime benchmark): 4.4 MB.
constexpr std::int64_t kProcessRam = 4'400'000;

TargetDevice cortexM4() {
    TargetDevice t;
    t.id = "cortex-m4";
    t.name = "Cortex-M4 (128 KiB SRAM, 1 MiB flash)";
    t.ram_bytes = 128 * 1024;
    t.flash_bytes = 1024 * 1024;
    t.runtime_ram_bytes = kM4RuntimeRam;
    t.runtime_flash_bytes = kM4RuntimeFlash;
    t.footprint_basis =
        "runtime RAM 39,532 B (static 4,104 + heap 33,792 + stack 1,636) and code 88,794 B, measured for the "
        "demo INT8 model on QEMU's mps2-an386 (scripts/cortex-m.sh)";
    t.throughput = {
        "Cortex-M4F @ 168 MHz", 42e6, 20.0,
        "assumed 4 cycles per int8 MAC at 168 MHz (the portable C kernels, no CMSIS-NN) = 42 MMAC/s "
        "+ 20 us per op; not measured"};
    t.latency_budget_us = kDefaultBudgetUs;
    return t;
}

TargetDevice raspberryPi4() {
    TargetDevice t;
    t.id = "pi4";
    t.name = "Raspberry Pi 4 (1 GiB, one core)";
    t.ram_bytes = std::int64_t{1} << 30;
    t.runtime_ram_bytes = kProcessRam;
    t.footprint_basis =
        "runtime process 4.4 MB (tinym2net-bench's resident set on x86-64); storage is the SD card";
    t.throughput = raspberryPi4Throughput();
    t.latency_budget_us = kDefaultBudgetUs;
    return t;
}

std::int64_t physicalMemoryBytes() {
    const long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);
    return pages > 0 && page > 0 ? static_cast<std::int64_t>(pages) * page : 0;
}

TargetDevice thisMachine() {
    TargetDevice t;
    t.id = "host";
    t.name = "This machine (one core)";
    t.ram_bytes = physicalMemoryBytes();
    t.runtime_ram_bytes = kProcessRam;
    t.footprint_basis = "runtime process 4.4 MB (tinym2net-bench's resident set); storage not limited";
    t.throughput = {"this machine, 1 core", 35e9, 0.0,
                    "35 GMAC/s: the demo network (962k MACs) ran in 27.4 us p50 here with the AVX2 kernels "
                    "(bench/run_runtime_bench.sh); without AVX2 about 10x slower; the Benchmark pane's "
                    "measurement replaces it"};
    t.latency_budget_us = kDefaultBudgetUs;
    return t;
}

FitLine line(double used, double limit, std::string basis) {
    FitLine l;
    l.used = used;
    l.limit = limit;
    l.over = limit > 0 && used > limit;
    l.basis = std::move(basis);
    return l;
}

}  // namespace

std::vector<TargetDevice> presetTargets() { return {cortexM4(), raspberryPi4(), thisMachine()}; }

TargetDevice presetTarget(const std::string& id) {
    std::string ids;
    for (const auto& t : presetTargets()) {
        if (t.id == id) return t;
        ids += (ids.empty() ? "" : ", ") + t.id;
    }
    throw Error("target device '" + id + "': unknown (one of " + ids + ")");
}

TargetDevice customTarget(std::int64_t ram_bytes, std::int64_t flash_bytes, double macs_per_second,
                          double per_op_overhead_us, double latency_budget_us) {
    if (ram_bytes <= 0) throw Error("custom target: ram_bytes must be positive");
    if (flash_bytes <= 0) throw Error("custom target: flash_bytes must be positive");
    if (!(macs_per_second > 0)) throw Error("custom target: macs_per_second must be positive");
    if (!(per_op_overhead_us >= 0)) throw Error("custom target: per_op_overhead_us must not be negative");
    if (!(latency_budget_us >= 0)) throw Error("custom target: latency_budget_us must not be negative");
    TargetDevice t;
    t.id = "custom";
    t.name = "Custom device";
    t.ram_bytes = ram_bytes;
    t.flash_bytes = flash_bytes;
    t.footprint_basis = "the runtime's own RAM and code are not counted (unknown for a custom device)";
    t.throughput = {"custom device", macs_per_second, per_op_overhead_us,
                    "as entered by the user; not measured"};
    t.latency_budget_us = latency_budget_us;
    return t;
}

TargetFit fitOnTarget(const ModelFootprint& model, const TargetDevice& target) {
    TargetFit fit;
    const auto ram = static_cast<double>(model.arena_bytes + target.runtime_ram_bytes);
    fit.ram =
        line(ram, static_cast<double>(target.ram_bytes),
             "arena " + std::to_string(model.arena_bytes) + " B (" + model.arena_basis + ") + runtime " +
                 std::to_string(target.runtime_ram_bytes) + " B; " + target.footprint_basis);
    const auto flash = static_cast<double>(model.model_bytes + target.runtime_flash_bytes);
    fit.flash = line(flash, static_cast<double>(target.flash_bytes),
                     "model " + std::to_string(model.model_bytes) + " B (" + model.model_basis +
                         ") + runtime code " + std::to_string(target.runtime_flash_bytes) + " B");
    if (model.measured_latency_us) {
        fit.latency =
            line(*model.measured_latency_us, target.latency_budget_us, "measured on " + target.name);
        fit.latency_measured = true;
    } else {
        const LatencyEstimate e = estimateLatency(model.macs, model.ops, target.throughput);
        fit.latency = line(e.latency_us, target.latency_budget_us, "estimate: " + target.throughput.basis);
    }
    return fit;
}

}  // namespace tm2::device
