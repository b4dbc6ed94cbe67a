#pragma once
// Quantizing a trained run folder: the settings both faces expose (mode,
// budgets, Hessian probing, QAT), one recorded `quantize` run that writes its
// plan JSON, and the Pareto sweep over size budgets.

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/base/progress.h"
#include "core/quant/quantizer.h"
#include "core/workflow/training_session.h"

namespace tm2::workflow {

struct QuantSettings {
    std::string mode = "int8";       // int8 | int4 | mp
    double size_kb = 0, bops_m = 0;  // 0 = no budget
    double alpha = -1, bops_alpha = -1;  // < 0 = not set
    bool pin_head = false;              // alias of pins {"head"}
    std::vector<std::string> pins;      // first | head | classifier: held at the highest width, any mode
    int qat_epochs = 0;
    std::string calibration = "percentile";  // minmax | percentile
    int hessian_probes = 32;           // probe cap
    double hessian_tolerance = 0.15;   // relative standard error every layer's trace must reach
    std::uint64_t hessian_seed = 7;    // Rademacher probes (the calibration subset stays fixed)
    std::vector<int> bits{4, 8};
    std::map<std::string, double> branch_kb;  // branch → KiB
    std::string latency_table;                // measured per-layer µs (tinym2net-bench --latency-table)
    double latency_us = 0;                    // whole-network latency budget, µs; 0 = none
    std::string plan;                         // replay this plan's bits
    std::string hessian_probe = "isolated";   // isolated | joint (see HessianConfig::isolate_layers)
    int hessian_samples = 256;
    std::string workspace;
    int threads = 0;

    // The core options for `mode`; mixed precision without any budget gets α = 0.5.
    quant::QuantizeOptions options(quant::QuantMode mode) const;
};

// "NAME=KIB" → (NAME, KiB); errors name the item.
std::pair<std::string, double> parseBranchBudget(const std::string& item);

struct QuantizeOutcome {
    quant::QuantizationReport report;
    nlohmann::json result;  // reportToJson + run, run_id, plan
    std::string plan_path;
    std::vector<std::string> warnings;
};

// Quantizes RUN_DIR as `settings.mode`; writes the plan (default RUN/quant-MODE.json)
// with the quantized network beside it (RUN/quant-MODE.pt, named by the plan's
// "model") and records a "quantize" run in the store.
QuantizeOutcome quantizeAndRecord(const std::string& run_dir, const QuantSettings& settings,
                                  const std::string& plan_out = "", const ProgressCallback& progress = {});

// Mixed precision at `points` size budgets from all-INT4 to all-INT8 (pins applied); writes
// RUN/pareto.json and returns its JSON ({run, pareto: [allocation + size_budget_bytes
// (+ val_accuracy to choose by, test_accuracy reported beside it, model_bytes)]}).
nlohmann::json paretoAndSave(const std::string& run_dir, const QuantSettings& settings, int points,
                             const ProgressCallback& progress = {});

}  // namespace tm2::workflow
