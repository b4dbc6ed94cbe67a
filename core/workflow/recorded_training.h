#pragma once
// Training and modality comparison as experiment-store runs: the run is
// created before the work, per-epoch rows and artifacts are added, and it is
// marked finished, failed or cancelled; <out>/result.json holds the result.

#include <functional>
#include <string>

#include <nlohmann/json.hpp>

#include "core/train/comparison.h"
#include "core/train/trainer.h"
#include "core/workflow/training_session.h"

namespace tm2::workflow {

// Trains `prepared.spec`; returns the TrainResult JSON plus run_id and data_fingerprint.
nlohmann::json trainAndRecord(const TrainingOptions& options, const PreparedTraining& prepared,
                              const train::TrainCallback& callback = {});

// The multimodal network and each unimodal variant under one budget.
struct RecordedComparison {
    train::ComparisonResult comparison;
    nlohmann::json result;  // the comparison JSON plus run_id and data_fingerprint
};
RecordedComparison compareAndRecord(const TrainingOptions& options, const PreparedTraining& prepared,
                                    const train::TrainCallback& callback = {},
                                    const std::function<void(const std::string&)>& on_variant = {});

}  // namespace tm2::workflow
