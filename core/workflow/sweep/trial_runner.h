#pragma once
// One trial of a sweep, as `tinym2net sweep run-trial` runs it on any executor:
// an ordinary training run (and quantization, when the sweep asks) into
// DIR/trial-NNNN, recorded in a private experiment store in the node's temp
// folder whose runs are then written, tagged with the sweep and the trial's
// values, into DIR/trial-NNNN/trial.json (sweep collect merges them). Training
// the same folder again resumes from its last checkpoint.

#include <string>

#include "core/base/progress.h"
#include "core/train/trainer.h"
#include "core/workflow/sweep/sweep_file.h"
#include "core/workflow/sweep/sweep_plan.h"
#include "core/workflow/sweep/trial_record.h"

namespace tm2::sweep {

struct TrialEnvironment {
    std::string slurm_job_id;         // $SLURM_ARRAY_JOB_ID (else $SLURM_JOB_ID)
    std::string slurm_array_task_id;  // $SLURM_ARRAY_TASK_ID
    static TrialEnvironment fromProcess();
};

// Returns the attempt as written to trial.json (status finished, failed or
// cancelled); a failure is recorded, not thrown. Throws only when trial.json
// itself cannot be read or written.
TrialAttempt runTrial(const SweepFile& sweep, const Trial& trial, const std::string& sweep_dir,
                      const TrialEnvironment& env, const train::TrainCallback& on_training = {},
                      const ProgressCallback& progress = {});

}  // namespace tm2::sweep
