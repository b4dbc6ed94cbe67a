#include "core/data/synthetic_cached_dataset.h"

#include <filesystem>
#include <random>

#include "core/base/atomic_write.h"
#include "core/base/error.h"
#include "core/data/feature_cache.h"
#include "core/data/manifest.h"
#include "core/data/modality_features.h"

namespace tm2::data {

namespace fs = std::filesystem;

DatasetSpec makeSyntheticCachedDataset(const SyntheticCachedDatasetConfig& config) {
    if (config.samples == 0 || config.classes < 2 || config.samples_per_group == 0 ||
        config.cache_dir.empty())
        throw Error(config.folder +
                    ": a synthetic dataset needs samples, two classes or more and a cache folder");
    ModalitySpec audio;
    audio.name = "audio";
    audio.kind = ModalityKind::Audio;
    audio.audio.window_s = config.window_s;
    DatasetIndex index;
    index.spec.modalities = {audio};
    const ModalityFeatureExtractor extractor(audio);
    const FeatureCache cache(config.cache_dir);
    std::vector<std::size_t> stack{1};
    for (std::size_t d : extractor.itemShape()) stack.push_back(d);

    std::error_code ec;
    fs::create_directories(fs::path(config.folder) / "files", ec);
    if (ec) throw Error(config.folder + ": cannot create folder (" + ec.message() + ")");
    std::mt19937_64 rng(config.seed);
    std::normal_distribution<float> noise(0.0f, 1.0f);
    Tensor features(stack);
    for (std::size_t i = 0; i < config.samples; ++i) {
        Sample s;
        s.id = "s" + std::to_string(i);
        s.group = "p" + std::to_string(i / config.samples_per_group);
        const int label = static_cast<int>(i % static_cast<std::size_t>(config.classes));
        s.label = "c" + std::to_string(label);
        const std::string path = (fs::path(config.folder) / "files" / (s.id + ".wav")).string();
        // Distinct bytes per file: identical files would share one cache entry.
        writeFileAtomically(path, "synthetic sample " + std::to_string(i) + " (features in the cache only)\n",
                            FileSync::RenameOnly);
        s.paths = {fs::absolute(path).string()};
        // The class shifts one coefficient row, so a network has something to learn.
        for (auto& v : features.values) v = noise(rng);
        const std::size_t frames = stack.back();
        for (std::size_t t = 0; t < frames; ++t)
            features.values[static_cast<std::size_t>(label) % stack[2] * frames + t] += 1.5f;
        cache.store(FeatureCache::key(path, extractor.settingsText()), features);
        index.samples.push_back(std::move(s));
    }
    writeManifest(config.folder, index);
    return index.spec;
}

}  // namespace tm2::data
