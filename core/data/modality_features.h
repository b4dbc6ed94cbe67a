#pragma once
// One file of one modality → its feature stack {windows, C, H, W}:
//  audio: each window's MFCC as a (1 + deltas) × n_mfcc × frames "image"
//         (coefficients as rows, time as columns, as the paper's spectrograms);
//  image: a single C × H × W entry.

#include <memory>
#include <string>
#include <vector>

#include "core/base/tensor.h"
#include "core/data/dataset_spec.h"
#include "core/dsp/mfcc.h"

namespace tm2::data {

// Shape of one window's features, {C, H, W}, from the settings alone.
std::vector<std::size_t> featureItemShape(const ModalitySpec& spec);

class ModalityFeatureExtractor {
public:
    explicit ModalityFeatureExtractor(const ModalitySpec& spec);

    const ModalitySpec& spec() const { return spec_; }
    // Shape of one window's features: {C, H, W}.
    std::vector<std::size_t> itemShape() const { return featureItemShape(spec_); }
    // Canonical text of every setting that changes the output (the cache key's part).
    const std::string& settingsText() const { return settings_; }
    // Decodes and computes; throws tm2::Error naming the path on bad input.
    Tensor extract(const std::string& path) const;
    // Audio in two steps, so noise can be mixed into the windows in between:
    // the decoded, resampled windows, then their MFCC stack (`path` names errors).
    std::vector<std::vector<float>> audioWindows(const std::string& path) const;
    Tensor audioFeatures(const std::vector<std::vector<float>>& windows, const std::string& path) const;

private:
    ModalitySpec spec_;
    std::string settings_;
    std::shared_ptr<const dsp::MfccExtractor> mfcc_;  // audio only
};

}  // namespace tm2::data
