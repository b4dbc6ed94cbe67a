#include "core/workflow/resume_check.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>

#include "core/base/error.h"
#include "core/train/train_config.h"
#include "tests/support/temp_dir.h"

namespace tm2::workflow {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;

const json kRecorded = {
    {"dataset", {{"path", "/data/demo"}, {"val", 0.2}, {"seed", 1}, {"cache_dir", "/c"}}},
    {"only", ""},
    {"train", {{"epochs", 2}, {"learning_rate", 0.001}, {"batch_size", 8}, {"threads", 1}}},
    {"data_fingerprint", "aaaa"}};

std::vector<std::string> fields(const std::vector<SettingDifference>& differences) {
    std::vector<std::string> out;
    for (const auto& d : differences) out.push_back(d.field);
    return out;
}

TEST(ResumeCheck, TheSameSettingsWithMoreEpochsMoreThreadsAndAnotherCacheMatch) {
    json requested = kRecorded;
    requested["train"]["epochs"] = 5;
    requested["train"]["threads"] = 4;
    requested["dataset"]["cache_dir"] = "/elsewhere";
    requested["dataset"]["path"] = "/moved/demo";  // the fingerprint decides whether it is the same data
    EXPECT_TRUE(differingSettings(kRecorded, requested).empty());
}

TEST(ResumeCheck, AnotherAugmentationIsASettingThatMustMatch) {
    // run.json records the whole TrainConfig, augmentation included (off as well as on).
    train::TrainConfig off, on;
    on.augment = train::parseAugment("audio");
    const json recorded{{"train", off}}, requested{{"train", on}};
    EXPECT_THAT(fields(differingSettings(recorded, requested)),
                ::testing::ElementsAre("train.augment.freq_mask_fraction", "train.augment.freq_masks",
                                       "train.augment.gain_db", "train.augment.time_mask_fraction",
                                       "train.augment.time_masks", "train.augment.time_shift"));
    EXPECT_TRUE(differingSettings(requested, requested).empty());
}

TEST(ResumeCheck, OtherNoiseSettingsMustMatchAndFoldersFromBeforeNoiseMixingStillResume) {
    train::TrainConfig recorded_config, requested_config;
    recorded_config.augment = train::parseAugment("noise=5:20");
    requested_config.augment = train::parseAugment("noise=0:20,noise-copies=2");
    const json recorded{{"train", recorded_config}}, requested{{"train", requested_config}};
    EXPECT_THAT(fields(differingSettings(recorded, requested)),
                ::testing::ElementsAre("train.augment.noise_copies", "train.augment.noise_snr_low_db"));

    // A folder written before the noise fields existed: its augmentation had no copies.
    train::TrainConfig off;
    json old{{"train", off}};
    for (const char* key :
         {"noise_copies", "noise_snr_low_db", "noise_snr_high_db", "noise_color", "noise_dir"})
        old["train"]["augment"].erase(key);
    EXPECT_TRUE(differingSettings(old, json{{"train", off}}).empty());
}

TEST(ResumeCheck, EachDifferingSettingIsNamedWithItsPath) {
    json requested = kRecorded;
    requested["train"]["learning_rate"] = 0.01;
    requested["dataset"]["val"] = 0.3;
    requested["data_fingerprint"] = "bbbb";
    const auto differences = differingSettings(kRecorded, requested);
    EXPECT_THAT(fields(differences),
                ::testing::UnorderedElementsAre("train.learning_rate", "dataset.val", "data_fingerprint"));
    for (const auto& d : differences)
        if (d.field == "train.learning_rate") {
            EXPECT_EQ(d.recorded, 0.001);
            EXPECT_EQ(d.requested, 0.01);
        }
}

TEST(ResumeCheck, ArraysAreComparedItemByItemAndALengthChangeIsOneDifference) {
    const json recorded = {{"branches", {{{"filters", 8}}, {{"filters", 16}}}}};
    json requested = recorded;
    requested["branches"][1]["filters"] = 32;
    EXPECT_THAT(fields(differingSettings(recorded, requested, "spec")),
                ::testing::ElementsAre("spec.branches[1].filters"));
    requested["branches"].push_back({{"filters", 4}});
    EXPECT_THAT(fields(differingSettings(recorded, requested, "spec")),
                ::testing::ElementsAre("spec.branches"));
}

TEST(ResumeCheck, AFieldAnOlderFolderDidNotRecordIsNotADifference) {
    json requested = kRecorded;
    requested["dataset"]["resplit"] = "group";
    EXPECT_TRUE(differingSettings(kRecorded, requested).empty());
}

TEST(ResumeCheck, TheRefusalNamesTheFieldsBothValuesAndTheTwoWaysOut) {
    testing::TempDir dir;
    json requested = kRecorded;
    requested["train"]["batch_size"] = 16;
    try {
        requireResumable(dir.path().string(), kRecorded, requested);
        FAIL() << "no error";
    } catch (const Error& e) {
        const std::string message = e.what();
        EXPECT_THAT(message, HasSubstr(dir.path().string()));
        EXPECT_THAT(message, HasSubstr("train.batch_size: 8 in the folder, 16 asked for"));
        EXPECT_THAT(message, HasSubstr("--no-resume"));
        EXPECT_THAT(message, HasSubstr("another --out"));
    }
}

TEST(ResumeCheck, TheSpecIsComparedWithTheFoldersSpecJson) {
    testing::TempDir dir;
    testing::writeTextFile(dir.file("spec.json"), R"({"num_classes": 2, "fusion": "concat"})");
    EXPECT_NO_THROW(requireResumable(dir.path().string(), kRecorded, kRecorded,
                                     json{{"num_classes", 2}, {"fusion", "concat"}}));
    EXPECT_THROW(requireResumable(dir.path().string(), kRecorded, kRecorded,
                                  json{{"num_classes", 3}, {"fusion", "concat"}}),
                 Error);
}

TEST(ResumeCheck, AFolderHoldsARunOnlyWithRunJsonAndACheckpoint) {
    testing::TempDir dir;
    EXPECT_FALSE(holdsRun(dir.path().string()));
    testing::writeTextFile(dir.file("run.json"), "{}");
    EXPECT_FALSE(holdsRun(dir.path().string()));  // killed before the first epoch: nothing to continue
    std::filesystem::create_directories(dir.file("checkpoints"));
    EXPECT_FALSE(holdsRun(dir.path().string()));
    testing::writeTextFile(dir.file("checkpoints/state.json"), "{}");
    EXPECT_TRUE(holdsRun(dir.path().string()));
}

TEST(ResumeCheck, StartingOverRemovesCheckpointsAndResultButNothingElse) {
    testing::TempDir dir;
    testing::writeTextFile(dir.file("checkpoints/state.json"), "{}");
    testing::writeTextFile(dir.file("result.json"), "{}");
    testing::writeTextFile(dir.file("notes.txt"), "mine");
    startOver(dir.path().string());
    EXPECT_FALSE(std::filesystem::exists(dir.file("checkpoints")));
    EXPECT_FALSE(std::filesystem::exists(dir.file("result.json")));
    EXPECT_EQ(testing::readFileBytes(dir.file("notes.txt")), "mine");
}

}  // namespace
}  // namespace tm2::workflow
