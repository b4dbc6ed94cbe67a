#pragma once
// Does fusion pay? The multimodal network and each unimodal variant (that
// branch alone with the same head) trained under identical budgets: same
// epochs, batch, learning rate, seed and data.

#include <map>
#include <string>

#include <nlohmann/json_fwd.hpp>

#include "core/train/trainer.h"

namespace tm2::train {

struct ComparisonResult {
    TrainResult multimodal;
    std::map<std::string, TrainResult> unimodal;  // by modality
    // The unimodal variant with the best validation figure (config.select_by),
    // never chosen on test; its test accuracy is the baseline reported.
    std::string best_unimodal;
    SelectBy selected_by = SelectBy::Accuracy;
    double fusion_gain = 0;                       // multimodal test acc − best unimodal's test acc
};

// Checkpoints (when config.checkpoint_dir is set) go to <dir>/multimodal and <dir>/only-<modality>.
// `callback` sees every variant's events; `on_variant` (optional) is told which variant starts.
ComparisonResult compareModalities(const model::ModelSpec& spec, const TrainingData& data, const TrainConfig& config,
                                   const TrainCallback& callback = {},
                                   const std::function<void(const std::string&)>& on_variant = {});

void to_json(nlohmann::json& j, const ComparisonResult& r);

}  // namespace tm2::train
