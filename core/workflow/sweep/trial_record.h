#pragma once
// DIR/trial-NNNN/trial.json: what happened to one trial of a sweep, written by
// the trial itself (never by the machine that planned it), attempt by attempt.
// An attempt carries the experiment-store runs it produced (exported from a
// private store in the node's temp folder: trials never write the shared
// SQLite store) and the flat metrics seed statistics read. `sweep collect`
// merges the runs into the store.

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>
#include "core/base/utc_time.h"  // utcNow(), for the records' timestamps

namespace tm2::sweep {

struct TrialAttempt {
    int attempt = 1;
    std::string status = "running";  // running | finished | failed | cancelled
    std::string started_at, finished_at;
    std::string host;
    std::int64_t pid = 0;
    std::int64_t pid_start = 0;  // the process's start (experiment::ProcessIdentity): a reused pid is not it
    std::string slurm_job_id, slurm_array_task_id;  // empty outside Slurm
    std::string error;
    nlohmann::json runs = nlohmann::json::array();      // runRecordToJson of each run, oldest first
    nlohmann::json metrics = nlohmann::json::object();  // metric name → number
};

struct TrialRecord {
    std::string sweep;
    int trial = 0;
    nlohmann::json values = nlohmann::json::object();
    std::vector<TrialAttempt> attempts;
};

// DIR/trial-NNNN/trial.json
std::string trialRecordPath(const std::string& sweep_dir, int index);
// nullopt when the file does not exist; tm2::Error naming the file and field when it is damaged.
std::optional<TrialRecord> readTrialRecord(const std::string& path);
void writeTrialRecord(const std::string& path, const TrialRecord& record);

// A trial process (pid) that exited with `exit_code` without recording its end
// (it crashed, or failed before it started): its running attempt, or a new one,
// is marked failed, naming the exit code and the log. Nothing changes when the
// trial recorded its own end.
void recordUnexpectedExit(const std::string& sweep_dir, const std::string& sweep, int index,
                          const nlohmann::json& values, long pid, int exit_code, const std::string& log);

void to_json(nlohmann::json& j, const TrialAttempt& a);
void to_json(nlohmann::json& j, const TrialRecord& r);

}  // namespace tm2::sweep
