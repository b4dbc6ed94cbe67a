#pragma once
// Train/val/test assignment: stratified by label, seeded, and group-aware.

#include <cstdint>
#include <string>
#include <vector>

#include "core/data/dataset_index.h"
#include "core/data/feature_set.h"

namespace tm2::data {

struct SplitConfig {
    double val_fraction = 0.15;
    double test_fraction = 0.15;
    std::uint64_t seed = 42;
    bool keep_existing = true;  // given splits stand (false: `--resplit group` reassigns them)
};

// Assigns whole groups to splits so no group appears in two, approximating the
// fractions within each label (groups take their majority label). Samples
// without a group are their own group. With keep_existing, a sample's given
// split stands and its group's other samples follow the group's given majority.
void assignGroupSplits(DatasetIndex& index, const SplitConfig& config);

// The split rule of every workflow (`--split group`): given splits (manifest
// column, layout) stand and the rest is assigned group-aware; where no
// validation sample results and val_fraction > 0, val_fraction of train is
// carved out group-aware and seeded. Returns what the user must be told: groups
// that straddle the given splits, the carved validation split.
std::vector<std::string> assignSplits(DatasetIndex& index, const SplitConfig& config);

// The paper's sampling (`--split random-chunks`): every window (feature item)
// to a split one by one, stratified by label, ignoring recordings and groups.
// Returns the warning every report using it must show, with the count of
// participants whose windows land in more than one split.
std::string assignRandomChunkSplits(FeatureSet& features, const SplitConfig& config);

// Throws tm2::Error naming the empty split and the remedies when val or test
// holds no item although its fraction is above 0 (a fraction of 0 asks for none).
void requireHeldOutSplits(const FeatureSet& features, const SplitConfig& config);

// Groups present in more than one split (empty when the split is clean).
std::vector<std::string> leakingGroups(const DatasetIndex& index);

}  // namespace tm2::data
