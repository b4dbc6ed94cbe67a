#pragma once
// The Slurm executor: one job array per submission (`sbatch --array=LIST%K`),
// each task running `tinym2net sweep run-trial … --trial $SLURM_ARRAY_TASK_ID`
// into the shared sweep folder; the queue read back with squeue (and sacct
// where the cluster keeps accounting); scancel to stop. Programs are found on
// PATH (SLURM_CONF and the like pass through the environment).

#include <map>
#include <string>
#include <vector>

#include "core/workflow/sweep/sweep_file.h"
#include "core/workflow/sweep/sweep_folder.h"

namespace tm2::sweep {

// "0-3%2", "1,3", "0-2,5%4": ranges of consecutive trials, %K when max_parallel > 0.
std::string arraySpec(const std::vector<int>& trials, int max_parallel);

// The batch script (#SBATCH lines for the job name, partition, account,
// time, memory, CPUs and the extra options; then exec of run-trial).
std::string sbatchScript(const SweepFolder& folder, const SlurmOptions& options, const std::string& program);

// sbatch's argv for `script` over the array `array`: each trial's log goes beside its
// run (DIR/trial-NNNN/trial.log), given here rather than in an #SBATCH line, which
// sbatch splits at blanks (a folder with a space).
std::vector<std::string> sbatchCommand(const SweepFolder& folder, const std::string& array,
                                       const std::string& script);

// Writes DIR/slurm/sweep-N.sbatch, submits it for `trials`, records the job in
// DIR/sweep.json and returns the job id. Throws tm2::Error with sbatch's message.
std::string submitSlurmArray(SweepFolder& folder, const std::vector<int>& trials, const SlurmOptions& options,
                             const std::string& program);

struct SlurmQueue {
    std::map<int, std::string> queued;      // array task → squeue state (PENDING, RUNNING, …)
    std::map<int, std::string> queued_job;  // array task → the job id it is queued under
    std::map<int, std::string>
        ended;            // array task → sacct state of its last job (COMPLETED, CANCELLED, TIMEOUT…)
    std::string warning;  // squeue failed: the queue is unknown
};

// The tasks of the folder's submissions: squeue for the queued ones, sacct
// (when accounting is on; silently skipped otherwise) for those that ended.
SlurmQueue readSlurmQueue(const SweepFolder& folder);

// scancel of every submission; returns the job ids cancelled.
std::vector<std::string> cancelSlurmJobs(const SweepFolder& folder);
// scancel JOB_TASK: one trial's task (queued or running under `job`).
void cancelSlurmTask(const std::string& job, int task);

}  // namespace tm2::sweep
