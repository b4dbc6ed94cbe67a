#include "core/workflow/dataset_options.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <set>

#include "core/train/training_data.h"
#include "core/workflow/dataset_summary.h"
#include "tests/support/media_fixtures.h"
#include "tests/support/temp_dir.h"

namespace tm2::workflow {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using testing::TempDir;

// An audio-only manifest: `speakers` speakers × 4 recordings of 1 s tones, the
// label alternating by speaker, in 0.25 s windows (4 per recording with chunks).
// `split(speaker, k)` fills the manifest's split column.
template <typename SplitOf>
void writeManifest(const fs::path& root, int speakers, SplitOf split) {
    std::string csv = "id,group,label,split,audio\n";
    for (int g = 0; g < speakers; ++g)
        for (int k = 0; k < 4; ++k) {
            const std::string id = "s" + std::to_string(g) + "_" + std::to_string(k);
            testing::writeToneWav((root / "wav" / (id + ".wav")).string(), 300.0 + 40 * g + 10 * k, 1.0,
                                  16000);
            csv += id + ",spk" + std::to_string(g) + "," + (g % 2 ? "yes" : "no") + "," + split(g, k) +
                   ",wav/" + id + ".wav\n";
        }
    testing::writeTextFile(root / "manifest.csv", csv);
    testing::writeTextFile(root / "dataset.json",
                           R"({"modalities": [{"name": "audio", "kind": "audio",
                               "audio": {"sample_rate": 16000, "window_s": 0.25, "max_windows": 1}}]})");
}

DatasetOptions optionsFor(const fs::path& root) {
    DatasetOptions options;
    options.path = root.string();
    options.no_cache = true;
    options.threads = 1;
    return options;
}

std::map<std::string, std::size_t> splitCounts(const data::DatasetIndex& index) {
    return index.splitCounts();
}

TEST(DatasetOptionsTest, AGivenSpeakerDependentSplitStandsWithAWarningCountingTheGroups) {
    TempDir dir;
    writeManifest(dir.path(), 6, [](int, int k) { return k == 3 ? "test" : "train"; });
    DatasetOptions options = optionsFor(dir.path());
    options.split.val_fraction = 0.0;
    std::vector<std::string> warnings;
    const data::DatasetIndex index = options.open(warnings);
    EXPECT_EQ(splitCounts(index), (std::map<std::string, std::size_t>{{"test", 6}, {"train", 18}}));
    ASSERT_EQ(warnings.size(), 1u);
    EXPECT_THAT(warnings[0], HasSubstr("speaker-dependent protocol: 6 groups in train and test"));

    options.resplit = "group";  // asked for explicitly: whole groups, no warning
    warnings.clear();
    const data::DatasetIndex regrouped = options.open(warnings);
    EXPECT_TRUE(warnings.empty());
    EXPECT_TRUE(data::leakingGroups(regrouped).empty());
}

TEST(DatasetOptionsTest, RandomChunksDrawsEveryWindowAndWarnsWithTheLeakCount) {
    TempDir dir;
    writeManifest(dir.path(), 6, [](int, int) { return ""; });
    DatasetOptions options = optionsFor(dir.path());
    options.chunks = true;
    options.split_mode = "random-chunks";
    options.split.val_fraction = 0.25;
    options.split.test_fraction = 0.25;
    std::vector<std::string> warnings;
    const data::DatasetIndex index = options.open(warnings);
    const data::FeatureSet features = options.features(index, warnings);
    ASSERT_EQ(features.items.size(), 96u);  // 24 recordings × 4 windows
    std::map<std::string, std::set<std::string>> splits_of_recording, splits_of_speaker;
    for (const auto& item : features.items) {
        splits_of_recording[std::string(features.recording(item))].insert(std::string(item.split.str()));
        splits_of_speaker[std::string(features.group(item))].insert(std::string(item.split.str()));
    }
    std::size_t split_recordings = 0, leaking = 0;
    for (const auto& [r, seen] : splits_of_recording) split_recordings += seen.size() > 1;
    for (const auto& [g, seen] : splits_of_speaker) leaking += seen.size() > 1;
    EXPECT_GT(split_recordings, 0u);  // windows of one recording on both sides: chunk-level, as in the paper
    ASSERT_EQ(warnings.size(), 1u);
    EXPECT_THAT(warnings[0], HasSubstr(std::to_string(leaking) +
                                       " of 6 participants have windows in more than one split"));
}

TEST(DatasetOptionsTest, ChunkedTestSamplesCarryTheirRecordingAndParticipant) {
    TempDir dir;
    writeManifest(dir.path(), 4, [](int g, int) { return g < 2 ? "train" : g == 2 ? "val" : "test"; });
    DatasetOptions options = optionsFor(dir.path());
    options.chunks = true;
    std::vector<std::string> warnings;
    const data::DatasetIndex index = options.open(warnings);
    const train::TrainingData data = train::makeTrainingData(options.features(index, warnings));
    ASSERT_EQ(data.test.size(), 16);  // speaker 3: 4 recordings × 4 windows
    EXPECT_EQ(std::set<std::string>(data.test.recordings.begin(), data.test.recordings.end()),
              (std::set<std::string>{"s3_0", "s3_1", "s3_2", "s3_3"}));
    EXPECT_EQ(std::set<std::string>(data.test.groups.begin(), data.test.groups.end()),
              std::set<std::string>{"spk3"});
}

// Chunk mode makes four items per recording (ids "ID#k"); the probed summary still lists
// each usable recording once (it listed none while it matched item ids to recording ids).
TEST(DatasetOptionsTest, AProbedSummaryInChunkModeListsEveryUsableRecordingOnce) {
    TempDir dir;
    writeManifest(dir.path(), 4, [](int, int k) { return k == 3 ? "test" : k == 2 ? "val" : "train"; });
    DatasetOptions options = optionsFor(dir.path());
    options.chunks = true;
    const DatasetSummary s = summarizeDataset(options, /*probe=*/true);
    EXPECT_EQ(s.samples.size(), 16u);
    std::size_t windows = 0;
    for (const auto& per_class : s.counts)
        for (std::size_t n : per_class) windows += n;
    EXPECT_EQ(windows, 64u);
}

}  // namespace
}  // namespace tm2::workflow
