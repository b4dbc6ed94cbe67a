#pragma once
// The experiment store: every run (training, comparison, later quantization,
// benchmarks) recorded in SQLite under a workspace folder, with its spec,
// data fingerprint, hyper-parameters, per-epoch metrics, final metrics and
// artifact paths, so any result can be found, compared and reproduced.

#include <chrono>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace tm2::experiment {

struct RunRecord {
    std::string id;           // e.g. "20261124-201530-train-3f9a" (unique, sortable)
    std::string kind;         // "train", "compare", …
    std::string name;         // user label (may be empty)
    std::string status;       // "running", "finished", "failed", "cancelled", "interrupted"
    std::string created_at;   // ISO 8601 UTC
    std::string finished_at;  // empty while running
    std::string data_fingerprint;
    nlohmann::json spec;       // ModelSpec JSON (or null)
    nlohmann::json params;     // hyper-parameters / options
    nlohmann::json result;     // final metrics (null while running)
    std::string error;         // message when failed
    std::string parent_id;     // e.g. the compare run owning this train run
    std::string resumed_from;  // the run this one continues (same run folder), or empty
    std::string sweep;         // the sweep (tag) this run belongs to, or empty
    std::int64_t pid = 0;      // the process that recorded it, on `host`
    std::string host;
    std::string heartbeat_at;  // last sign of life (creation, an epoch, heartbeat())
};

// The statuses a run can have; "interrupted": its process died while it was running.
inline const char* const kRunStatuses[] = {"running", "finished", "failed", "cancelled", "interrupted"};

// A running run whose process is not known to be alive (another host, or an old
// store without pids) counts as interrupted once its heartbeat is this old.
constexpr std::chrono::minutes kStaleHeartbeat{30};

struct EpochRow {
    int epoch = 0;
    nlohmann::json metrics;  // loss, accuracy, val_* …
};

struct ArtifactRow {
    std::string name;  // "checkpoint", "spec", "plan", …
    std::string path;  // absolute
};

class ExperimentStore {
public:
    // Opens (creating if needed, migrating an older schema) WORKSPACE/experiments.sqlite;
    // the folder is created. Marks abandoned runs as interrupted (see markAbandonedRuns).
    // Throws tm2::Error naming the file when it cannot be opened or is not our database.
    explicit ExperimentStore(const std::string& workspace_dir);
    ~ExperimentStore();
    ExperimentStore(const ExperimentStore&) = delete;
    ExperimentStore& operator=(const ExperimentStore&) = delete;

    const std::string& path() const;
    // Creates a run with status "running" and a fresh id, owned by this process
    // (pid, host) with a heartbeat of now; returns the id.
    std::string createRun(const std::string& kind, const std::string& name, const nlohmann::json& spec,
                          const nlohmann::json& params, const std::string& data_fingerprint,
                          const std::string& parent_id = "");
    // Replaces the same epoch; counts as a heartbeat.
    void appendEpoch(const std::string& run_id, int epoch, const nlohmann::json& metrics);
    void heartbeat(const std::string& run_id);
    // Links a run to the one it continues (a resume of the same run folder).
    void setResumedFrom(const std::string& run_id, const std::string& previous_run_id);
    void addArtifact(const std::string& run_id, const std::string& name, const std::string& path);
    void finishRun(const std::string& run_id, const nlohmann::json& result);
    void failRun(const std::string& run_id, const std::string& status, const std::string& error);

    // Marks "running" runs whose process died as "interrupted": on this host when
    // the pid no longer lives (or is another process now); elsewhere, or without a
    // recorded pid, when the heartbeat is older than `stale_after`. Returns how many.
    int markAbandonedRuns(std::chrono::minutes stale_after = kStaleHeartbeat);

    std::vector<RunRecord> listRuns(const std::string& kind = "") const;  // newest first
    std::optional<RunRecord> findRun(const std::string& run_id) const;
    std::vector<EpochRow> epochs(const std::string& run_id) const;
    std::vector<ArtifactRow> artifacts(const std::string& run_id) const;
    // Adds a run recorded elsewhere (a sweep trial's private store) with its own id,
    // timestamps, status and sweep tag, its epochs and artifacts, in one transaction.
    // A run whose id is already here is left as it is: false, nothing written
    // (so merging the same trials twice changes nothing).
    bool importRun(const RunRecord& run, const std::vector<EpochRow>& epochs,
                   const std::vector<ArtifactRow>& artifacts);

    // Removes the run, its epochs and artifact rows (not the files); false when unknown.
    bool deleteRun(const std::string& run_id);

private:
    struct Impl;
    Impl* impl_;
};

}  // namespace tm2::experiment
