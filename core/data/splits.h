#pragma once
// Train/val/test assignment: stratified by label, seeded, and group-aware.

#include <cstdint>
#include <string>
#include <vector>

#include "core/data/dataset_index.h"

namespace tm2::data {

struct SplitConfig {
    double val_fraction = 0.15;
    double test_fraction = 0.15;
    std::uint64_t seed = 42;
    bool keep_existing = true;  // samples with a split already set keep it
};

// Assigns whole groups to splits so no group appears in two, approximating the
// fractions within each label (groups take their majority label). Samples
// without a group are their own group.
void assignGroupSplits(DatasetIndex& index, const SplitConfig& config);

// The paper's sampling: every sample independently to a split, ignoring groups.
// Returns a warning text (non-empty whenever a group straddles splits) that
// callers must show: chunk-level random splits leak participants.
std::string assignRandomChunkSplits(DatasetIndex& index, const SplitConfig& config);

// Groups present in more than one split (empty when the split is clean).
std::vector<std::string> leakingGroups(const DatasetIndex& index);

}  // namespace tm2::data
