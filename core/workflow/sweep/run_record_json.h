#pragma once
// An experiment-store run (record, epochs, artifacts) as JSON and back: how a
// trial carries the runs of its private store to `sweep collect`.

#include <nlohmann/json.hpp>
#include <vector>

#include "core/experiment/experiment_store.h"

namespace tm2::sweep {

struct ExportedRun {
    experiment::RunRecord record;
    std::vector<experiment::EpochRow> epochs;
    std::vector<experiment::ArtifactRow> artifacts;
};

nlohmann::json runToJson(const ExportedRun& run);
// Throws tm2::Error naming `where` and the field.
ExportedRun runFromJson(const nlohmann::json& j, const std::string& where);

// Every run of the store at `workspace`, oldest first.
std::vector<ExportedRun> exportStore(const experiment::ExperimentStore& store);

}  // namespace tm2::sweep
