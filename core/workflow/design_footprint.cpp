#include "core/workflow/design_footprint.h"

#include <filesystem>
#include <map>

#include "core/model/cost_table.h"
#include "core/model/shape_inference.h"
#include "core/runtime/arena_planner.h"
#include "core/runtime/interpreter.h"
#include "core/runtime/kernels/simd_ops.h"
#include "core/runtime/model_format.h"
#include "core/runtime/op_cost.h"

namespace tm2::workflow {
namespace {

// Rows the runtime does not execute: batchnorm folds into the layer before it,
// dropout is the identity at inference, flatten is a view of the same bytes.
bool executes(const model::LayerCost& row) {
    return row.kind != "batchnorm" && row.kind != "dropout" && row.kind != "flatten";
}

std::size_t elements(const std::vector<std::size_t>& shape) {
    std::size_t n = 1;
    for (const auto d : shape) n *= d;
    return shape.empty() ? 0 : n;
}

// The footprint at INT8 from the spec's cost table (computed once by the callers).
device::ModelFootprint int8Footprint(const model::ModelSpec& spec, const model::CostTable& table) {
    // One buffer per branch input, then one per executed row's output (1 byte per INT8 code).
    std::vector<runtime::BufferRequest> requests;
    std::map<std::string, std::size_t> open;  // branch → its live buffer not yet consumed
    for (const auto& b : spec.branches) {
        open[b.modality] = requests.size();
        requests.push_back({elements(b.input), -1, -1});
    }
    int op = 0;
    bool fused = false;
    for (const auto& row : table.layers) {
        if (!executes(row)) continue;
        if (row.branch == "head" && !fused) {
            // The first head op reads every branch's features (the fusion).
            for (auto& [name, buffer] : open)
                if (name != "head") requests[buffer].last_use = op;
            open.clear();
            fused = true;
        } else if (const auto it = open.find(row.branch); it != open.end()) {
            requests[it->second].last_use = op;
        }
        open[row.branch] = requests.size();
        requests.push_back({static_cast<std::size_t>(row.output_elements), op, op});
        ++op;
    }
    for (auto& [name, buffer] : open) requests[buffer].last_use = op;  // the logits, read after the last op

    device::ModelFootprint f;
    f.arena_bytes = static_cast<std::int64_t>(runtime::planArena(requests, 16).peak_bytes);
    f.model_bytes = table.totalWeightBytes(8) + 4 * table.totalBias();
    f.macs = static_cast<std::uint64_t>(table.totalMacs());
    f.ops = static_cast<std::size_t>(op);
    f.arena_basis = "estimate: INT8 activations planned as the runtime plans them, without kernel scratch";
    f.model_basis = "estimate: weights at INT8 + int32 biases, without the .tmn's tables";
    return f;
}

model::CostTable costTableOf(const model::ModelSpec& spec) {
    return model::computeCostTable(model::inferShapes(spec), spec);
}

}  // namespace

device::ModelFootprint designFootprint(const model::ModelSpec& spec) {
    return int8Footprint(spec, costTableOf(spec));
}

device::ModelFootprint planFootprint(const model::ModelSpec& spec, std::int64_t weight_bytes,
                                     const std::string& plan_name) {
    const model::CostTable table = costTableOf(spec);
    device::ModelFootprint f = int8Footprint(spec, table);
    f.model_bytes = weight_bytes + 4 * table.totalBias();
    f.model_basis =
        "plan " + plan_name + ": weights at the plan's widths + int32 biases, without the .tmn's tables";
    return f;
}

device::ModelFootprint exportedFootprint(const std::string& tmn_path, const device::TargetDevice& target,
                                         std::optional<double> measured_latency_us) {
    runtime::Model model = runtime::readModel(tmn_path);
    device::ModelFootprint f;
    f.macs = runtime::modelMacs(model);
    f.ops = model.ops.size();
    f.model_bytes = static_cast<std::int64_t>(std::filesystem::file_size(tmn_path));
    f.model_basis = std::filesystem::path(tmn_path).filename().string();
    // The kernels the target runs decide the scratch: this machine's best here; the
    // Pi's NEON kernels plan like their portable pair-GEMM twin; a microcontroller
    // (or a custom device) runs the portable loops.
    runtime::InterpreterOptions options;
    if (target.id == "host") {
        options.ops = &runtime::bestSimdOps();
        f.arena_basis = "planned by the runtime for this machine's kernels";
    } else if (target.id == "pi4") {
        options.ops = &runtime::portablePairSimdOps();
        f.arena_basis = "planned by the runtime for the Pi's NEON kernels (their portable pair-GEMM twin)";
    } else {
        options.ops = &runtime::portableSimdOps();
        f.arena_basis = "planned by the runtime for the portable kernels, as on a microcontroller";
    }
    const runtime::Interpreter interpreter(std::move(model), options);
    f.arena_bytes = static_cast<std::int64_t>(interpreter.arenaBytes());
    f.measured_latency_us = measured_latency_us;
    return f;
}

}  // namespace tm2::workflow
