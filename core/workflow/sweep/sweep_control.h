#pragma once
// What `sweep run`, `status`, `resume` and the GUI's Sweeps view share: each
// trial's state now (the trial records, and for a Slurm sweep the queue from
// squeue and sacct), which trials a (re)run starts, running them here as child
// processes, and the Slurm options a submission uses (the sweep file's, then
// the caller's). One function each, so the command line and the window never
// disagree on what a sweep is doing.

#include <functional>
#include <string>
#include <vector>

#include "core/workflow/sweep/local_executor.h"
#include "core/workflow/sweep/sweep_folder.h"

namespace tm2::sweep {

struct SweepState {
    std::vector<TrialStatus> trials;
    std::string queue_warning;  // squeue failed: queued trials may show as never run
};

// Each trial's state: a local sweep from its records and processes, a Slurm sweep also from the queue
// (squeue for the queued tasks, sacct — when the cluster keeps accounting — for how the others ended).
SweepState currentSweepState(const SweepFolder& folder);

// The trials a run or resume starts: failed, cancelled, interrupted and never-run ones, in order.
std::vector<int> trialsToRun(const std::vector<TrialStatus>& statuses);

// trialsToRun of the state now. For Slurm, throws tm2::Error when the queue cannot be read:
// queued trials would look never run, and submitting them again would run them twice.
std::vector<int> trialsToStart(const SweepFolder& folder, const std::string& executor);

// One child process per trial: `program sweep run-trial FILE --trial I --out DIR --data DATA --quiet`,
// its log DIR/trial-NNNN/trial.log (the trial folders are created here).
std::vector<LocalTrialJob> localTrialJobs(const SweepFolder& folder, const std::vector<int>& trials,
                                          const std::string& program);

// Runs `trials` here, `jobs` at once, until done or `keep_going` returns false (the running
// trials then stop after their batch, keeping their checkpoints). A trial process that dies
// without recording its end is recorded as failed, naming its exit code and log.
std::vector<LocalTrialExit> runSweepLocally(const SweepFolder& folder, const std::vector<int>& trials,
                                            int jobs, const std::string& program,
                                            const std::function<bool()>& keep_going,
                                            const std::function<void(const LocalTrialExit&)>& on_exit = {});

// `chosen`'s set fields win over `file`'s; its extra options are added after the file's.
// Throws tm2::Error naming an extra option that is not one `--name[=value]`.
SlurmOptions slurmOptionsOver(const SlurmOptions& file, const SlurmOptions& chosen);

// Submits `trials` as one job array with the sweep file's slurm options under `chosen`; returns the job id.
std::string submitSweepTrials(SweepFolder& folder, const std::vector<int>& trials, const SlurmOptions& chosen,
                              const std::string& program);

}  // namespace tm2::sweep
