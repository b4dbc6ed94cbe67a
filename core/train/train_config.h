#pragma once
// Training hyper-parameters: defaults and JSON in one place.

#include <cstdint>
#include <string>

#include <nlohmann/json_fwd.hpp>

#include "core/train/augment_config.h"

namespace tm2::train {

enum class ClassWeighting { None, Balanced };  // balanced: n / (k · n_c), for imbalanced COVID data
enum class LrSchedule { Constant, Cosine, Step };
// What picks the best epoch (and the best unimodal baseline), always on the
// validation split: accuracy, UAR (balanced accuracy, for imbalanced cough
// data) or the lowest loss. Test figures are reported, never chosen on.
enum class SelectBy { Accuracy, Uar, Loss };
SelectBy selectByFromString(const std::string& text);  // accuracy | uar | loss
const char* toString(SelectBy select_by);

struct TrainConfig {
    int epochs = 10;
    int batch_size = 32;
    double learning_rate = 1e-3;  // Adam, as the paper
    double weight_decay = 0.0;
    ClassWeighting class_weighting = ClassWeighting::None;
    LrSchedule lr_schedule = LrSchedule::Constant;
    int lr_step_epochs = 5;       // step schedule: multiply by lr_gamma every this many epochs
    double lr_gamma = 0.5;
    int early_stopping_patience = 0;  // epochs without validation improvement; 0 = off
    SelectBy select_by = SelectBy::Accuracy;
    std::uint64_t seed = 1;
    int threads = 0;              // 0 = all cores (LibTorch's default here is one)
    // Multimodal training aids for small data:
    double modality_dropout = 0.0;  // per-sample probability of hiding one branch
    double aux_loss_weight = 0.0;   // weight of per-branch auxiliary classifier losses
    AugmentConfig augment;          // training-time augmentation; off by default
    std::string checkpoint_dir;     // empty = no checkpoints
    bool resume = true;             // continue from checkpoint_dir when it holds a run
    // Most memory the spec may need at batch_size (model::estimateTrainingMemory),
    // checked before LibTorch allocates; a resource limit, not a hyper-parameter (not in JSON).
    std::int64_t memory_budget_mb = 4096;

    void validate() const;  // throws tm2::Error naming the field
};

void to_json(nlohmann::json& j, const TrainConfig& c);
void from_json(const nlohmann::json& j, TrainConfig& c);

}  // namespace tm2::train
