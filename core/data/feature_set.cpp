#include "core/data/feature_set.h"

#include <xxhash.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <filesystem>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>

#include "core/base/error.h"
#include "core/base/npy.h"
#include "core/base/thread_count.h"
#include "core/data/feature_cache.h"
#include "core/data/modality_features.h"
#include "core/data/noise_mix.h"

namespace tm2::data {

std::vector<std::vector<std::size_t>> FeatureSet::inputShapes() const {
    std::vector<std::vector<std::size_t>> shapes;
    for (const auto& m : spec.modalities) shapes.push_back(featureItemShape(m));
    return shapes;
}

std::string FeatureSet::id(const FeatureItem& item) const {
    std::string id(recording(item));
    if (item.noise_copy > 0) id += "~noise" + std::to_string(item.noise_copy);
    if (item.window >= 0) id += "#" + std::to_string(item.window);
    return id;
}

std::string_view FeatureSet::groupOrRecording(const FeatureItem& item) const {
    const std::string_view g = group(item);
    return g.empty() ? recording(item) : g;
}

FeatureItem& FeatureSet::addItem(std::string_view recording, std::string_view group, int label,
                                 SplitName split) {
    FeatureItem& item = items.emplace_back();
    item.recording = names.add(recording);
    item.group = names.add(group);
    item.label = label;
    item.split = split;
    return item;
}

namespace {

// What one sample turned into: its items, or the reason it was dropped.
struct SampleOutcome {
    std::vector<FeatureItem> items;
    std::vector<FeatureSource> sources;  // streamed: the items' sources, item by item
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

// One modality's features of one variant (the recording or a noisy copy): its
// stack in memory, or where the stack lies in the cache when streamed.
struct ModalityStack {
    Tensor stack;
    std::optional<EntryRef> entry;

