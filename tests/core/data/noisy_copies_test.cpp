// buildFeatures with FeatureOptions::noise: noisy copies of training recordings.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/base/error.h"
#include "core/data/feature_set.h"
#include "tests/support/media_fixtures.h"
#include "tests/support/temp_dir.h"

namespace tm2::data {
namespace {

using tm2::testing::TempDir;

// An image and a 0.5 s tone per sample; s0, s1 train, s2 val, s3 test.
DatasetIndex toyIndex(const TempDir& dir) {
    DatasetIndex index;
    index.root = dir.path().string();
    index.layout = "manifest";
    ModalitySpec image;
    image.name = "image";
    image.kind = ModalityKind::Image;
    ModalitySpec audio;
    audio.name = "audio";
    audio.kind = ModalityKind::Audio;
    audio.audio.window_s = 0.5;
    index.spec.modalities = {image, audio};
    const char* splits[] = {"train", "train", "val", "test"};
    for (int i = 0; i < 4; ++i) {
        Sample s;
        s.id = "s" + std::to_string(i);
        s.group = "g" + std::to_string(i);
        s.label = i % 2 ? "high" : "low";
        s.split = splits[i];
        const std::string png = dir.file("img/" + s.id + ".png");
        const std::string wav = dir.file("wav/" + s.id + ".wav");
        tm2::testing::writeGradientPng(png, 16, 16, i);
        tm2::testing::writeToneWav(wav, (i % 2 ? 2000.0 : 300.0) + 10.0 * i, 0.5, 16000);
        s.paths = {png, wav};
        index.samples.push_back(s);
    }
    return index;
}

FeatureOptions withNoise(int copies, std::uint64_t seed = 42) {
    FeatureOptions options;
    options.threads = 1;
    options.noise.copies = copies;
    options.noise.snr_low_db = 0;
    options.noise.snr_high_db = 10;
    options.noise.seed = seed;
    return options;
}

const FeatureItem& itemWithId(const FeatureSet& set, const std::string& id) {
    for (const auto& item : set.items)
        if (set.id(item) == id) return item;
    throw Error("no item " + id);
}

TEST(NoisyCopiesTest, OnlyTrainRecordingsGetCopiesWithTheirLabelSplitAndImage) {
    TempDir dir;
    const FeatureSet set = buildFeatures(toyIndex(dir), withNoise(2));
    // 2 train × (1 + 2 copies) + val + test.
    ASSERT_EQ(set.items.size(), 8u);
    std::size_t copies = 0;
    for (const auto& item : set.items) {
        if (item.noise_copy == 0) continue;
        ++copies;
        EXPECT_EQ(item.split, "train") << set.id(item);
        const FeatureItem& original = itemWithId(set, std::string(set.recording(item)));
        EXPECT_EQ(set.id(item), set.id(original) + "~noise" + std::to_string(item.noise_copy));
        EXPECT_EQ(item.label, original.label);
        EXPECT_EQ(set.group(item), set.group(original));
        EXPECT_EQ(item.inputs[0].values, original.inputs[0].values);  // the image repeats unchanged
        EXPECT_NE(item.inputs[1].values, original.inputs[1].values);  // the audio is noisy
    }
    EXPECT_EQ(copies, 4u);
    EXPECT_NE(itemWithId(set, "s0~noise1").inputs[1].values, itemWithId(set, "s0~noise2").inputs[1].values);
    // The clean items are what a build without noise gives.
    FeatureOptions clean = withNoise(0);
    const FeatureSet plain = buildFeatures(toyIndex(dir), clean);
    for (const auto& item : plain.items)
        EXPECT_EQ(itemWithId(set, plain.id(item)).inputs[1].values, item.inputs[1].values);
}

TEST(NoisyCopiesTest, TheSameSeedGivesIdenticalCopiesOnAnyThreadCountAndAnotherSeedOthers) {
    TempDir dir;
    const DatasetIndex index = toyIndex(dir);
    const FeatureSet one = buildFeatures(index, withNoise(1, 42));
    FeatureOptions two_threads = withNoise(1, 42);
    two_threads.threads = 2;
    const FeatureSet again = buildFeatures(index, two_threads);
    const FeatureSet other = buildFeatures(index, withNoise(1, 43));
    for (const char* id : {"s0~noise1", "s1~noise1"}) {
        EXPECT_EQ(itemWithId(one, id).inputs[1].values, itemWithId(again, id).inputs[1].values);
        EXPECT_NE(itemWithId(one, id).inputs[1].values, itemWithId(other, id).inputs[1].values);
    }
}

TEST(NoisyCopiesTest, CopiesAreCachedUnderKeysThatChangeWithTheNoiseSettings) {
    TempDir dir;
    const DatasetIndex index = toyIndex(dir);
    FeatureOptions options = withNoise(1);
    options.cache_dir = dir.file("cache");
    const FeatureSet first = buildFeatures(index, options);
    EXPECT_EQ(first.cache_misses, 8u + 2u);  // 4 images, 4 clean recordings, 2 noisy copies
    const FeatureSet second = buildFeatures(index, options);
    EXPECT_EQ(second.cache_hits, 10u);
    EXPECT_EQ(itemWithId(second, "s0~noise1").inputs[1].values,
              itemWithId(first, "s0~noise1").inputs[1].values);

    options.noise.snr_high_db = 11;  // another range: the clean entries stay, the copies are new
    const FeatureSet wider = buildFeatures(index, options);
    EXPECT_EQ(wider.cache_misses, 2u);
    EXPECT_NE(itemWithId(wider, "s0~noise1").inputs[1].values,
              itemWithId(first, "s0~noise1").inputs[1].values);

    options.noise.copies = 2;  // one more copy: copy 1 is found, copy 2 is made
    const FeatureSet more = buildFeatures(index, options);
    EXPECT_EQ(more.cache_misses, 2u);
    EXPECT_EQ(itemWithId(more, "s0~noise1").inputs[1].values,
              itemWithId(wider, "s0~noise1").inputs[1].values);
}

TEST(NoisyCopiesTest, NormalisationAndFingerprintSeeTheCleanRecordingsOnly) {
    TempDir dir;
    const DatasetIndex index = toyIndex(dir);
    const FeatureSet noisy = buildFeatures(index, withNoise(2));
    const FeatureSet clean = buildFeatures(index, withNoise(0));
    const NormalizationStats a = computeNormalization(noisy), b = computeNormalization(clean);
    EXPECT_EQ(a.mean, b.mean);
    EXPECT_EQ(a.std, b.std);
    // A reloaded run (quantize, export) rebuilds no copies and must find the same data.
    EXPECT_EQ(fingerprint(noisy), fingerprint(clean));
}

TEST(NoisyCopiesTest, StreamedCopiesReadBackTheValuesHeldInMemory) {
    TempDir dir;
    const DatasetIndex index = toyIndex(dir);
    FeatureOptions options = withNoise(1);
    options.cache_dir = dir.file("cache");
    const FeatureSet held = buildFeatures(index, options);
    options.stream = true;
    const FeatureSet streamed = buildFeatures(index, options);
    ASSERT_EQ(streamed.items.size(), held.items.size());
    for (const auto& item : streamed.items) {
        const FeatureItem& in_memory = itemWithId(held, streamed.id(item));
        EXPECT_EQ(item.noise_copy, in_memory.noise_copy);
        for (std::size_t m = 0; m < 2; ++m) {
            std::vector<float> values(in_memory.inputs[m].values.size());
            readItemInput(streamed, item, m, values.data());
            EXPECT_EQ(values, in_memory.inputs[m].values) << streamed.id(item) << " modality " << m;
        }
    }
}

TEST(NoisyCopiesTest, ADatasetWithoutAudioOrABadNoiseFolderIsAClearError) {
    TempDir dir;
    DatasetIndex index = toyIndex(dir);
    FeatureOptions options = withNoise(1);
    options.noise.dir = dir.file("noise");
    tm2::testing::writeToneWav(dir.file("noise/ok.wav"), 100, 0.2, 16000);
    tm2::testing::writeTextFile(dir.file("noise/bad.wav"), "not a wav");
    try {
        buildFeatures(index, options);
        ADD_FAILURE() << "no error";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find(dir.file("noise/bad.wav")), std::string::npos) << e.what();
    }

    index.spec.modalities.pop_back();  // images only
    for (auto& s : index.samples) s.paths.pop_back();
    try {
        buildFeatures(index, withNoise(1));
        ADD_FAILURE() << "no error";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("needs an audio modality"), std::string::npos) << e.what();
    }
}

}  // namespace
}  // namespace tm2::data
