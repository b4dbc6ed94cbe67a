#pragma once
// One shard of a dataset's samples, so a Slurm array can fill the feature cache
// in parallel (`tinym2net data features --shard i/N`): the N shards are
// disjoint, cover every sample, and the next training finds all of them cached.

#include <cstddef>
#include <string>

#include "core/data/dataset_index.h"

namespace tm2::data {

struct FeatureShard {
    std::size_t index = 0;  // 0-based, < count (Slurm's $SLURM_ARRAY_TASK_ID)
    std::size_t count = 1;
};

// "i/N" with 0 ≤ i < N; throws tm2::Error naming `option` (e.g. "--shard") and the text.
FeatureShard parseFeatureShard(const std::string& text, const std::string& option = "--shard");

// The shard's samples: the contiguous block [i·n/N, (i+1)·n/N) of the index's order
// (shard sizes differ by at most one; a shard past the last sample is empty).
// Index-time skips stay with shard 0 so they are reported once.
DatasetIndex shardOf(const DatasetIndex& index, const FeatureShard& shard);

}  // namespace tm2::data
