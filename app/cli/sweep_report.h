#pragma once
// `sweep status` and `sweep collect`: trial states and the seed statistics, as
// text or JSON (app/cli/sweep_report.cpp).

#include <CLI/CLI.hpp>
#include <map>
#include <string>
#include <vector>

#include "core/workflow/sweep/sweep_folder.h"

namespace tm2::cli {

// Each trial's state now (a Slurm sweep also asks squeue and sacct; a warning
// goes to stderr when the queue cannot be read).
std::vector<sweep::TrialStatus> currentStatuses(const sweep::SweepFolder& folder);

void printStatus(const sweep::SweepFolder& folder, const std::vector<sweep::TrialStatus>& statuses,
                 bool json);

void registerSweepReportCommands(CLI::App& sweep_group);

}  // namespace tm2::cli
