#pragma once
// The Slurm side of `tinym2net sweep`: flags over the file's "slurm" section,
// submission, the queue for `status`, and `cancel` (app/cli/sweep_slurm.cpp).

#include <CLI/CLI.hpp>
#include <vector>

#include "core/workflow/sweep/slurm_executor.h"

namespace tm2::cli {

struct SlurmFlags {
    sweep::SlurmOptions options;  // set fields win over the file's; --sbatch-option adds
    sweep::SlurmOptions over(const sweep::SlurmOptions& file) const;
};
void addSlurmFlags(CLI::App& command, SlurmFlags& flags);

// Submits `trials` as one job array (options: the sweep file's slurm section, then the flags).
void submitTrials(sweep::SweepFolder& folder, const std::vector<int>& trials, const SlurmFlags& flags,
                  bool quiet);

// squeue/sacct for the folder's jobs; a warning on stderr when squeue fails.
sweep::SlurmQueue slurmQueueOf(const sweep::SweepFolder& folder);

// scancel of the whole sweep (trial < 0) or of one trial's task.
void cancelSweep(const sweep::SweepFolder& folder, int trial);

}  // namespace tm2::cli
