#pragma once
// How a dataset is opened for any workflow (inspect, features, train, compare,
// quantize…): layout selection, splits, cache and threads. The CLI fills it
// from flags (app/cli/cli_options), the GUI from its Dataset pane.

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/base/progress.h"
#include "core/data/dataset_layouts.h"
#include "core/data/feature_set.h"
#include "core/data/splits.h"

namespace tm2::workflow {

struct DatasetOptions {
    std::string path;
    data::LayoutOptions layout;
    data::SplitConfig split;
    std::string split_mode = "group";  // group | random-chunks
    std::string resplit = "keep";      // keep: given splits stand | group: reassign every group
    bool chunks = false;               // every window of each recording is a sample
    std::string cache_dir;             // default: ~/.cache/tinym2net/features
    bool no_cache = false;
    int threads = 0;

    // Opens the dataset and assigns splits; warnings (e.g. leaking participants) are appended.
    // With random-chunks the samples stay unassigned: features() assigns each window.
    data::DatasetIndex open(std::vector<std::string>& warnings) const;
    // The features of an opened index with every window's split set (random-chunks draws them here).
    // `stream`: items point into the cache instead of holding values (FeatureOptions::stream).
    // `noise`: noisy copies of the training recordings (training only; needs splits known
    // before extraction, so random-chunks refuses it).
    data::FeatureSet features(const data::DatasetIndex& index, std::vector<std::string>& warnings,
                              const ProgressCallback& progress = {}, bool stream = false,
                              const data::NoiseMixConfig& noise = {}) const;
    // The same from an index it consumes (data::buildFeatures(DatasetIndex&&)): training's path.
    data::FeatureSet features(data::DatasetIndex&& index, std::vector<std::string>& warnings,
                              const ProgressCallback& progress = {}, bool stream = false,
                              const data::NoiseMixConfig& noise = {}) const;
    data::FeatureOptions featureOptions() const;

private:
    data::FeatureOptions extractionOptions(bool stream, const data::NoiseMixConfig& noise) const;
};

// Saved in a run folder (run.json) so later verbs rebuild exactly the same data.
void to_json(nlohmann::json& j, const DatasetOptions& o);
void from_json(const nlohmann::json& j, DatasetOptions& o);

}  // namespace tm2::workflow
