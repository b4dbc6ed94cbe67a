#include "core/train/train_config.h"

#include <nlohmann/json.hpp>

#include "core/base/error.h"
#include "core/base/json_fields.h"

namespace tm2::train {

namespace {
const EnumNames<ClassWeighting> kWeighting{{ClassWeighting::None, "none"}, {ClassWeighting::Balanced, "balanced"}};
const EnumNames<LrSchedule> kSchedule{
    {LrSchedule::Constant, "constant"}, {LrSchedule::Cosine, "cosine"}, {LrSchedule::Step, "step"}};
const EnumNames<SelectBy> kSelectBy{{SelectBy::Accuracy, "accuracy"}, {SelectBy::Uar, "uar"}, {SelectBy::Loss, "loss"}};

void require(bool ok, const std::string& field, const std::string& rule) {
    if (!ok) throw Error("train." + field + " " + rule);
}
}  // namespace

SelectBy selectByFromString(const std::string& text) { return enumFromName(kSelectBy, text, "--select-by"); }
const char* toString(SelectBy select_by) { return enumName(kSelectBy, select_by); }

void TrainConfig::validate() const {
    require(epochs >= 1, "epochs", "must be >= 1");
    require(batch_size >= 1, "batch_size", "must be >= 1");
    require(learning_rate > 0 && learning_rate < 10, "learning_rate", "must be in (0, 10)");
    require(weight_decay >= 0, "weight_decay", "must be >= 0");
    require(lr_step_epochs >= 1, "lr_step_epochs", "must be >= 1");
    require(lr_gamma > 0 && lr_gamma <= 1, "lr_gamma", "must be in (0, 1]");
    require(early_stopping_patience >= 0, "early_stopping_patience", "must be >= 0");
    require(threads >= 0, "threads", "must be >= 0");
    require(modality_dropout >= 0 && modality_dropout < 1, "modality_dropout", "must be in [0, 1)");
    require(aux_loss_weight >= 0, "aux_loss_weight", "must be >= 0");
    augment.validate();
    require(memory_budget_mb >= 1 && memory_budget_mb <= (std::int64_t{1} << 40), "memory_budget_mb",
            "must be between 1 and 2^40");
}

void to_json(nlohmann::json& j, const TrainConfig& c) {
    j = nlohmann::json{{"epochs", c.epochs},
                       {"batch_size", c.batch_size},
                       {"learning_rate", c.learning_rate},
                       {"weight_decay", c.weight_decay},
                       {"class_weighting", enumName(kWeighting, c.class_weighting)},
                       {"lr_schedule", enumName(kSchedule, c.lr_schedule)},
                       {"lr_step_epochs", c.lr_step_epochs},
                       {"lr_gamma", c.lr_gamma},
                       {"early_stopping_patience", c.early_stopping_patience},
                       {"select_by", enumName(kSelectBy, c.select_by)},
                       {"seed", c.seed},
                       {"threads", c.threads},
                       {"modality_dropout", c.modality_dropout},
                       {"aux_loss_weight", c.aux_loss_weight},
                       {"augment", c.augment}};  // always written: the resume check compares it
}

void from_json(const nlohmann::json& j, TrainConfig& c) {
    if (!j.is_object()) throw Error("train: expected a JSON object");
    const std::string p = "train";
    readField(j, p, "epochs", c.epochs);
    readField(j, p, "batch_size", c.batch_size);
    readField(j, p, "learning_rate", c.learning_rate);
    readField(j, p, "weight_decay", c.weight_decay);
    readEnumField(j, p, "class_weighting", kWeighting, c.class_weighting);
    readEnumField(j, p, "lr_schedule", kSchedule, c.lr_schedule);
    readField(j, p, "lr_step_epochs", c.lr_step_epochs);
    readField(j, p, "lr_gamma", c.lr_gamma);
    readField(j, p, "early_stopping_patience", c.early_stopping_patience);
    readEnumField(j, p, "select_by", kSelectBy, c.select_by);
    readField(j, p, "seed", c.seed);
    readField(j, p, "threads", c.threads);
    readField(j, p, "modality_dropout", c.modality_dropout);
    readField(j, p, "aux_loss_weight", c.aux_loss_weight);
    if (j.contains("augment")) from_json(j.at("augment"), c.augment);  // older runs: off
}

}  // namespace tm2::train
