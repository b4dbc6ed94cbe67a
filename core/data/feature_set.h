#pragma once
// Model-ready features: every usable sample decoded and turned into one tensor
// per modality (audio: 1 × n_mfcc × frames MFCC "image"; image: C × H × W),
// cached on disk, with normalisation statistics from the train split only.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/base/progress.h"
#include "core/base/tensor.h"
#include "core/base/worker_threads.h"
#include "core/data/dataset_index.h"
#include "core/data/name_pool.h"
#include "core/data/noise_mix.h"

namespace tm2::data {

// Where a streamed item's input lies: a window of a feature-cache entry.
struct FeatureSource {
    std::uint64_t key_high = 0, key_low = 0;  // the entry's FeatureCache key (16 bytes, not 32 hex chars)
    std::uint64_t offset = 0;                 // byte offset of this window's float32 values in the entry
};

// One model input (a recording, or one window of it in chunk mode), 56 bytes: its names
// are numbers into FeatureSet::names (FeatureSet::id(), recording(), group() read them).
struct FeatureItem {
    std::uint32_t recording = 0;  // FeatureSet::names: the sample (recording) the item came from
    std::uint32_t group = 0;      // FeatureSet::names: its participant / speaker ("" when none)
    std::int32_t window = -1;  // chunk mode: the window's number in its recording ("#k" in the id); -1: whole
    std::int32_t label = -1;   // index into FeatureSet::classes
    std::int32_t noise_copy = 0;  // k >= 1: the k-th noisy copy of a training recording (id "ID~noiseK")
    SplitName split;              // train | val | test
    // Streamed sets: where this item's input m lies is FeatureSet::sources[first_source + m]
    // (one table for the set rather than a vector per item: no allocation per item).
    std::size_t first_source = 0;
    std::vector<Tensor> inputs;  // one per modality, DatasetSpec order (empty when streamed)
};

// Per-feature statistics: audio per MFCC coefficient (row), image per channel.
struct NormalizationStats {
    std::vector<std::vector<float>> mean;  // [modality][feature]
    std::vector<std::vector<float>> std;   // [modality][feature], >= 1e-6
};

struct FeatureSet {
    DatasetSpec spec;
    std::vector<std::string> classes;
    std::vector<FeatureItem> items;
    NamePool names;                    // the items' recording and group names
    std::vector<SkippedItem> skipped;  // index-time skips plus decode failures
    std::size_t cache_hits = 0;
    std::size_t cache_misses = 0;
    // Streamed sets keep no values: items carry sources in this cache folder, read
    // (and normalised) when asked for, so memory does not grow with the dataset.
    std::string streamed_from;
    std::vector<FeatureSource> sources;               // streamed: every item's, modality by modality
    std::optional<NormalizationStats> normalization;  // streamed: applied as values are read

    bool streamed() const { return !streamed_from.empty(); }
    // The item's id: its recording's, "~noiseK" for the k-th noisy copy, "#k" for window k.
    std::string id(const FeatureItem& item) const;
    std::string_view recording(const FeatureItem& item) const { return names.at(item.recording); }
    std::string_view group(const FeatureItem& item) const { return names.at(item.group); }
    // Its group, or its recording when it has none (splits keep each such key in one split).
    std::string_view groupOrRecording(const FeatureItem& item) const;
    // An item named `recording` (window -1, no noise copy) in group `group` ("" = none).
    FeatureItem& addItem(std::string_view recording, std::string_view group, int label, SplitName split);
    std::vector<std::vector<std::size_t>> inputShapes() const;  // per modality
};

// Item input `m`'s values (normalised once the set is) into `out`, which holds
// elementCount(inputShapes()[m]) floats: copied in memory, read from the cache when streamed.
void readItemInput(const FeatureSet& set, const FeatureItem& item, std::size_t m, float* out);

struct FeatureOptions {
    std::string cache_dir;  // empty = no cache
    int threads = 0;        // 0 = all cores
    // Makes the helper threads; empty = std::thread. When it fails the work
    // continues on the threads already running (tests inject a failing one).
    ThreadFactory thread_factory;
    // false: only fill the cache (`data features --shard`): items keep their
    // metadata but no inputs, and a set without usable items is no error.
    bool keep_features = true;
    // true: items carry where their inputs lie in the cache (FeatureSet::sources)
    // instead of the values; needs cache_dir. Cached entries are checked by header.
    bool stream = false;
    // Noisy copies of every training recording (training-time augmentation); off by default.
    NoiseMixConfig noise;
};

// XXH3-128 over every item's id, group, label, split and feature values, plus
// the preprocessing settings: two runs on the same fingerprint saw the same data.
std::string fingerprint(const FeatureSet& features);

FeatureSet buildFeatures(const DatasetIndex& index, const FeatureOptions& options,
                         const ProgressCallback& progress = {});
// The same set from an index it consumes: each sample's names and paths are freed as soon as
// its items are in the set, so a large listing and its items are not both held whole (training).
FeatureSet buildFeatures(DatasetIndex&& index, const FeatureOptions& options,
                         const ProgressCallback& progress = {});

// From items whose split is "train" only, noisy copies left out (so the statistics, which
// the exported model carries, describe clean recordings and equal those a reloaded run
// computes without copies); throws tm2::Error if there are none.
NormalizationStats computeNormalization(const FeatureSet& features);
// Normalises one item's input m (values as readItemInput gives them) in place.
void normalizeItemInput(const FeatureSet& features, const NormalizationStats& stats, std::size_t m,
                        float* values);
// In memory: every value changes now; streamed: recorded and applied as values are read
// (the same float expression, so both give the same bits).
void applyNormalization(FeatureSet& features, const NormalizationStats& stats);

}  // namespace tm2::data
