#include "core/train/trainer.h"

#include <filesystem>

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "core/base/error.h"
#include "core/train/comparison.h"
#include "tests/core/train/toy_data.h"
#include "tests/support/temp_dir.h"

namespace tm2::train {
namespace {

using testing::toyData;
using testing::toySpec;

TrainConfig quickConfig(int epochs = 4) {
    TrainConfig c;
    c.epochs = epochs;
    c.batch_size = 16;
    c.learning_rate = 3e-3;
    c.seed = 5;
    c.threads = 1;
    return c;
}

TEST(TrainerTest, LearnsTheToyTaskWellAboveChance) {
    const TrainResult r = trainModel(toySpec(), toyData(3), quickConfig(6));
    ASSERT_EQ(r.history.size(), 6u);
    EXPECT_LT(r.history.back().train_loss, r.history.front().train_loss);
    EXPECT_GT(r.test.accuracy, 0.6);  // chance is 1/3
    EXPECT_EQ(r.test.samples, 32u);
    EXPECT_EQ(r.test_missing.size(), 2u);
    EXPECT_GT(r.train_samples_per_s, 0);
}

TEST(TrainerTest, SameSeedSameDataGivesTheSameMetrics) {
    const TrainingData data = toyData(3);
    const TrainResult a = trainModel(toySpec(), data, quickConfig(2));
    const TrainResult b = trainModel(toySpec(), data, quickConfig(2));
    EXPECT_EQ(a.history.back().train_loss, b.history.back().train_loss);
    EXPECT_EQ(a.test.confusion, b.test.confusion);
    TrainConfig other = quickConfig(2);
    other.seed = 6;
    EXPECT_NE(trainModel(toySpec(), data, other).history.back().train_loss, a.history.back().train_loss);
}

TEST(TrainerTest, AugmentedTrainingIsSeededAndChangesWhatTheNetworkSees) {
    TrainingData data = toyData(3);
    AugmentDomain image, audio;
    audio.audio = true;
    audio.row0_per_db = 0.1;
    data.augment_domains = {image, audio};
    TrainConfig config = quickConfig(2);
    config.augment = parseAugment("on,hflip");
    const TrainResult a = trainModel(toySpec(), data, config);
    const TrainResult b = trainModel(toySpec(), data, config);
    EXPECT_EQ(a.history.back().train_loss, b.history.back().train_loss);
    EXPECT_EQ(a.test.confusion, b.test.confusion);
    const TrainResult plain = trainModel(toySpec(), data, quickConfig(2));
    EXPECT_NE(a.history.back().train_loss, plain.history.back().train_loss);

    data.augment_domains.clear();  // hand-made data that does not say which modality is audio
    EXPECT_THROW(trainModel(toySpec(), data, config), Error);
    EXPECT_EQ(trainModel(toySpec(), data, quickConfig(2)).history.back().train_loss,
              plain.history.back().train_loss);  // off: no domains needed, nothing changes
}

TEST(TrainerTest, KilledRunResumesFromItsLastCheckpointToTheSameResult) {
    tm2::testing::TempDir dir;
    const TrainingData data = toyData(3);
    const TrainResult uninterrupted = trainModel(toySpec(), data, quickConfig(4));

    TrainConfig config = quickConfig(4);
    config.checkpoint_dir = dir.file("ckpt");
    // Stop in the middle of epoch 3: epochs 1-2 are checkpointed, epoch 3 is lost.
    auto stop_in_epoch_3 = [](const TrainEvent& e) { return !(e.epoch == 3 && e.batch == 2); };
    EXPECT_THROW(trainModel(toySpec(), data, config, stop_in_epoch_3), Cancelled);
    EXPECT_TRUE(std::filesystem::exists(dir.file("ckpt/state.json")));
    EXPECT_TRUE(std::filesystem::exists(dir.file("ckpt/epoch-0002.pt")));

    const TrainResult resumed = trainModel(toySpec(), data, config);
    EXPECT_EQ(resumed.resumed_from_epoch, 2);
    ASSERT_EQ(resumed.history.size(), 4u);
    for (std::size_t e = 0; e < 4; ++e)
        EXPECT_NEAR(resumed.history[e].train_loss, uninterrupted.history[e].train_loss, 1e-5) << "epoch " << e + 1;
    EXPECT_EQ(resumed.test.confusion, uninterrupted.test.confusion);
    EXPECT_FALSE(std::filesystem::exists(dir.file("ckpt/epoch-0002.pt")));  // superseded by epoch 4
    EXPECT_TRUE(std::filesystem::exists(dir.file("ckpt/best.pt")));
}

TEST(TrainerTest, NanLossStopsWithAClearMessageAndKeepsTheLastCheckpoint) {
    tm2::testing::TempDir dir;
    TrainingData data = toyData(3);
    TrainConfig config = quickConfig(3);
    config.checkpoint_dir = dir.file("ckpt");
    // Poison one training sample from epoch 2 on: epoch 1 completes and is checkpointed.
    int epochs_done = 0;
    auto poison_after_epoch_1 = [&](const TrainEvent& e) {
        if (e.kind == TrainEvent::Kind::Epoch && ++epochs_done == 1) data.train.inputs[0][0][0][0][0] = NAN;
        return true;
    };
    try {
        trainModel(toySpec(), data, config, poison_after_epoch_1);
        FAIL() << "expected an error";
    } catch (const Error& e) {
        const std::string what = e.what();
        EXPECT_NE(what.find("epoch 2"), std::string::npos) << what;
        EXPECT_NE(what.find("NaN"), std::string::npos) << what;
    }
    EXPECT_TRUE(std::filesystem::exists(dir.file("ckpt/epoch-0001.pt")));
}

TEST(TrainerTest, UnwritableCheckpointFolderFailsBeforeTraining) {
    tm2::testing::TempDir dir;
    tm2::testing::writeTextFile(dir.path() / "file", "not a folder");
    TrainConfig config = quickConfig(1);
    config.checkpoint_dir = dir.file("file/ckpt");
    int batches = 0;
    EXPECT_THROW(trainModel(toySpec(), toyData(3), config, [&](const TrainEvent&) { return ++batches > 0; }), Error);
    EXPECT_EQ(batches, 0);
}

TEST(TrainerTest, EarlyStoppingStopsWhenValidationStallsAndClassWeightsWork) {
    TrainConfig config = quickConfig(30);
    config.early_stopping_patience = 2;
    config.class_weighting = ClassWeighting::Balanced;
    config.lr_schedule = LrSchedule::Cosine;
    const TrainResult r = trainModel(toySpec(), toyData(3), config);
    EXPECT_TRUE(r.stopped_early);
    EXPECT_LT(r.history.size(), 30u);
    EXPECT_EQ(static_cast<int>(r.history.size()), r.best_epoch + 2);
}

TEST(TrainerTest, WithoutValidationTheLastEpochIsTheBestAndEarlyStoppingIsOff) {
    TrainingData data = toyData(3);
    data.val = SplitTensors{};  // --val 0: no validation split on purpose
    TrainConfig config = quickConfig(6);
    // Weights barely move, so train accuracy stalls: selecting on it would stop after the second epoch.
    config.learning_rate = 1e-9;
    config.early_stopping_patience = 1;
    const TrainResult r = trainModel(toySpec(), data, config);
    EXPECT_EQ(r.history.size(), 6u);
    EXPECT_EQ(r.best_epoch, 6);
    EXPECT_FALSE(r.stopped_early);
    EXPECT_EQ(r.val.samples, 0u);
    EXPECT_TRUE(nlohmann::json(r).at("val").is_null());
}

TEST(TrainerTest, WithoutATestSplitTheTestMetricsAreNullNotZero) {
    TrainingData data = toyData(3);
    data.test = SplitTensors{};  // --test 0
    const nlohmann::json j = trainModel(toySpec(), data, quickConfig(1));
    EXPECT_TRUE(j.at("test").is_null()) << j.at("test").dump();
    EXPECT_TRUE(j.at("test_acc").is_null());
    EXPECT_TRUE(j.at("test_levels").at("participant").is_null());
    EXPECT_FALSE(j.contains("test_missing"));
}

TEST(TrainerTest, TestMetricsComeAtThreeLevelsWithTheRecordingAsHeadline) {
    TrainingData data = toyData(3);
    // 32 test windows: two per recording (same label), four recordings per participant.
    data.test.labels = data.test.labels.index_select(0, torch::arange(32).div(2, "floor").mul(2)).contiguous();
    for (int i = 0; i < 32; ++i) {
        data.test.recordings.push_back("r" + std::to_string(i / 2));
        data.test.groups.push_back("p" + std::to_string(i / 2 % 4));
    }
    const TrainResult r = trainModel(toySpec(), data, quickConfig(2));
    EXPECT_EQ(r.test_levels.window.samples, 32u);
    EXPECT_EQ(r.test_levels.recording.samples, 16u);
    EXPECT_EQ(r.test_levels.participant.samples, 4u);
    EXPECT_EQ(r.test.samples, 16u);
    EXPECT_EQ(r.test.confusion, r.test_levels.recording.confusion);
    const nlohmann::json j = r;
    EXPECT_EQ(j.at("headline_level"), "recording");
    EXPECT_DOUBLE_EQ(j.at("test_acc").get<double>(), r.test_levels.recording.accuracy);
}

// Each --select-by picks the epoch with the best validation figure of its kind
// (first of equals), recorded in the history; the result says which figure chose.
TEST(TrainerTest, SelectByPicksTheBestEpochOnItsValidationFigure) {
    const TrainingData data = toyData(3);
    for (const SelectBy by : {SelectBy::Accuracy, SelectBy::Uar, SelectBy::Loss}) {
        TrainConfig config = quickConfig(5);
        config.learning_rate = 2e-2;  // a bumpy run, so the figures disagree on epochs
        config.select_by = by;
        const TrainResult r = trainModel(toySpec(), data, config);
        ASSERT_EQ(r.history.size(), 5u);
        std::size_t best = 0;
        for (std::size_t e = 1; e < r.history.size(); ++e) {
            const EpochRecord &h = r.history[e], &b = r.history[best];
            const bool better = by == SelectBy::Accuracy ? h.val_accuracy > b.val_accuracy
                                : by == SelectBy::Uar    ? h.val_uar > b.val_uar
                                                         : h.val_loss < b.val_loss;
            if (better) best = e;
        }
        EXPECT_EQ(r.best_epoch, static_cast<int>(best) + 1) << toString(by);
        EXPECT_EQ(r.selected_by, by);
        // The final validation figures are the chosen epoch's.
        EXPECT_NEAR(r.val.accuracy, r.history[best].val_accuracy, 1e-12) << toString(by);
        EXPECT_NEAR(r.val.balanced_accuracy, r.history[best].val_uar, 1e-12) << toString(by);
        EXPECT_NEAR(r.val_loss, r.history[best].val_loss, 1e-6) << toString(by);
        const nlohmann::json j = r;
        EXPECT_EQ(j["selected_by"], toString(by));
        EXPECT_TRUE(j["history"][0].contains("val_uar"));
    }
}

TEST(TrainerTest, SelectByIsStoredWithTheConfigAndReadBack) {
    TrainConfig config;
    config.select_by = SelectBy::Uar;
    const nlohmann::json j = config;
    EXPECT_EQ(j["select_by"], "uar");
    TrainConfig back;
    from_json(j, back);
    EXPECT_EQ(back.select_by, SelectBy::Uar);
    EXPECT_THROW(from_json(nlohmann::json{{"select_by", "test_accuracy"}}, back), Error);
    EXPECT_THROW(selectByFromString("f1"), Error);
}

TEST(ComparisonTest, TheBestUnimodalBaselineIsChosenOnValidationNotTest) {
    TrainConfig config = quickConfig(3);
    for (const SelectBy by : {SelectBy::Accuracy, SelectBy::Loss}) {
        config.select_by = by;
        const ComparisonResult r = compareModalities(toySpec(), toyData(3), config);
        for (const auto& [modality, variant] : r.unimodal)
            EXPECT_LE(validationScore(variant, by), validationScore(r.unimodal.at(r.best_unimodal), by)) << modality;
        EXPECT_EQ(r.selected_by, by);
        EXPECT_DOUBLE_EQ(r.fusion_gain, r.multimodal.test.accuracy - r.unimodal.at(r.best_unimodal).test.accuracy);
    }
}

TEST(ComparisonTest, TrainsMultimodalAndEachUnimodalVariantUnderOneBudget) {
    TrainConfig config = quickConfig(3);
    config.modality_dropout = 0.3;
    config.aux_loss_weight = 0.3;
    const ComparisonResult r = compareModalities(toySpec(), toyData(3), config);
    EXPECT_EQ(r.multimodal.history.size(), 3u);
    ASSERT_EQ(r.unimodal.size(), 2u);
    EXPECT_EQ(r.unimodal.at("image").history.size(), 3u);
    EXPECT_EQ(r.unimodal.at("audio").spec.branches.size(), 1u);
    EXPECT_FALSE(r.best_unimodal.empty());
    EXPECT_DOUBLE_EQ(r.fusion_gain, r.multimodal.test.accuracy - r.unimodal.at(r.best_unimodal).test.accuracy);
}

}  // namespace
}  // namespace tm2::train
