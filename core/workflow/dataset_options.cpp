#include "core/workflow/dataset_options.h"

#include <filesystem>

#include "core/base/json_fields.h"
#include "core/data/feature_cache.h"

namespace tm2::workflow {

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
                       {"allow_outside_paths", o.layout.allow_outside_paths},
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
    readField(j, p, "allow_outside_paths", o.layout.allow_outside_paths);
    readField(j, p, "val", o.split.val_fraction);
    readField(j, p, "test", o.split.test_fraction);
    readField(j, p, "seed", o.split.seed);
    readField(j, p, "split_mode", o.split_mode);
    readField(j, p, "chunks", o.chunks);
    readField(j, p, "cache_dir", o.cache_dir);
    readField(j, p, "no_cache", o.no_cache);
}

}  // namespace tm2::workflow
