#pragma once
// `sweep collect`: the runs each trial exported into its trial.json are added
// to the experiment store (tagged with the sweep), from one process on one
// machine, so no trial ever writes the SQLite store over a shared filesystem.
// Idempotent: a run already in the store is left alone. And the seed
// statistics: trials that differ only in seed, summarised per metric.

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/experiment/experiment_store.h"
#include "core/workflow/sweep/seed_statistics.h"
#include "core/workflow/sweep/sweep_folder.h"

namespace tm2::sweep {

struct CollectReport {
    int added = 0;                      // runs added to the store now
    int already = 0;                    // runs the store held already
    int unfinished = 0;                 // trials still running, queued or never run (collect again later)
    std::vector<std::string> problems;  // damaged trial records (named; the rest is still merged)
};

CollectReport collectSweep(const std::vector<TrialStatus>& statuses, experiment::ExperimentStore& store);

struct SeedGroup {
    nlohmann::json values;    // the axis values without "seed"
    std::vector<int> trials;  // finished trials in the group
    std::map<std::string, MetricSummary> metrics;
};

// Groups the finished trials by their values without "seed" (in plan order) and
// summarises each metric of their last finished attempt.
std::vector<SeedGroup> seedGroups(const std::vector<TrialStatus>& statuses);

}  // namespace tm2::sweep
