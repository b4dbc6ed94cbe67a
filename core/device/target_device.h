#pragma once
// The device a model is meant for, and how a model's figures sit against it:
// RAM (the runtime's arena plus what the runtime itself needs there), flash
// (the model file plus the runtime's code) and latency (a measurement when one
// exists, else the labelled MACs-based estimate of device_estimate.h). The
// designer, the quantize budgets and the benchmark all ask fitOnTarget(), so
// "fits" means the same in every pane.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/device/device_estimate.h"

namespace tm2::device {

struct TargetDevice {
    std::string id;                // "cortex-m4", "pi4", "host", "custom"
    std::string name;              // shown to the user
    std::int64_t ram_bytes = 0;    // memory a model may use; 0 = no limit worth checking
    std::int64_t flash_bytes = 0;  // storage for code + model; 0 = no limit worth checking
    // What the runtime itself takes on this device besides the arena and the model
    // file (static data, heap tables, stack; code), with where the figures come from.
    std::int64_t runtime_ram_bytes = 0;
    std::int64_t runtime_flash_bytes = 0;
    std::string footprint_basis;
    DeviceThroughput throughput;   // for the latency estimate
    double latency_budget_us = 0;  // one inference must finish within this; 0 = none
};

// Cortex-M4 (128 KiB SRAM, 1 MiB flash), Raspberry Pi 4, this machine; in that order.
std::vector<TargetDevice> presetTargets();
// The preset with this id; throws tm2::Error listing the ids when there is none.
TargetDevice presetTarget(const std::string& id);
// A device the user describes. Throws tm2::Error naming the field when a size or
// the throughput is not positive or the per-op cost or budget is negative.
TargetDevice customTarget(std::int64_t ram_bytes, std::int64_t flash_bytes, double macs_per_second,
                          double per_op_overhead_us, double latency_budget_us);

// A model's own figures, from wherever they are known (a spec in the designer,
// a quantization plan, an exported .tmn).
struct ModelFootprint {
    std::int64_t arena_bytes = 0;  // activations + kernel scratch at run time
    std::int64_t model_bytes = 0;  // what the device stores: the .tmn, or the weights + biases
    std::uint64_t macs = 0;
    std::size_t ops = 0;  // operators the runtime executes (per-op cost of the estimate)
    std::optional<double> measured_latency_us;  // measured on this very target
    std::string arena_basis;  // "planned by the runtime", "estimate: activations at INT8, no scratch"
    std::string model_basis;  // "model.tmn", "plan mp: weights at the plan's widths + int32 biases"
};

struct FitLine {
    double used = 0;
    double limit = 0;  // 0 = no limit: never over
    bool over = false;
    std::string basis;  // how `used` was obtained, for the tooltip
    bool hasLimit() const { return limit > 0; }
};

struct TargetFit {
    FitLine ram;      // bytes
    FitLine flash;    // bytes
    FitLine latency;  // µs
    bool latency_measured = false;
    bool fits() const { return !ram.over && !flash.over && !latency.over; }
};

TargetFit fitOnTarget(const ModelFootprint& model, const TargetDevice& target);

}  // namespace tm2::device
