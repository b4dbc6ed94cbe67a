#pragma once
// What the Dataset pane shows about an opened dataset: layout, modalities with
// their feature shapes, the usable samples, class × split counts and the
// skipped files with reasons. Optionally probes (decodes) every file like
// `tinym2net data inspect`, which is what finds truncated or unreadable media.

#include <array>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "core/base/progress.h"
#include "core/data/dataset_index.h"
#include "core/workflow/dataset_options.h"

namespace tm2::workflow {

struct DatasetSummary {
    static constexpr std::array<const char*, 3> kSplits{"train", "val", "test"};

    std::string path;
    std::string layout;
    data::DatasetSpec spec;                           // modality settings (for previews)
    std::vector<std::vector<std::size_t>> shapes;     // per modality, one window's {C, H, W}
    std::vector<std::string> classes;
    std::vector<data::Sample> samples;                // usable samples (after probing, if probed)
    std::vector<std::array<std::size_t, 3>> counts;   // [class][train, val, test] (items when probed)
    std::vector<data::SkippedItem> skipped;
    std::vector<std::string> warnings;
    bool probed = false;

    std::size_t total(std::size_t split) const;  // sum over classes of counts[c][split]
};

// Opens `options` (layout, splits) and summarises it; with `probe`, builds the
// features (through the cache) and drops the samples that fail to decode.
// Throws tm2::Error (unreadable folder, no usable samples) or tm2::Cancelled.
DatasetSummary summarizeDataset(const DatasetOptions& options, bool probe, const ProgressCallback& progress = {});

void to_json(nlohmann::json& j, const DatasetSummary& s);
void from_json(const nlohmann::json& j, DatasetSummary& s);

}  // namespace tm2::workflow
