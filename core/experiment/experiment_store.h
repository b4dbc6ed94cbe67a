#pragma once
// The experiment store: every run (training, comparison, later quantization,
// benchmarks) recorded in SQLite under a workspace folder, with its spec,
// data fingerprint, hyper-parameters, per-epoch metrics, final metrics and
// artifact paths, so any result can be found, compared and reproduced.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace tm2::experiment {

struct RunRecord {
    std::string id;              // e.g. "20261124-201530-train-3f9a" (unique, sortable)
    std::string kind;            // "train", "compare", …
    std::string name;            // user label (may be empty)
    std::string status;          // "running", "finished", "failed", "cancelled"
    std::string created_at;      // ISO 8601 UTC
    std::string finished_at;     // empty while running
    std::string data_fingerprint;
    nlohmann::json spec;         // ModelSpec JSON (or null)
    nlohmann::json params;       // hyper-parameters / options
    nlohmann::json result;       // final metrics (null while running)
    std::string error;           // message when failed
    std::string parent_id;       // e.g. the compare run owning this train run
};

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
    // Opens (creating if needed) WORKSPACE/experiments.sqlite; the folder is created.
    // Throws tm2::Error naming the file when it cannot be opened or is not our database.
    explicit ExperimentStore(const std::string& workspace_dir);
    ~ExperimentStore();
    ExperimentStore(const ExperimentStore&) = delete;
    ExperimentStore& operator=(const ExperimentStore&) = delete;

    const std::string& path() const;
    // Creates a run with status "running" and a fresh id; returns the id.
    std::string createRun(const std::string& kind, const std::string& name, const nlohmann::json& spec,
                          const nlohmann::json& params, const std::string& data_fingerprint,
                          const std::string& parent_id = "");
    void appendEpoch(const std::string& run_id, int epoch, const nlohmann::json& metrics);  // replaces same epoch
    void addArtifact(const std::string& run_id, const std::string& name, const std::string& path);
    void finishRun(const std::string& run_id, const nlohmann::json& result);
    void failRun(const std::string& run_id, const std::string& status, const std::string& error);

    std::vector<RunRecord> listRuns(const std::string& kind = "") const;  // newest first
    std::optional<RunRecord> findRun(const std::string& run_id) const;
    std::vector<EpochRow> epochs(const std::string& run_id) const;
    std::vector<ArtifactRow> artifacts(const std::string& run_id) const;
    // Removes the run, its epochs and artifact rows (not the files); false when unknown.
    bool deleteRun(const std::string& run_id);

private:
    struct Impl;
    Impl* impl_;
};

}  // namespace tm2::experiment
