#pragma once
// A run folder describes the run its weights saw: training into a folder that
// already holds a run continues it only when the folder's run.json and spec.json
// match what is asked for (more epochs may be asked for). Otherwise the request
// stops with an error naming each differing setting, and no file is touched.

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace tm2::workflow {

struct SettingDifference {
    std::string field;  // "train.learning_rate", "data_fingerprint", "spec.branches[0].layers[1].filters"
    nlohmann::json recorded, requested;
};

// Settings that may change between a run and its continuation: the epoch budget,
// and what only affects speed or where caches live.
bool mayDifferOnResume(const std::string& field);

// Where `requested` differs from `recorded`, field by field (objects recursively;
// an array of another length, or a type change, is one difference). A field the
// recorded JSON lacks is skipped: folders written before that field existed stay
// resumable. Fields for which mayDifferOnResume holds are skipped.
std::vector<SettingDifference> differingSettings(const nlohmann::json& recorded,
                                                 const nlohmann::json& requested,
                                                 const std::string& prefix = "");

// True when `run_dir` holds a run that training would continue: a run.json and a
// checkpoints folder with something in it.
bool holdsRun(const std::string& run_dir);

// The folder's run.json (errors name it and the way out: --no-resume).
nlohmann::json readRecordedRun(const std::string& run_dir);

// Throws tm2::Error when `requested_run` (run.json as this request would write
// it) or `requested_spec` (null: not compared yet) differs from the folder's:
// each differing field with both values, then the two ways out.
void requireResumable(const std::string& run_dir, const nlohmann::json& recorded_run,
                      const nlohmann::json& requested_run, const nlohmann::json& requested_spec = nullptr);

// --no-resume: removes what training wrote into the folder (checkpoints/,
// result.json) so no later resume can mix the old weights with the new run.
void startOver(const std::string& run_dir);

}  // namespace tm2::workflow
