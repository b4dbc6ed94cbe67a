#include "core/train/comparison.h"

#include <filesystem>

#include <nlohmann/json.hpp>

namespace tm2::train {

ComparisonResult compareModalities(const model::ModelSpec& spec, const TrainingData& data, const TrainConfig& config,
                                   const TrainCallback& callback,
                                   const std::function<void(const std::string&)>& on_variant) {
    ComparisonResult result;
    auto variantConfig = [&](const std::string& sub) {
        TrainConfig c = config;
        if (!config.checkpoint_dir.empty()) c.checkpoint_dir = (std::filesystem::path(config.checkpoint_dir) / sub).string();
        return c;
    };
    if (on_variant) on_variant("multimodal");
    result.multimodal = trainModel(spec, data, variantConfig("multimodal"), callback);
    result.selected_by = config.select_by;
    double best_score = 0;
    for (const auto& branch : spec.branches) {
        if (on_variant) on_variant("only " + branch.modality);
        // Aids that only make sense with several branches are off for one branch.
        TrainConfig c = variantConfig("only-" + branch.modality);
        TrainResult r = trainModel(spec.onlyBranch(branch.modality), data.only(branch.modality), c, callback);
        const double score = validationScore(r, config.select_by);
        if (result.best_unimodal.empty() || score > best_score) {
            best_score = score;
            result.best_unimodal = branch.modality;
        }
        result.unimodal.emplace(branch.modality, std::move(r));
    }
    result.fusion_gain = result.multimodal.test.accuracy - result.unimodal.at(result.best_unimodal).test.accuracy;
    return result;
}

void to_json(nlohmann::json& j, const ComparisonResult& r) {
    j = nlohmann::json{{"multimodal", r.multimodal},
                       {"best_unimodal", r.best_unimodal},
                       {"best_unimodal_selected_by", std::string("validation ") + toString(r.selected_by)},
                       {"fusion_gain", r.fusion_gain},
                       {"train_samples_per_s", r.multimodal.train_samples_per_s}};
    nlohmann::json uni = nlohmann::json::object();
    for (const auto& [m, res] : r.unimodal) uni[m] = res;
    j["unimodal"] = uni;
}

}  // namespace tm2::train
