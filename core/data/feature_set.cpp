#include "core/data/feature_set.h"

#include <xxhash.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <filesystem>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>

#include "core/base/error.h"
#include "core/base/npy.h"
#include "core/base/thread_count.h"
#include "core/data/feature_cache.h"
#include "core/data/modality_features.h"

namespace tm2::data {

std::vector<std::vector<std::size_t>> FeatureSet::inputShapes() const {
    std::vector<std::vector<std::size_t>> shapes;
    for (const auto& m : spec.modalities) shapes.push_back(featureItemShape(m));
    return shapes;
}

namespace {

// What one sample turned into: its items, or the reason it was dropped.
struct SampleOutcome {
    std::vector<FeatureItem> items;
    std::optional<SkippedItem> skipped;
    std::size_t hits = 0, misses = 0;
};

Tensor windowOf(const Tensor& stack, std::size_t w) {
    std::vector<std::size_t> item_shape(stack.shape.begin() + 1, stack.shape.end());
    Tensor t(item_shape);
    const std::size_t n = t.size();
    std::copy_n(stack.values.begin() + static_cast<std::ptrdiff_t>(w * n), n, t.values.begin());
    return t;
}

// A cache entry as streaming sees it: its key, where its values start, its shape.
struct EntryRef {
    std::uint64_t high = 0, low = 0, data_offset = 0;
    std::vector<std::size_t> shape;
};

std::uint64_t hexHalf(const std::string& key, std::size_t at) {
    return std::stoull(key.substr(at, 16), nullptr, 16);
}

// The entry's layout when it is a usable stack of `item` shaped windows; nullopt to recompute it.
std::optional<EntryRef> cachedEntry(const FeatureCache& cache, const std::string& key,
                                    const std::vector<std::size_t>& item) {
    std::error_code ec;
    const std::string path = cache.entryPath(key);
    if (!std::filesystem::exists(path, ec)) return std::nullopt;
    try {
        const NpyLayout layout = readNpyLayout(path);
        if (layout.shape.size() != item.size() + 1 || layout.shape[0] == 0 ||
            !std::equal(item.begin(), item.end(), layout.shape.begin() + 1))
            return std::nullopt;
        return EntryRef{hexHalf(key, 0), hexHalf(key, 16), layout.data_offset, layout.shape};
    } catch (const Error&) {
        return std::nullopt;  // a damaged entry is recomputed and overwritten
    }
}

SampleOutcome processSample(const Sample& sample, int label,
                            const std::vector<ModalityFeatureExtractor>& extractors,
                            const FeatureCache& cache, bool stream) {
    SampleOutcome outcome;
    std::vector<Tensor> stacks;
    std::vector<EntryRef> entries;  // streamed: instead of stacks
    for (std::size_t m = 0; m < extractors.size(); ++m) {
        const std::string& path = sample.paths[m];
        try {
            const std::string key =
                cache.enabled() ? FeatureCache::key(path, extractors[m].settingsText()) : "";
            if (stream) {
                std::optional<EntryRef> entry = cachedEntry(cache, key, extractors[m].itemShape());
                if (entry) {
                    ++outcome.hits;
                } else {
                    ++outcome.misses;
                    cache.store(key, extractors[m].extract(path));
                    entry = cachedEntry(cache, key, extractors[m].itemShape());
                    if (!entry)
                        throw Error(cache.entryPath(key) +
                                    ": cannot read the feature cache entry just written");
                }
                entries.push_back(std::move(*entry));
                continue;
            }
            std::optional<Tensor> cached = cache.enabled() ? cache.load(key) : std::nullopt;
            if (cached) {
                ++outcome.hits;
                stacks.push_back(std::move(*cached));
            } else {
                ++outcome.misses;
                stacks.push_back(extractors[m].extract(path));
                cache.store(key, stacks.back());
            }
        } catch (const Cancelled&) {
            throw;
        } catch (const std::exception& e) {
            // Messages from the decoders already name the path; keep only the reason part.
            std::string reason = e.what();
            if (reason.rfind(path + ": ", 0) == 0) reason = reason.substr(path.size() + 2);
            outcome.skipped = SkippedItem{path, 0, reason};
            return outcome;
        }
    }
    // Chunk mode pairs window k of every audio modality; images repeat.
    std::vector<std::size_t> counts;
    for (const auto& s : stacks) counts.push_back(s.shape[0]);
    for (const auto& e : entries) counts.push_back(e.shape[0]);
    std::size_t windows = 0;
    for (std::size_t c : counts)
        if (c > 1) windows = windows == 0 ? c : std::min(windows, c);
    windows = std::max<std::size_t>(windows, 1);
    for (std::size_t w = 0; w < windows; ++w) {
        FeatureItem item;
        item.id = windows > 1 ? sample.id + "#" + std::to_string(w) : sample.id;
        item.recording = sample.id;
        item.group = sample.group;
        item.label = label;
        item.split = sample.split;
        for (const auto& s : stacks) item.inputs.push_back(windowOf(s, s.shape[0] > 1 ? w : 0));
        for (const auto& e : entries) {
            const std::uint64_t window_bytes = elementCount({e.shape.begin() + 1, e.shape.end()}) * 4;
            item.sources.push_back({e.high, e.low, e.data_offset + (e.shape[0] > 1 ? w : 0) * window_bytes});
        }
        outcome.items.push_back(std::move(item));
    }
    return outcome;
}

}  // namespace

FeatureSet buildFeatures(const DatasetIndex& index, const FeatureOptions& options,
                         const ProgressCallback& progress) {
    FeatureSet set;
    set.spec = index.spec;
    set.classes = index.classNames();
    set.skipped = index.skipped;
    std::vector<ModalityFeatureExtractor> extractors;
    for (const auto& m : index.spec.modalities) extractors.emplace_back(m);
    const FeatureCache cache(options.cache_dir);
    if (options.stream && !cache.enabled())
        throw Error("streaming features needs the feature cache (drop --no-cache)");
    if (options.stream) set.streamed_from = options.cache_dir;

    const std::size_t n = index.samples.size();
    std::vector<SampleOutcome> outcomes(n);
    std::atomic<std::size_t> next{0};
    std::atomic<bool> cancelled{false};
    std::size_t done = 0;
    std::mutex progress_mutex;
    std::optional<std::string> failure;  // an unexpected error in a worker (cache folder unwritable…)

    // Nothing may escape a worker (an exception leaving a std::thread terminates the program).
    auto worker = [&] {
        for (std::size_t i = next++; i < n && !cancelled; i = next++) {
            const Sample& s = index.samples[i];
            const auto label_it = std::find(set.classes.begin(), set.classes.end(), s.label);
            try {
                if (s.paths.size() != extractors.size())
                    throw Error(s.id + ": has " + std::to_string(s.paths.size()) + " paths for " +
                                std::to_string(extractors.size()) + " modalities");
                outcomes[i] = processSample(s, static_cast<int>(label_it - set.classes.begin()), extractors,
                                            cache, options.stream);
                if (!options.keep_features)
                    for (auto& item : outcomes[i].items) item.inputs = {};
                std::lock_guard<std::mutex> lock(progress_mutex);
                ++done;
                if (progress && !cancelled && !progress(Progress{"features", done, n, s.id}))
                    cancelled = true;
            } catch (const Cancelled&) {
                cancelled = true;
                return;
            } catch (const std::exception& e) {
                std::lock_guard<std::mutex> lock(progress_mutex);
                if (!failure) failure = e.what();
                cancelled = true;
                return;
            }
        }
    };
    const int threads = std::max(1, std::min<int>(resolveThreadCount(options.threads), static_cast<int>(n)));
    {
        // The calling thread is one of the workers, so the job finishes even when no helper could start.
        WorkerThreads helpers(threads - 1, worker, options.thread_factory);
        worker();
    }
    if (failure) throw Error(*failure);
    if (cancelled) throw Cancelled();

    for (auto& o : outcomes) {
        set.cache_hits += o.hits;
        set.cache_misses += o.misses;
        if (o.skipped) set.skipped.push_back(*o.skipped);
        for (auto& item : o.items) set.items.push_back(std::move(item));
    }
    if (set.items.empty() && options.keep_features)
        throw Error(index.root + ": no usable samples (" + std::to_string(set.skipped.size()) + " skipped" +
                    (set.skipped.empty()
                         ? ""
                         : ", first: " + set.skipped.front().path + ": " + set.skipped.front().reason) +
                    ")");
    return set;
}

void readItemInput(const FeatureSet& set, const FeatureItem& item, std::size_t m, float* out) {
    const std::size_t count = elementCount(featureItemShape(set.spec.modalities.at(m)));
    if (!set.streamed()) {
        const auto& values = item.inputs.at(m).values;
        if (values.size() != count) throw Error("sample '" + item.id + "': feature size mismatch");
        std::copy(values.begin(), values.end(), out);
        return;
    }
    const FeatureSource& source = item.sources.at(m);
    const std::string path =
        FeatureCache(set.streamed_from).entryPath(hexDigest(source.key_high, source.key_low));
    readNpyValues(path, source.offset, count, out);
    if (set.normalization) normalizeItemInput(set, *set.normalization, m, out);
}

std::string fingerprint(const FeatureSet& features) {
    XXH3_state_t* state = XXH3_createState();
    XXH3_128bits_reset(state);
    auto add = [state](const std::string& text) { XXH3_128bits_update(state, text.data(), text.size() + 1); };
    const auto shapes = features.inputShapes();
    std::vector<std::vector<float>> values;  // one item's inputs at a time (streamed sets stay on disk)
    for (const auto& shape : shapes) values.emplace_back(elementCount(shape));
    add(nlohmann::json(features.spec).dump());
    for (const auto& c : features.classes) add(c);
    for (const auto& item : features.items) {
        add(item.id);
        add(item.group);
        add(std::to_string(item.label));
        add(item.split);
        for (std::size_t m = 0; m < shapes.size(); ++m) {
            readItemInput(features, item, m, values[m].data());
            XXH3_128bits_update(state, values[m].data(), values[m].size() * sizeof(float));
        }
    }
    const XXH128_hash_t h = XXH3_128bits_digest(state);
    XXH3_freeState(state);
    return hexDigest(h.high64, h.low64);
}

}  // namespace tm2::data
