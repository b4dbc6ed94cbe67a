#include "app/cli/dataset_options.h"

#include <filesystem>

#include "core/base/json_fields.h"
#include "core/data/feature_cache.h"

namespace tm2::cli {

void DatasetOptions::addTo(CLI::App& command, bool as_option) {
    command.add_option(as_option ? "--data" : "DIR", path, "Dataset folder or manifest.csv")->required();
    command.add_option("--layout", layout.layout, "auto|manifest|folder|coswara|compare")
        ->check(CLI::IsMember({"auto", "manifest", "folder", "coswara", "compare"}))
        ->capture_default_str();
    command.add_option("--coswara-first", layout.coswara_first, "Coswara recording for modality 1")
        ->capture_default_str();
    command.add_option("--coswara-second", layout.coswara_second, "Coswara recording for modality 2")
        ->capture_default_str();
    command.add_option("--coswara-metadata", layout.coswara_metadata, "Coswara metadata CSV (default: found)");
    command.add_option("--val", split.val_fraction, "Validation fraction")->check(CLI::Range(0.0, 0.9))
        ->capture_default_str();
    command.add_option("--test", split.test_fraction, "Test fraction")->check(CLI::Range(0.0, 0.9))
        ->capture_default_str();
    command.add_option("--seed", split.seed, "Split seed")->capture_default_str();
    command.add_option("--split", split_mode,
                       "group: participants never on both sides; random-chunks: the paper's sampling (leaks)")
        ->check(CLI::IsMember({"group", "random-chunks"}))
        ->capture_default_str();
    command.add_flag("--chunks", chunks, "Cut every audio recording into all its windows (chunk sampling)");
    command.add_option("--cache-dir", cache_dir, "Feature cache folder (default ~/.cache/tinym2net/features)");
    command.add_flag("--no-cache", no_cache, "Do not read or write the feature cache");
    command.add_option("--threads", threads, "Worker threads (0 = all cores)")->capture_default_str();
}

data::DatasetIndex DatasetOptions::open(std::vector<std::string>& warnings) const {
    data::DatasetIndex index = data::openDataset(path, layout);
    if (chunks)
        for (auto& m : index.spec.modalities) m.audio.max_windows = 0;
    if (split_mode == "random-chunks") {
        const std::string warning = data::assignRandomChunkSplits(index, split);
        if (!warning.empty()) warnings.push_back(warning);
    } else {
        data::assignGroupSplits(index, split);
    }
    return index;
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
                       {"val", o.split.val_fraction},
                       {"test", o.split.test_fraction},
                       {"seed", o.split.seed},
                       {"split_mode", o.split_mode},
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
    readField(j, p, "val", o.split.val_fraction);
    readField(j, p, "test", o.split.test_fraction);
    readField(j, p, "seed", o.split.seed);
    readField(j, p, "split_mode", o.split_mode);
    readField(j, p, "chunks", o.chunks);
    readField(j, p, "cache_dir", o.cache_dir);
    readField(j, p, "no_cache", o.no_cache);
}

}  // namespace tm2::cli
