#include "core/workflow/dataset_summary.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "core/base/error.h"
#include "tests/support/media_fixtures.h"
#include "tests/support/temp_dir.h"

namespace tm2::workflow {
namespace {

namespace fs = std::filesystem;
using testing::TempDir;

// Folder-per-class: classes a, b; 4 samples each (speakers s0..s3); one audio file of class b is garbage.
void writeFolderDataset(const fs::path& root) {
    for (const std::string c : {"a", "b"})
        for (int i = 0; i < 4; ++i) {
            const std::string id = "s" + std::to_string(i) + "_0";
            fs::create_directories(root / "image" / c);
            fs::create_directories(root / "audio" / c);
            testing::writeGradientPng((root / "image" / c / (id + ".png")).string(), 12, 10, i);
            if (c == "b" && i == 3)
                testing::writeTextFile(root / "audio" / c / (id + ".wav"), "RIFF not really a wav file");
            else
                testing::writeToneWav((root / "audio" / c / (id + ".wav")).string(), 300 + 100 * i, 0.3, 16000);
        }
}

DatasetOptions optionsFor(const fs::path& root) {
    DatasetOptions options;
    options.path = root.string();
    options.split.val_fraction = 0.25;
    options.split.test_fraction = 0.25;
    options.no_cache = true;
    options.threads = 1;
    return options;
}

TEST(DatasetSummary, CountsClassesAndSplitsWithoutProbing) {
    TempDir dir;
    writeFolderDataset(dir.path());
    const DatasetSummary s = summarizeDataset(optionsFor(dir.path()), /*probe=*/false);
    EXPECT_EQ(s.layout, "folder");
    EXPECT_EQ(s.classes, (std::vector<std::string>{"a", "b"}));
    EXPECT_EQ(s.samples.size(), 8u);
    ASSERT_EQ(s.counts.size(), 2u);
    EXPECT_EQ(s.counts[0][0] + s.counts[0][1] + s.counts[0][2], 4u);
    EXPECT_EQ(s.counts[1][0] + s.counts[1][1] + s.counts[1][2], 4u);
    EXPECT_EQ(s.total(0) + s.total(1) + s.total(2), 8u);
    EXPECT_GT(s.total(0), 0u);
    ASSERT_EQ(s.spec.modalities.size(), 2u);
    EXPECT_EQ(s.shapes.size(), 2u);
    EXPECT_FALSE(s.probed);
}

TEST(DatasetSummary, ADatasetWithOneClassWarnsThatNoNetworkCanBeTrainedOnIt) {
    TempDir dir;
    writeFolderDataset(dir.path());
    fs::remove_all(dir.path() / "image" / "b");
    fs::remove_all(dir.path() / "audio" / "b");
    const DatasetSummary s = summarizeDataset(optionsFor(dir.path()), /*probe=*/false);
    ASSERT_EQ(s.classes, (std::vector<std::string>{"a"}));
    ASSERT_EQ(s.warnings.size(), 1u);
    EXPECT_NE(s.warnings[0].find("one class ('a')"), std::string::npos) << s.warnings[0];
    EXPECT_NE(s.warnings[0].find("at least two"), std::string::npos) << s.warnings[0];
}

TEST(DatasetSummary, TwoClassesGiveNoClassWarning) {
    TempDir dir;
    writeFolderDataset(dir.path());
    const DatasetSummary s = summarizeDataset(optionsFor(dir.path()), /*probe=*/false);
    for (const auto& w : s.warnings) EXPECT_EQ(w.find("class"), std::string::npos) << w;
}

TEST(DatasetSummary, ProbingDropsUndecodableSamplesAndListsThem) {
    TempDir dir;
    writeFolderDataset(dir.path());
    const DatasetSummary s = summarizeDataset(optionsFor(dir.path()), /*probe=*/true);
    EXPECT_TRUE(s.probed);
    EXPECT_EQ(s.samples.size(), 7u);
    EXPECT_EQ(s.counts[1][0] + s.counts[1][1] + s.counts[1][2], 3u);
    ASSERT_EQ(s.skipped.size(), 1u);
    EXPECT_NE(s.skipped[0].path.find("s3_0.wav"), std::string::npos) << s.skipped[0].path;
    EXPECT_FALSE(s.skipped[0].reason.empty());

    // JSON round trip (how the summary crosses to the GUI thread).
    const DatasetSummary back = nlohmann::json(s).get<DatasetSummary>();
    EXPECT_EQ(back.samples.size(), 7u);
    EXPECT_EQ(back.samples[0].paths, s.samples[0].paths);
    EXPECT_EQ(back.counts, s.counts);
    EXPECT_EQ(back.skipped[0].reason, s.skipped[0].reason);
    EXPECT_EQ(back.spec.modalities[0].name, s.spec.modalities[0].name);
}

TEST(DatasetSummary, MissingFolderThrowsANamedError) {
    DatasetOptions options;
    options.path = "/nonexistent/tm2-dataset";
    try {
        summarizeDataset(options, false);
        FAIL() << "no error";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("/nonexistent/tm2-dataset"), std::string::npos) << e.what();
    }
}

}  // namespace
}  // namespace tm2::workflow
