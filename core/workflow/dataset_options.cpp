#include "core/workflow/dataset_options.h"

#include <algorithm>
#include <filesystem>

#include "core/base/error.h"
#include "core/base/json_fields.h"
#include "core/data/feature_cache.h"

namespace tm2::workflow {

namespace {

data::SplitConfig splitConfig(const DatasetOptions& o) {
    if (o.resplit != "keep" && o.resplit != "group")
        throw Error("resplit: expected keep or group, got '" + o.resplit + "'");
    data::SplitConfig config = o.split;
    config.keep_existing = o.resplit == "keep";
    return config;
}

}  // namespace

data::DatasetIndex DatasetOptions::open(std::vector<std::string>& warnings) const {
    data::DatasetIndex index = data::openDataset(path, layout);
    if (chunks)
        for (auto& m : index.spec.modalities) m.audio.max_windows = 0;
    if (split_mode == "random-chunks") {
        // Windows exist only once the audio is cut; features() assigns them one by one.
        const bool given = std::any_of(index.samples.begin(), index.samples.end(),
                                       [](const data::Sample& s) { return !s.split.empty(); });
        if (given)
            warnings.push_back("random-chunks ignores the dataset's given splits (it draws every window)");
        for (auto& s : index.samples) s.split.clear();
    } else if (split_mode == "group") {
        for (auto& note : data::assignSplits(index, splitConfig(*this))) warnings.push_back(std::move(note));
    } else {
        throw Error("split_mode: expected group or random-chunks, got '" + split_mode + "'");
    }
    return index;
}

data::FeatureSet DatasetOptions::features(const data::DatasetIndex& index, std::vector<std::string>& warnings,
                                          const ProgressCallback& progress, bool stream,
                                          const data::NoiseMixConfig& noise) const {
    data::FeatureSet set = data::buildFeatures(index, extractionOptions(stream, noise), progress);
    if (split_mode == "random-chunks") warnings.push_back(data::assignRandomChunkSplits(set, split));
    return set;
}

data::FeatureSet DatasetOptions::features(data::DatasetIndex&& index, std::vector<std::string>& warnings,
                                          const ProgressCallback& progress, bool stream,
                                          const data::NoiseMixConfig& noise) const {
    data::FeatureSet set = data::buildFeatures(std::move(index), extractionOptions(stream, noise), progress);
    if (split_mode == "random-chunks") warnings.push_back(data::assignRandomChunkSplits(set, split));
    return set;
}

data::FeatureOptions DatasetOptions::extractionOptions(bool stream, const data::NoiseMixConfig& noise) const {
    if (noise.enabled() && split_mode == "random-chunks")
        throw Error(
            "train.augment noise mixing needs each recording's split before extraction, and --split "
            "random-chunks draws it per window afterwards: use --split group, or drop noise= from --augment");
    data::FeatureOptions options = featureOptions();
    options.stream = stream;
    options.noise = noise;
    return options;
}

data::FeatureOptions DatasetOptions::featureOptions() const {
    data::FeatureOptions options;
    options.cache_dir = no_cache ? "" : (cache_dir.empty() ? data::defaultFeatureCacheDir() : cache_dir);
    options.threads = threads;
    return options;
}

void to_json(nlohmann::json& j, const DatasetOptions& o) {
    j = nlohmann::json{{"path", std::filesystem::absolute(o.path).string()},
                       {"layout", o.layout.layout},
                       {"coswara_first", o.layout.coswara_first},
                       {"coswara_second", o.layout.coswara_second},
                       {"coswara_metadata", o.layout.coswara_metadata},
                       {"allow_outside_paths", o.layout.allow_outside_paths},
                       {"val", o.split.val_fraction},
                       {"test", o.split.test_fraction},
                       {"seed", o.split.seed},
                       {"split_mode", o.split_mode},
                       {"resplit", o.resplit},
                       {"chunks", o.chunks},
                       {"cache_dir", o.cache_dir},
                       {"no_cache", o.no_cache}};
}

void from_json(const nlohmann::json& j, DatasetOptions& o) {
    const std::string p = "run.json dataset";
    readField(j, p, "path", o.path);
    readField(j, p, "layout", o.layout.layout);
    readField(j, p, "coswara_first", o.layout.coswara_first);
    readField(j, p, "coswara_second", o.layout.coswara_second);
    readField(j, p, "coswara_metadata", o.layout.coswara_metadata);
    readField(j, p, "allow_outside_paths", o.layout.allow_outside_paths);
    readField(j, p, "val", o.split.val_fraction);
    readField(j, p, "test", o.split.test_fraction);
    readField(j, p, "seed", o.split.seed);
    readField(j, p, "split_mode", o.split_mode);
    readField(j, p, "resplit", o.resplit);
    readField(j, p, "chunks", o.chunks);
    readField(j, p, "cache_dir", o.cache_dir);
    readField(j, p, "no_cache", o.no_cache);
}

}  // namespace tm2::workflow
