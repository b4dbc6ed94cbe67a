#pragma once
// The `.tmn` front-end section from what training used: each modality's kind,
// audio window and MFCC settings (the dataset spec) and the train split's
// normalisation statistics. The one place a run becomes a device's front-end.

#include <string>
#include <vector>

#include "core/data/dataset_spec.h"
#include "core/data/feature_set.h"
#include "core/runtime/model_frontend.h"

namespace tm2::data {

// Inputs in the dataset's modality order; statistics indexed alike (computeNormalization).
// Throws tm2::Error when the statistics do not cover every modality.
runtime::ModelFrontEnd modelFrontEnd(const DatasetSpec& spec, const NormalizationStats& stats,
                                     const std::vector<std::string>& classes);

}  // namespace tm2::data