    std::size_t windows() const { return entry ? entry->shape[0] : stack.shape[0]; }
};

// Copy k of a sample's audio modality m is cached under the modality's settings plus
// everything that changes the noise, the sample id and k and m (each draws its own noise).
std::string copySettings(const ModalityFeatureExtractor& extractor, const NoiseSource& noise,
                         const std::string& id, int copy, std::size_t m) {
    return extractor.settingsText() + "|" + noise.keyText() + " id=" + id + " copy=" + std::to_string(copy) +
           " modality=" + std::to_string(m);
}

// `noise` (non-null) adds that many noisy copies of a training sample; other splits never get any.
SampleOutcome processSample(const Sample& sample, int label,
                            const std::vector<ModalityFeatureExtractor>& extractors,
                            const FeatureCache& cache, bool stream, const NoiseSource* noise, int copies) {
    SampleOutcome outcome;
    const int variants = 1 + (noise && sample.split == "train" ? copies : 0);
    std::vector<std::vector<ModalityStack>> stacks(
        static_cast<std::size_t>(variants));  // [variant][modality]
    for (std::size_t m = 0; m < extractors.size(); ++m) {
        const std::string& path = sample.paths[m];
        const ModalityFeatureExtractor& extractor = extractors[m];
        // The cached stack of `key`, or compute() stored under it.
        auto obtain = [&](const std::string& key, const auto& compute) {
            ModalityStack got;
            if (stream) {
                got.entry = cachedEntry(cache, key, extractor.itemShape());
                if (got.entry) {
                    ++outcome.hits;
                } else {
                    ++outcome.misses;
                    cache.store(key, compute());
                    got.entry = cachedEntry(cache, key, extractor.itemShape());
                    if (!got.entry)
                        throw Error(cache.entryPath(key) +
                                    ": cannot read the feature cache entry just written");
                }
                return got;
            }
            std::optional<Tensor> cached = cache.enabled() ? cache.load(key) : std::nullopt;
            if (cached) {
                ++outcome.hits;
                got.stack = std::move(*cached);
            } else {
                ++outcome.misses;
                got.stack = compute();
                cache.store(key, got.stack);
            }
            return got;
        };
        auto key = [&](const std::string& settings) {
            return cache.enabled() ? FeatureCache::key(path, settings) : std::string();
        };
        try {
            stacks[0].push_back(
                obtain(key(extractor.settingsText()), [&] { return extractor.extract(path); }));
            std::optional<std::vector<std::vector<float>>> windows;  // decoded once, for every copy
            for (int v = 1; v < variants; ++v) {
                if (extractor.spec().kind != ModalityKind::Audio) {
                    stacks[v].push_back(stacks[0][m]);  // other modalities: the copy repeats them unchanged
                    continue;
                }
                stacks[v].push_back(obtain(key(copySettings(extractor, *noise, sample.id, v, m)), [&] {
                    if (!windows) windows = extractor.audioWindows(path);
                    return extractor.audioFeatures(
                        noise->mix(*windows, extractor.spec().audio.sample_rate, sample.id, v, m), path);
                }));
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
    std::size_t windows = 0;
    for (const auto& s : stacks[0])
        if (s.windows() > 1) windows = windows == 0 ? s.windows() : std::min(windows, s.windows());
    windows = std::max<std::size_t>(windows, 1);
    for (int v = 0; v < variants; ++v)
        for (std::size_t w = 0; w < windows; ++w) {
            FeatureItem item;  // its names are added when the set takes it (buildFeatures)
            item.window = windows > 1 ? static_cast<std::int32_t>(w) : -1;
            item.label = label;
            item.split = sample.split;
            item.noise_copy = v;
            for (const auto& s : stacks[static_cast<std::size_t>(v)]) {
                const std::size_t at = s.windows() > 1 ? w : 0;
                if (!s.entry) {
                    item.inputs.push_back(windowOf(s.stack, at));
                    continue;
                }
                const EntryRef& e = *s.entry;
                const std::uint64_t window_bytes = elementCount({e.shape.begin() + 1, e.shape.end()}) * 4;
                outcome.sources.push_back({e.high, e.low, e.data_offset + at * window_bytes});
            }
            outcome.items.push_back(std::move(item));
        }
    return outcome;
}

// `release` (the index's own samples, or null): each sample is emptied once its items are in the set.
FeatureSet build(const DatasetIndex& index, std::vector<Sample>* release, const FeatureOptions& options,
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
    std::optional<NoiseSource> noise;
    if (options.noise.enabled()) {
        std::vector<int> rates;
        for (const auto& m : index.spec.modalities)
            if (m.kind == ModalityKind::Audio) rates.push_back(m.audio.sample_rate);
        if (rates.empty())
            throw Error("train.augment.noise_copies: noise mixing needs an audio modality, and " +
                        index.root + " has none");
        noise.emplace(options.noise, rates);  // noise files are read once, before the workers start
    }

    const std::size_t n = index.samples.size();
    // Each sample's items go into the set as soon as every earlier sample's have (the set keeps
    // sample order): finished outcomes wait only for slower workers, and the set's items are
    // built in place in storage reserved up front, so memory holds the items once.
    std::map<std::size_t, SampleOutcome> waiting;
    std::size_t next_to_add = 0;
    set.items.reserve(n);
    if (options.stream) set.sources.reserve(n * extractors.size());
    std::optional<std::uint32_t> last_group;
    auto add = [&](const Sample& sample, SampleOutcome& o) {
        set.cache_hits += o.hits;
        set.cache_misses += o.misses;
        if (o.skipped) set.skipped.push_back(*o.skipped);
        const std::size_t per_item = extractors.size();  // streamed items have one source per modality
        if (!o.items.empty()) {
            // Consecutive samples of one participant share its name (layouts list them together).
            if (!last_group || set.names.at(*last_group) != sample.group)
                last_group = set.names.add(sample.group);
            const std::uint32_t recording = set.names.add(sample.id), group = *last_group;
            for (auto& item : o.items) item.recording = recording, item.group = group;
        }
        for (std::size_t k = 0; k < o.items.size(); ++k) {
            if (options.stream) {
                o.items[k].first_source = set.sources.size();
                const auto from = o.sources.begin() + static_cast<std::ptrdiff_t>(k * per_item);
                set.sources.insert(set.sources.end(), from, from + static_cast<std::ptrdiff_t>(per_item));
            }
            set.items.push_back(std::move(o.items[k]));
        }
    };
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
                SampleOutcome outcome =
                    processSample(s, static_cast<int>(label_it - set.classes.begin()), extractors, cache,
                                  options.stream, noise ? &*noise : nullptr, options.noise.copies);
                const std::string name = s.id;  // `s` may be released below
                if (!options.keep_features)
                    for (auto& item : outcome.items) item.inputs = {};
                std::lock_guard<std::mutex> lock(progress_mutex);
                waiting.emplace(i, std::move(outcome));
                for (auto first = waiting.begin(); first != waiting.end() && first->first == next_to_add;
                     first = waiting.erase(first), ++next_to_add) {
                    add(index.samples[first->first], first->second);
                    // Its worker is done with it (outcomes wait here only once computed).
                    if (release) (*release)[first->first] = Sample();
                }
                ++done;
                if (progress && !cancelled && !progress(Progress{"features", done, n, name}))
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

    if (set.items.empty() && options.keep_features)
        throw Error(index.root + ": no usable samples (" + std::to_string(set.skipped.size()) + " skipped" +
                    (set.skipped.empty()
                         ? ""
                         : ", first: " + set.skipped.front().path + ": " + set.skipped.front().reason) +
                    ")");
    return set;
}

}  // namespace

FeatureSet buildFeatures(const DatasetIndex& index, const FeatureOptions& options,
                         const ProgressCallback& progress) {
    return build(index, nullptr, options, progress);
}

FeatureSet buildFeatures(DatasetIndex&& index, const FeatureOptions& options,
                         const ProgressCallback& progress) {
    DatasetIndex consumed = std::move(index);  // its emptied samples go when this returns
    return build(consumed, &consumed.samples, options, progress);
}

void readItemInput(const FeatureSet& set, const FeatureItem& item, std::size_t m, float* out) {
    const std::size_t count = elementCount(featureItemShape(set.spec.modalities.at(m)));
    if (!set.streamed()) {
        const auto& values = item.inputs.at(m).values;
        if (values.size() != count) throw Error("sample '" + set.id(item) + "': feature size mismatch");
        std::copy(values.begin(), values.end(), out);
        return;
    }
    if (item.first_source + m >= set.sources.size())
        throw Error("sample '" + set.id(item) + "': no feature cache source for input " + std::to_string(m));
    const FeatureSource& source = set.sources[item.first_source + m];
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
        // Noisy copies follow from the recordings and train.augment (recorded beside the
        // fingerprint), and verbs that reload a run (quantize, export) rebuild none.
        if (item.noise_copy > 0) continue;
        add(features.id(item));
        add(std::string(features.group(item)));
        add(std::to_string(item.label));
        add(std::string(item.split.str()));
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
