#pragma once
// A dataset whose features exist only in the feature cache: `samples` placeholder
// files (distinct bytes, never decoded) in a manifest with one audio modality,
// each with a random feature stack stored under its cache key. What memory and
// streaming checks use at sizes where decoding audio would take hours
// (bench/run_train_memory.sh, the streamed-training test).

#include <cstddef>
#include <cstdint>
#include <string>

#include "core/data/dataset_spec.h"

namespace tm2::data {

struct SyntheticCachedDatasetConfig {
    std::string folder;     // manifest.csv + dataset.json + files/
    std::string cache_dir;  // the feature cache the entries go to
    std::size_t samples = 1000;
    std::size_t samples_per_group = 10;  // participants, so group splits have something to split
    int classes = 2;
    std::uint64_t seed = 1;
    double window_s = 2.0;  // the paper's windows: 1 × 13 × 201 MFCC features each
};

// The dataset's spec (one audio modality "audio"); throws tm2::Error naming the folder on failure.
DatasetSpec makeSyntheticCachedDataset(const SyntheticCachedDatasetConfig& config);

}  // namespace tm2::data
