#include "core/data/feature_set.h"

#include <gtest/gtest.h>
#include <xxhash.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <system_error>
#include <thread>

#include "core/base/error.h"
#include "core/data/feature_cache.h"
#include "core/data/modality_features.h"
#include "tests/support/media_fixtures.h"
#include "tests/support/temp_dir.h"

namespace tm2::data {
namespace {

using tm2::testing::TempDir;

// Two modalities (a 28×28 image and a 1 s tone at 16 kHz), `n` samples in two classes.
DatasetIndex toyIndex(const TempDir& dir, int n) {
    DatasetIndex index;
    index.root = dir.path().string();
    index.layout = "manifest";
    ModalitySpec image;
    image.name = "image";
    image.kind = ModalityKind::Image;
    ModalitySpec audio;
    audio.name = "audio";
    audio.kind = ModalityKind::Audio;
    audio.audio.window_s = 1.0;
    index.spec.modalities = {image, audio};
    for (int i = 0; i < n; ++i) {
        Sample s;
        s.id = "s" + std::to_string(i);
        s.group = "g" + std::to_string(i / 2);
        s.label = i % 2 ? "high" : "low";
        s.split = i < n / 2 ? "train" : "test";
        const std::string png = dir.file("img/" + s.id + ".png");
        const std::string wav = dir.file("wav/" + s.id + ".wav");
        tm2::testing::writeGradientPng(png, 28, 28, i);
        // Distinct frequencies: identical files would (rightly) share cache entries.
        tm2::testing::writeToneWav(wav, (i % 2 ? 2000.0 : 300.0) + 10.0 * i, 0.8, 16000);
        s.paths = {png, wav};
        index.samples.push_back(s);
    }
    return index;
}

TEST(FeatureSetTest, BuildsOneTensorPerModalityWithTheDeclaredShapes) {
    TempDir dir;
    const DatasetIndex index = toyIndex(dir, 4);
    const FeatureSet set = buildFeatures(index, {});
    ASSERT_EQ(set.items.size(), 4u);
    EXPECT_EQ(set.classes, (std::vector<std::string>{"high", "low"}));
    const auto shapes = set.inputShapes();
    // 1 s at 16 kHz, hop 160, centred frames: 1 + 16000 / 160 = 101 frames.
    EXPECT_EQ(shapes[0], (std::vector<std::size_t>{1, 28, 28}));
    EXPECT_EQ(shapes[1], (std::vector<std::size_t>{1, 13, 101}));
    for (const auto& item : set.items) {
        EXPECT_EQ(item.inputs[0].shape, shapes[0]);
        EXPECT_EQ(item.inputs[1].shape, shapes[1]);
    }
    EXPECT_EQ(set.items[1].label, 0);  // "high" sorts first
    EXPECT_EQ(set.items[0].label, 1);
}

// A thread factory that starts `working` threads and then fails like a process at its thread limit.
ThreadFactory failingAfter(int working, std::shared_ptr<int> attempts) {
    return [working, attempts](std::function<void()> work) {
        if ((*attempts)++ >= working)
            throw std::system_error(std::make_error_code(std::errc::resource_unavailable_try_again),
                                    "thread limit (injected)");
        return std::thread(std::move(work));
    };
}

TEST(FeatureSetTest, ThreadCreationFailureFallsBackToFewerThreadsWithTheSameFeatures) {
    TempDir dir;
    const DatasetIndex index = toyIndex(dir, 6);
    FeatureOptions one;
    one.threads = 1;
    const FeatureSet reference = buildFeatures(index, one);
    for (int working : {0, 1}) {
        FeatureOptions options;
        options.threads = 4;  // asks for 3 helpers; `working` of them start
        auto attempts = std::make_shared<int>(0);
        options.thread_factory = failingAfter(working, attempts);
        // Used to std::terminate (a joinable std::thread destroyed during unwinding).
        const FeatureSet set = buildFeatures(index, options);
        EXPECT_EQ(*attempts, working + 1);
        EXPECT_EQ(fingerprint(set), fingerprint(reference)) << working << " helper(s)";
    }
}

TEST(FeatureSetTest, SkipsUndecodableFilesWithTheirPathAndKeepsTheRest) {
    TempDir dir;
    DatasetIndex index = toyIndex(dir, 4);
    tm2::testing::writeTextFile(index.samples[2].paths[1], "this is not a wav file");
    const FeatureSet set = buildFeatures(index, {});
    EXPECT_EQ(set.items.size(), 3u);
    ASSERT_EQ(set.skipped.size(), 1u);
    EXPECT_EQ(set.skipped[0].path, index.samples[2].paths[1]);
    EXPECT_FALSE(set.skipped[0].reason.empty());
}

// Training's path: the index is consumed while the set is built, which must change nothing in the set.
TEST(FeatureSetTest, AConsumedIndexGivesTheSetAKeptOneGivesOnEveryThreadCount) {
    TempDir dir;
    DatasetIndex index = toyIndex(dir, 8);
    index.samples[3].paths[1] =
        dir.file("wav/missing.wav");  // a skipped sample keeps its place in the listing
    FeatureOptions options;
    options.cache_dir = dir.file("cache");
    options.stream = true;
    const FeatureSet kept = buildFeatures(index, options);
    ASSERT_EQ(kept.items.size(), 7u);
    for (int threads : {1, 3}) {
        options.threads = threads;
        DatasetIndex copy = index;
        const FeatureSet consumed = buildFeatures(std::move(copy), options);
        EXPECT_EQ(fingerprint(consumed), fingerprint(kept));
        ASSERT_EQ(consumed.items.size(), kept.items.size());
        for (std::size_t i = 0; i < kept.items.size(); ++i) {
            EXPECT_EQ(consumed.id(consumed.items[i]), kept.id(kept.items[i]));
            EXPECT_EQ(consumed.group(consumed.items[i]), kept.group(kept.items[i]));
            EXPECT_EQ(consumed.items[i].split, kept.items[i].split);
        }
        ASSERT_EQ(consumed.skipped.size(), 1u);
        EXPECT_EQ(consumed.skipped[0].path, dir.file("wav/missing.wav"));
    }
}

TEST(FeatureSetTest, SecondBuildIsServedFromTheCacheWithIdenticalValues) {
    TempDir dir;
    const DatasetIndex index = toyIndex(dir, 4);
    FeatureOptions options;
    options.cache_dir = dir.file("cache");
    const FeatureSet first = buildFeatures(index, options);
    EXPECT_EQ(first.cache_misses, 8u);
    EXPECT_EQ(first.cache_hits, 0u);
    const FeatureSet second = buildFeatures(index, options);
    EXPECT_EQ(second.cache_hits, 8u);
    EXPECT_EQ(second.cache_misses, 0u);
    for (std::size_t i = 0; i < first.items.size(); ++i)
        for (std::size_t m = 0; m < 2; ++m)
            EXPECT_EQ(first.items[i].inputs[m].values, second.items[i].inputs[m].values);
}

TEST(FeatureSetTest, CacheKeyChangesWithFileContentAndSettings) {
    TempDir dir;
    const std::string wav = dir.file("a.wav");
    tm2::testing::writeToneWav(wav, 440.0, 0.1, 16000);
    const std::string k1 = FeatureCache::key(wav, "n_mfcc=13");
    EXPECT_EQ(k1, FeatureCache::key(wav, "n_mfcc=13"));
    EXPECT_NE(k1, FeatureCache::key(wav, "n_mfcc=20"));
    tm2::testing::writeToneWav(wav, 441.0, 0.1, 16000);
    EXPECT_NE(k1, FeatureCache::key(wav, "n_mfcc=13"));
    EXPECT_EQ(k1.size(), 32u);
}

// The key as builds before the batched SIMD MFCC computed it (format "tm2-features-v1"):
// XXH3-128 of the file bytes, then "\n" + format + "\n" + settings text.
std::string keyOfFormatV1(const std::string& path, const std::string& settings) {
    std::ifstream in(path, std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    bytes += "\ntm2-features-v1\n" + settings;
    const XXH128_hash_t h = XXH3_128bits(bytes.data(), bytes.size());
    return hexDigest(h.high64, h.low64);
}

TEST(FeatureSetTest, EntriesCachedBeforeTheBatchedMfccAreNotReused) {
    TempDir dir;
    DatasetIndex index = toyIndex(dir, 2);
    index.spec.modalities.erase(index.spec.modalities.begin());  // audio only
    for (auto& s : index.samples) s.paths.erase(s.paths.begin());
    FeatureOptions options;
    options.cache_dir = dir.file("cache");
    // What an older build left in the cache: MFCC bits of the KissFFT front-end (here a marker value).
    const ModalityFeatureExtractor extractor(index.spec.modalities[0]);
    const FeatureCache cache(options.cache_dir);
    std::vector<std::size_t> stack{1};
    for (std::size_t d : extractor.itemShape()) stack.push_back(d);
    for (const auto& s : index.samples)
        cache.store(keyOfFormatV1(s.paths[0], extractor.settingsText()), Tensor(stack, 12345.0f));
    const FeatureSet set = buildFeatures(index, options);
    EXPECT_EQ(set.cache_hits, 0u);
    EXPECT_EQ(set.cache_misses, 2u);
    for (const auto& item : set.items) EXPECT_NE(item.inputs[0].values.front(), 12345.0f);
}

TEST(FeatureSetTest, ChunkModeTurnsEachWindowIntoAnItem) {
    TempDir dir;
    DatasetIndex index = toyIndex(dir, 2);
    index.spec.modalities[1].audio.window_s = 0.25;
    index.spec.modalities[1].audio.max_windows = 0;
    // 0.8 s in 0.25 s windows: 0.25, 0.5, 0.75 and a padded 4th → 4 windows.
    const FeatureSet set = buildFeatures(index, {});
    ASSERT_EQ(set.items.size(), 8u);
    EXPECT_EQ(set.id(set.items[0]), "s0#0");
    EXPECT_EQ(set.id(set.items[3]), "s0#3");
    EXPECT_EQ(set.items[3].inputs[0].values, set.items[0].inputs[0].values);  // the image repeats
}

TEST(FeatureSetTest, ProgressCallbackCanCancel) {
    TempDir dir;
    const DatasetIndex index = toyIndex(dir, 6);
    FeatureOptions options;
    options.threads = 1;
    EXPECT_THROW(buildFeatures(index, options, [](const Progress& p) { return p.done < 2; }), Cancelled);
}

TEST(FeatureSetTest, NormalisationUsesTheTrainSplitOnly) {
    TempDir dir;
    const DatasetIndex index = toyIndex(dir, 4);
    FeatureSet set = buildFeatures(index, {});
    // Make the test items wildly different: the statistics must not move.
    const NormalizationStats before = computeNormalization(set);
    for (auto& item : set.items)
        if (item.split == "test")
            for (auto& v : item.inputs[0].values) v += 1000.0f;
    const NormalizationStats after = computeNormalization(set);
    EXPECT_EQ(before.mean, after.mean);
    EXPECT_EQ(before.std, after.std);
    ASSERT_EQ(before.mean[0].size(), 1u);   // image: one channel
    ASSERT_EQ(before.mean[1].size(), 13u);  // audio: one per coefficient

    applyNormalization(set, after);
    // Train image pixels now have mean 0 and std 1 over the train split.
    double sum = 0, sum_sq = 0, n = 0;
    for (const auto& item : set.items)
        if (item.split == "train")
            for (float v : item.inputs[0].values) sum += v, sum_sq += double(v) * v, ++n;
    EXPECT_NEAR(sum / n, 0.0, 1e-4);
    EXPECT_NEAR(sum_sq / n, 1.0, 1e-3);
}

TEST(FeatureSetTest, NormalisationWithoutTrainItemsIsAClearError) {
    TempDir dir;
    DatasetIndex index = toyIndex(dir, 2);
    for (auto& s : index.samples) s.split = "test";
    const FeatureSet set = buildFeatures(index, {});
    EXPECT_THROW(computeNormalization(set), Error);
}

}  // namespace
}  // namespace tm2::data
