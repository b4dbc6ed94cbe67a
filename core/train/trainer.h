#pragma once
// Training one multimodal (or unimodal) network: Adam + cross-entropy, seeded
// and reproducible, early stopping on validation, checkpoints after every
// epoch (a killed run resumes), live progress and cancellation.

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "core/model/model_spec.h"
#include "core/train/level_metrics.h"
#include "core/train/metrics.h"
#include "core/train/multimodal_net.h"
#include "core/train/train_config.h"
#include "core/train/training_data.h"

namespace tm2::train {

struct EpochRecord {
    int epoch = 0;  // 1-based
    double train_loss = 0, train_accuracy = 0;
    double val_loss = 0, val_accuracy = 0;  // 0 when there is no validation split
    double val_uar = 0;                     // balanced accuracy (mean per-class recall) on validation
    double learning_rate = 0;
    double seconds = 0;
};

struct TrainEvent {
    enum class Kind { Batch, Epoch } kind = Kind::Batch;
    int epoch = 0, epochs = 0;
    int batch = 0, batches = 0;
    double loss = 0, accuracy = 0;  // running averages over the epoch so far
    double eta_s = 0;               // whole run
    EpochRecord record;             // Kind::Epoch only
};

// Return false to cancel (the run stops after the current batch; tm2::Cancelled is thrown).
using TrainCallback = std::function<bool(const TrainEvent&)>;

struct TrainResult {
    model::ModelSpec spec;  // with inputs and num_classes bound to the data
    std::vector<EpochRecord> history;
    int best_epoch = 0;
    SelectBy selected_by = SelectBy::Accuracy;  // the validation figure that chose best_epoch
    bool stopped_early = false;
    int resumed_from_epoch = 0;  // 0 = fresh start
    ClassificationMetrics val;   // per window, with the best epoch's weights; samples == 0 without validation
    // The headline: per recording (mean of its windows' logits); samples == 0 without a test split.
    ClassificationMetrics test;
    double val_loss = 0;       // likewise (0 without a validation split)
    MetricLevels test_levels;  // per window, per recording (= test) and per participant
    // Per-recording test metrics with one modality hidden (its branch features zeroed), by modality name.
    std::map<std::string, ClassificationMetrics> test_missing;
    double train_samples_per_s = 0;
    std::int64_t parameters = 0;
    std::string best_weights;  // path (checkpoint_dir/best.pt) or empty
};

// Fills every branch's input shape and num_classes from the data; errors name
// the branch whose modality the data lacks or whose declared input differs.
model::ModelSpec bindSpecToData(const model::ModelSpec& spec, const TrainingData& data);

// The data's inputs in the order of spec's branches.
std::vector<std::size_t> branchInputOrder(const model::ModelSpec& spec, const TrainingData& data);

struct EvalResult {
    double loss = 0;
    ClassificationMetrics metrics;  // per window
    std::vector<float> logits;      // N × classes, row-major, in the split's order
};

// The three levels of an evaluation of `split` (its recordings and groups; ids when absent).
MetricLevels metricLevels(const EvalResult& eval, const SplitTensors& split, int num_classes);

// Stores 4-D weights as NHWC ("channels last"): oneDNN's CPU convolutions then
// run the whole network in that layout, about 1.4× faster for the presets here.
void useChannelsLast(torch::nn::Module& module);

// Metrics of `net` (eval mode, no gradients) on a split; `hidden_branch` zeroes that branch's features.
EvalResult evaluate(MultimodalNet& net, const SplitTensors& split,
                    const std::vector<std::size_t>& order, int num_classes, int batch_size,
                    std::optional<std::size_t> hidden_branch = {});

// The best-epoch score of an epoch (higher is better): its validation figure
// `by` names, or the training figure when there is no validation split.
double selectionScore(const EpochRecord& record, SelectBy by, bool has_validation);

// The same figure of a finished run, on its validation split with the best
// weights (higher is better): what picks the best unimodal baseline.
double validationScore(const TrainResult& result, SelectBy by);

TrainResult trainModel(const model::ModelSpec& spec, const TrainingData& data, const TrainConfig& config,
                       const TrainCallback& callback = {});

void to_json(nlohmann::json& j, const EpochRecord& r);
void from_json(const nlohmann::json& j, EpochRecord& r);
void to_json(nlohmann::json& j, const TrainResult& r);

}  // namespace tm2::train
