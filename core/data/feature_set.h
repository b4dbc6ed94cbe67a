#pragma once
// Model-ready features: every usable sample decoded and turned into one tensor
// per modality (audio: 1 × n_mfcc × frames MFCC "image"; image: C × H × W),
// cached on disk, with normalisation statistics from the train split only.

#include <cstdint>
#include <string>
#include <vector>

#include "core/base/progress.h"
#include "core/base/tensor.h"
#include "core/base/worker_threads.h"
#include "core/data/dataset_index.h"

namespace tm2::data {

struct FeatureItem {
    std::string id;         // the recording's id, "#k" appended for its k-th window in chunk mode
    std::string recording;  // the sample (recording) the window came from
    std::string group;
    int label = -1;              // index into FeatureSet::classes
    std::string split;           // train | val | test
    std::vector<Tensor> inputs;  // one per modality, DatasetSpec order
};

struct FeatureSet {
    DatasetSpec spec;
    std::vector<std::string> classes;
    std::vector<FeatureItem> items;
    std::vector<SkippedItem> skipped;  // index-time skips plus decode failures
    std::size_t cache_hits = 0;
    std::size_t cache_misses = 0;

    std::vector<std::vector<std::size_t>> inputShapes() const;  // per modality
};

struct FeatureOptions {
    std::string cache_dir;  // empty = no cache
    int threads = 0;        // 0 = all cores
    // Makes the helper threads; empty = std::thread. When it fails the work
    // continues on the threads already running (tests inject a failing one).
    ThreadFactory thread_factory;
};

// XXH3-128 over every item's id, group, label, split and feature values, plus
// the preprocessing settings: two runs on the same fingerprint saw the same data.
std::string fingerprint(const FeatureSet& features);

FeatureSet buildFeatures(const DatasetIndex& index, const FeatureOptions& options,
                         const ProgressCallback& progress = {});

// Per-feature statistics: audio per MFCC coefficient (row), image per channel.
struct NormalizationStats {
    std::vector<std::vector<float>> mean;  // [modality][feature]
    std::vector<std::vector<float>> std;   // [modality][feature], >= 1e-6
};

// From items whose split is "train" only; throws tm2::Error if there are none.
NormalizationStats computeNormalization(const FeatureSet& features);
void applyNormalization(FeatureSet& features, const NormalizationStats& stats);

}  // namespace tm2::data
