// Training from a streamed feature set (batches read from the feature cache)
// against today's in-memory path on the same data: the same bits everywhere.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <memory>

#include "core/data/feature_cache.h"
#include "core/data/manifest.h"
#include "core/data/splits.h"
#include "core/data/synthetic_cached_dataset.h"
#include "core/train/trainer.h"
#include "tests/core/train/toy_data.h"
#include "tests/support/temp_dir.h"

namespace tm2::train {
namespace {

using tm2::testing::TempDir;

// 60 samples in 20 participants, 3 classes, 0.5 s windows (1 × 13 × 51), split group-aware.
data::DatasetIndex syntheticIndex(const TempDir& dir) {
    data::SyntheticCachedDatasetConfig c;
    c.folder = dir.file("data");
    c.cache_dir = dir.file("cache");
    c.samples = 60;
    c.samples_per_group = 3;
    c.classes = 3;
    c.window_s = 0.5;
    data::makeSyntheticCachedDataset(c);
    data::DatasetIndex index = data::readManifest(c.folder);
    data::SplitConfig split;
    split.val_fraction = 0.2;
    split.test_fraction = 0.2;
    split.seed = 3;
    data::assignSplits(index, split);
    return index;
}

data::FeatureOptions cacheOptions(const TempDir& dir, bool stream) {
    data::FeatureOptions o;
    o.cache_dir = dir.file("cache");
    o.threads = 1;
    o.stream = stream;
    return o;
}

model::ModelSpec audioSpec() {
    using model::LayerType;
    using testing::layer;
    model::ModelSpec spec;
    model::BranchSpec b;
    b.modality = "audio";
    b.layers = {layer(LayerType::Conv2d, 4), layer(LayerType::BatchNorm), layer(LayerType::MaxPool2d),
                layer(LayerType::Flatten), layer(LayerType::Fc, 8)};
    spec.branches.push_back(b);
    return spec;
}

TEST(StreamedTrainingTest, StreamedFeaturesHoldNoValuesAndReadTheSameNormalisedBits) {
    TempDir dir;
    const data::DatasetIndex index = syntheticIndex(dir);
    data::FeatureSet memory = data::buildFeatures(index, cacheOptions(dir, false));
    data::FeatureSet streamed = data::buildFeatures(index, cacheOptions(dir, true));
    ASSERT_TRUE(streamed.streamed());
    EXPECT_EQ(streamed.cache_hits, 60u);
    EXPECT_EQ(streamed.cache_misses, 0u);
    for (const auto& item : streamed.items) EXPECT_TRUE(item.inputs.empty());

    const data::NormalizationStats stats = data::computeNormalization(memory);
    const data::NormalizationStats streamed_stats = data::computeNormalization(streamed);
    EXPECT_EQ(stats.mean, streamed_stats.mean);
    EXPECT_EQ(stats.std, streamed_stats.std);
    data::applyNormalization(memory, stats);
    data::applyNormalization(streamed, streamed_stats);
    EXPECT_EQ(data::fingerprint(memory), data::fingerprint(streamed));
    std::vector<float> values(51 * 13);
    data::readItemInput(streamed, streamed.items[7], 0, values.data());
    EXPECT_EQ(values, memory.items[7].inputs[0].values);
}

TEST(StreamedTrainingTest, TrainingFromTheCacheGivesTheInMemoryResultBitForBit) {
    TempDir dir;
    const data::DatasetIndex index = syntheticIndex(dir);
    auto prepare = [&](bool stream) {
        auto set = std::make_shared<data::FeatureSet>(data::buildFeatures(index, cacheOptions(dir, stream)));
        data::applyNormalization(*set, data::computeNormalization(*set));
        return makeTrainingData(std::shared_ptr<const data::FeatureSet>(set));
    };
    const TrainingData memory = prepare(false), streamed = prepare(true);
    ASSERT_TRUE(streamed.train.streamed);
    ASSERT_TRUE(streamed.train.inputs.empty());
    ASSERT_GT(streamed.val.size(), 0);
    ASSERT_GT(streamed.test.size(), 0);
    // Rows in any order, as a shuffled batch asks for them.
    const torch::Tensor rows = torch::tensor({5, 0, 17, 3}, torch::kInt64);
    EXPECT_TRUE(torch::equal(memory.train.inputRows(0, rows), streamed.train.inputRows(0, rows)));

    TrainConfig config;
    config.epochs = 2;
    config.batch_size = 8;
    config.learning_rate = 3e-3;
    config.seed = 5;
    config.threads = 1;
    config.class_weighting = ClassWeighting::Balanced;
    const TrainResult a = trainModel(audioSpec(), memory, config);
    const TrainResult b = trainModel(audioSpec(), streamed, config);
    ASSERT_EQ(a.history.size(), b.history.size());
    for (std::size_t e = 0; e < a.history.size(); ++e) {
        EXPECT_EQ(a.history[e].train_loss, b.history[e].train_loss) << "epoch " << e + 1;
        EXPECT_EQ(a.history[e].val_loss, b.history[e].val_loss) << "epoch " << e + 1;
    }
    EXPECT_EQ(a.best_epoch, b.best_epoch);
    EXPECT_EQ(a.test_levels.window.confusion, b.test_levels.window.confusion);
    EXPECT_EQ(a.test_levels.recording.confusion, b.test_levels.recording.confusion);
    EXPECT_EQ(a.test_levels.participant.confusion, b.test_levels.participant.confusion);
    EXPECT_EQ(a.val_loss, b.val_loss);
}

TEST(StreamedTrainingTest, StreamedSplitsNameTheirRowsThroughTheSetInsteadOfCopies) {
    TempDir dir;
    const data::DatasetIndex index = syntheticIndex(dir);
    const auto memory = makeTrainingData(data::buildFeatures(index, cacheOptions(dir, false)));
    const auto streamed = makeTrainingData(
        std::make_shared<const data::FeatureSet>(data::buildFeatures(index, cacheOptions(dir, true))));
    for (auto [m, s] : {std::pair{&memory.train, &streamed.train}, {&memory.val, &streamed.val},
                        {&memory.test, &streamed.test}}) {
        ASSERT_EQ(m->size(), s->size());
        ASSERT_GT(s->size(), 0);
        EXPECT_TRUE(s->ids.empty() && s->recordings.empty() && s->groups.empty());  // no copies
        EXPECT_TRUE(torch::equal(m->labels, s->labels));
        for (std::size_t i = 0; i < static_cast<std::size_t>(s->size()); ++i) {
            EXPECT_EQ(s->id(i), m->ids[i]);
            EXPECT_EQ(s->recording(i), m->recordings[i]);
            EXPECT_EQ(s->group(i), m->groups[i]);
            EXPECT_EQ(m->id(i), m->ids[i]);
            EXPECT_EQ(m->group(i), m->groups[i]);
        }
    }
    const TrainingData audio = streamed.only("audio");
    EXPECT_EQ(audio.test.group(0), streamed.test.group(0));
}

TEST(StreamedTrainingTest, AParallelBuildKeepsSampleOrderAndEveryItemsSource) {
    TempDir dir;
    const data::DatasetIndex index = syntheticIndex(dir);
    const data::FeatureSet one = data::buildFeatures(index, cacheOptions(dir, true));
    data::FeatureOptions options = cacheOptions(dir, true);
    options.threads = 4;
    const data::FeatureSet four = data::buildFeatures(index, options);
    ASSERT_EQ(one.items.size(), 60u);
    ASSERT_EQ(four.items.size(), one.items.size());
    EXPECT_EQ(four.sources.size(), four.items.size());  // one source per item and modality
    std::vector<float> a(51 * 13), b(51 * 13);
    for (std::size_t i = 0; i < one.items.size(); ++i) {
        EXPECT_EQ(four.id(four.items[i]), index.samples[i].id);
        EXPECT_EQ(four.items[i].split, index.samples[i].split);
        data::readItemInput(one, one.items[i], 0, a.data());
        data::readItemInput(four, four.items[i], 0, b.data());
        EXPECT_EQ(a, b) << four.id(four.items[i]);
    }
    EXPECT_EQ(data::fingerprint(one), data::fingerprint(four));
}

TEST(StreamedTrainingTest, ATruncatedCacheEntryIsRecomputedNotStreamed) {
    TempDir dir;
    const data::DatasetIndex index = syntheticIndex(dir);
    // Cut one entry short: its header promises more values than the file holds.
    std::string victim;
    for (const auto& e : std::filesystem::recursive_directory_iterator(dir.file("cache")))
        if (e.is_regular_file()) victim = e.path().string();
    ASSERT_FALSE(victim.empty());
    std::filesystem::resize_file(victim, std::filesystem::file_size(victim) - 4);
    const data::FeatureSet set = data::buildFeatures(index, cacheOptions(dir, true));
    EXPECT_EQ(set.cache_misses, 1u);
    // The synthetic file behind it holds no audio, so recomputing skips that sample.
    EXPECT_EQ(set.items.size(), 59u);
    ASSERT_EQ(set.skipped.size(), 1u);
}

}  // namespace
}  // namespace tm2::train
