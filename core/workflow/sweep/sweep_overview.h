#pragma once
// A sweep at a glance, for the GUI's Sweeps view (and any report): one row per
// trial — its axis values, state, Slurm job, and the metrics of its last
// finished attempt — the axes in the sweep file's order, every metric some
// trial reports, and the seed groups (mean ± 95 % CI per configuration).
// Read from a sweep folder (trial records, the Slurm queue) or, for a sweep
// not run yet, from its SWEEP.json alone (every trial not run).

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/workflow/sweep/sweep_collect.h"
#include "core/workflow/sweep/sweep_control.h"
#include "core/workflow/sweep/sweep_file.h"
#include "core/workflow/sweep/sweep_folder.h"

namespace tm2::sweep {

// Derived for a training that reports "parameters" (no quantized size): 4 bytes per
// trained parameter, its float32 size (batch-norm statistics included).
inline constexpr const char* kFp32BytesMetric = "fp32_model_bytes";

struct TrialRow {
    int index = 0;
    std::string folder;  // trial-0003
    nlohmann::json values = nlohmann::json::object();
    TrialState state = TrialState::NotRun;
    std::string slurm_state;  // from squeue/sacct, when listed there
    int attempts = 0;
    std::string error;                      // the last attempt's, when it did not finish
    std::map<std::string, double> metrics;  // of the last finished attempt
    std::string slurm_job_id, slurm_array_task_id;
    std::string host;
};

struct SweepOverview {
    std::string name, dir, executor, sweep_file, data;
    bool planned_only = false;      // from a sweep file not run yet (no folder)
    std::vector<std::string> axes;  // the axis params, in the sweep file's order
    std::vector<TrialRow> rows;
    std::vector<std::string> metrics;  // every metric a row reports, the headline ones first
    std::vector<SeedGroup> seed_groups;
    std::string queue_warning;
};

SweepOverview sweepOverview(const SweepFolder& folder, const SweepState& state);
// readSweepFolder + currentSweepState (Slurm: squeue and sacct). Throws tm2::Error when DIR holds no sweep.
SweepOverview readSweepOverview(const std::string& dir);
// The trials `sweep` plans, none run.
SweepOverview plannedOverview(const SweepFile& sweep);

// "2 finished, 1 running, 1 not-run" (states in the order of TrialState).
std::string stateCountsText(const SweepOverview& overview);

// The metrics the charts plot when the user has not chosen: the quantized network's when the
// trials quantize (its test accuracy, its bytes), else the training's; "" when no row has one.
std::string accuracyMetricOf(const SweepOverview& overview);
std::string bytesMetricOf(const SweepOverview& overview);
// Metrics to colour the accuracy-vs-bytes scatter by: latency ones, then BOPS ones.
std::vector<std::string> costMetricsOf(const SweepOverview& overview);

// "fusion=concat seed=2" in axis order; "(base)" for none.
std::string valuesLabel(const std::vector<std::string>& axes, const nlohmann::json& values);

}  // namespace tm2::sweep
