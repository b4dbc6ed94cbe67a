#pragma once
// Normalised features as LibTorch tensors, one stack per modality per split.

#include <torch/torch.h>

#include <memory>
#include <string>
#include <vector>

#include "core/data/feature_set.h"
#include "core/train/batch_augment.h"

namespace tm2::train {

struct SplitTensors {
    std::vector<torch::Tensor> inputs;  // per modality: N × C × H × W, float32 (empty when streamed)
    torch::Tensor labels;               // N, int64
    // In memory, per sample: its id, the recording its window came from and the participant
    // (the recording when it has no group). Streamed splits copy none: see id(), recording(), group().
    std::vector<std::string> ids;
    std::vector<std::string> recordings;
    std::vector<std::string> groups;
    // Streamed splits hold no inputs: row i is feature item `items[i]` of `streamed`, and
    // input m its modality `modalities[m]`, read from the feature cache batch by batch.
    std::shared_ptr<const data::FeatureSet> streamed;
    std::vector<std::size_t> items;
    std::vector<std::size_t> modalities;

    std::int64_t size() const { return labels.defined() ? labels.size(0) : 0; }
    // Row i's id, recording and group, from the vectors above or (streamed) the set's item i
    // refers to; a recording falls back to the id and a group to the recording, as stacked.
    std::string id(std::size_t i) const;
    std::string recording(std::size_t i) const;
    std::string group(std::size_t i) const;
    // Rows `index` (int64) of input m as a |index| × C × H × W tensor: the same values
    // whether the split is in memory (index_select) or streamed (read from the cache).
    torch::Tensor inputRows(std::size_t m, const torch::Tensor& index) const;
};

struct TrainingData {
    std::vector<std::string> modalities;           // order of `inputs`
    std::vector<std::vector<std::size_t>> shapes;  // {C, H, W} per modality
    std::vector<std::string> classes;
    SplitTensors train, val, test;
    // Per modality (`modalities` order), for training-time augmentation; the
    // workflow fills it from the normalisation (see augmentDomains).
    std::vector<AugmentDomain> augment_domains;

    // The subset with only `modality` (for unimodal variants); throws tm2::Error if absent.
    TrainingData only(const std::string& modality) const;
    // Index of a modality; throws tm2::Error naming the missing one and the available ones.
    std::size_t modalityIndex(const std::string& name) const;
};

// From (already normalised) features; every modality in the feature set.
TrainingData makeTrainingData(const data::FeatureSet& features);
// A streamed feature set's splits read their batches from its cache (memory does not
// grow with the dataset); an in-memory set is stacked as above.
TrainingData makeTrainingData(std::shared_ptr<const data::FeatureSet> features);

}  // namespace tm2::train
