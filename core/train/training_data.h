#pragma once
// Normalised features as LibTorch tensors, one stack per modality per split.

#include <torch/torch.h>

#include <string>
#include <vector>

#include "core/data/feature_set.h"
#include "core/train/batch_augment.h"

namespace tm2::train {

struct SplitTensors {
    std::vector<torch::Tensor> inputs;  // per modality: N × C × H × W, float32
    torch::Tensor labels;               // N, int64
    std::vector<std::string> ids;
    std::vector<std::string> recordings;  // per sample: the recording its window came from
    std::vector<std::string> groups;      // per sample: the participant (the recording when it has no group)
    std::int64_t size() const { return labels.defined() ? labels.size(0) : 0; }
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

}  // namespace tm2::train
