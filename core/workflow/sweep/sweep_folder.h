#pragma once
// DIR/sweep.json: the sweep a folder holds (its file, data, planned trials, the
// executor and any Slurm submissions), written when the sweep is first run so
// `status`, `collect`, `cancel` and `resume` need only DIR; and the state of
// each trial, judged from its trial.json, its process and the Slurm queue.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/workflow/sweep/sweep_file.h"
#include "core/workflow/sweep/sweep_plan.h"
#include "core/workflow/sweep/trial_record.h"

namespace tm2::sweep {

struct SlurmSubmission {
    std::string job_id;
    std::string array;  // the --array list, e.g. "0-3%2" or "1,3"
    std::string submitted_at;
};

struct SweepFolder {
    std::string dir;
    std::string name;
    std::string sweep_file;  // absolute
    std::string data;        // the dataset every trial got (after --data)
    std::string executor;    // local | slurm
    std::vector<Trial> trials;
    std::vector<SlurmSubmission> submissions;
};

std::string sweepFolderFile(const std::string& dir);  // DIR/sweep.json

// DIR/sweep.json for `sweep` (created with the folder), or the one already there
// when it plans the same trials on the same data; anything else is a tm2::Error
// naming both (a folder never mixes two sweeps).
SweepFolder openSweepFolder(const std::string& dir, const SweepFile& sweep, const std::string& executor);
// Throws tm2::Error when DIR holds no sweep.
SweepFolder readSweepFolder(const std::string& dir);
void saveSweepFolder(const SweepFolder& folder);

// Throws tm2::Error when trial `index` of `sweep` differs from what DIR planned
// (the file was edited after the sweep was started) or is out of range.
void requirePlannedTrial(const SweepFolder& folder, const SweepFile& sweep, int index);

enum class TrialState { NotRun, Queued, Running, Finished, Failed, Cancelled, Interrupted };
const char* toString(TrialState state);

struct TrialStatus {
    int index = 0;
    TrialState state = TrialState::NotRun;
    std::optional<TrialRecord> record;
    std::string slurm_state;  // from the queue, when listed there
};

// Each planned trial's state. `queue`: array task id → Slurm state (PENDING,
// RUNNING, …) of the tasks squeue still lists (empty for local sweeps). A trial
// recorded as running whose process is gone (or, under Slurm, whose task left
// the queue) is Interrupted.
std::vector<TrialStatus> trialStatuses(const SweepFolder& folder, const std::map<int, std::string>& queue);

// What `sweep resume` reruns: failed, cancelled, interrupted and never-run trials.
bool needsRerun(TrialState state);

}  // namespace tm2::sweep
