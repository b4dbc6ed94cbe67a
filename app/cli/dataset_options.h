#pragma once
// Options shared by every verb that opens a dataset (inspect, features, and
// later train/compare): layout selection, splits, cache and threads.

#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "core/data/dataset_layouts.h"
#include "core/data/feature_set.h"
#include "core/data/splits.h"

namespace tm2::cli {

struct DatasetOptions {
    std::string path;
    data::LayoutOptions layout;
    data::SplitConfig split;
    std::string split_mode = "group";  // group | random-chunks
    bool chunks = false;               // every window of each recording is a sample
    std::string cache_dir;             // default: ~/.cache/tinym2net/features
    bool no_cache = false;
    int threads = 0;

    // `as_option`: `--data DIR` instead of a positional DIR.
    void addTo(CLI::App& command, bool as_option = false);
    // Opens the dataset and assigns splits; warnings (e.g. leaking participants) are appended.
    data::DatasetIndex open(std::vector<std::string>& warnings) const;
    data::FeatureOptions featureOptions() const;
};

// Saved in a run folder (run.json) so later verbs rebuild exactly the same data.
void to_json(nlohmann::json& j, const DatasetOptions& o);
void from_json(const nlohmann::json& j, DatasetOptions& o);

}  // namespace tm2::cli
