#pragma once
// How a dataset is opened for any workflow (inspect, features, train, compare,
// quantize…): layout selection, splits, cache and threads. The CLI fills it
// from flags (app/cli/cli_options), the GUI from its Dataset pane.

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/data/dataset_layouts.h"
#include "core/data/feature_set.h"
#include "core/data/splits.h"

namespace tm2::workflow {

struct DatasetOptions {
    std::string path;
    data::LayoutOptions layout;
    data::SplitConfig split;
    std::string split_mode = "group";  // group | random-chunks
    bool chunks = false;               // every window of each recording is a sample
    std::string cache_dir;             // default: ~/.cache/tinym2net/features
    bool no_cache = false;
    int threads = 0;

    // Opens the dataset and assigns splits; warnings (e.g. leaking participants) are appended.
    data::DatasetIndex open(std::vector<std::string>& warnings) const;
    data::FeatureOptions featureOptions() const;
};

// Saved in a run folder (run.json) so later verbs rebuild exactly the same data.
void to_json(nlohmann::json& j, const DatasetOptions& o);
void from_json(const nlohmann::json& j, DatasetOptions& o);

}  // namespace tm2::workflow
