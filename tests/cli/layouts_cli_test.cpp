// End-to-end: `tinym2net data inspect` on real-media fixtures of each public layout.

#include <filesystem>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/support/media_fixtures.h"
#include "tests/support/run_command.h"
#include "tests/support/temp_dir.h"

namespace {

namespace fs = std::filesystem;
using tm2::testing::runCommand;
using tm2::testing::TempDir;

nlohmann::json inspect(const fs::path& root, std::vector<std::string> extra = {}) {
    std::vector<std::string> args{TM2_CLI_PATH, "data", "inspect", root.string(), "--json", "--no-cache",
                                  "--threads", "1"};
    args.insert(args.end(), extra.begin(), extra.end());
    const auto r = runCommand(args);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r.exit_code == 0 ? nlohmann::json::parse(r.out) : nlohmann::json{};
}

TEST(LayoutsCli, FolderPerClassPairsImageAndAudioByClassAndId) {
    TempDir dir;
    for (const char* cls : {"tank", "truck"})
        for (int i = 0; i < 3; ++i) {
            const std::string id = std::string("spk") + std::to_string(i) + "_" + std::to_string(i);
            tm2::testing::writeGradientPng((dir.path() / "image" / cls / (id + ".png")).string(), 28, 28, i);
            tm2::testing::writeToneWav((dir.path() / "audio" / cls / (id + ".wav")).string(), 300.0 + 100 * i, 0.5, 16000);
        }
    tm2::testing::writeToneWav((dir.path() / "audio/tank/orphan_9.wav").string(), 500.0, 0.5, 16000);
    const auto j = inspect(dir.path());
    EXPECT_EQ(j["layout"], "folder");
    EXPECT_EQ(j["samples"], 6);
    EXPECT_EQ(j["classes"]["tank"], 3);
    EXPECT_EQ(j["skipped"].size(), 1u);  // the audio without an image
}

TEST(LayoutsCli, CoswaraPairsTwoRecordingsPerParticipantWithCovidLabels) {
    TempDir dir;
    std::string meta = "id,covid_status\n";
    for (int p = 0; p < 6; ++p) {
        const std::string id = "P" + std::to_string(p);
        const fs::path folder = dir.path() / "20200413" / id;
        tm2::testing::writeToneWav((folder / "cough-heavy.wav").string(), 200.0 + 50 * p, 1.0, 44100);
        tm2::testing::writeToneWav((folder / "counting-normal.wav").string(), 600.0 + 50 * p, 1.0, 48000);
        meta += id + "," + (p % 2 ? "positive_mild" : "healthy") + "\n";
    }
    meta += "P9,healthy\n";
    tm2::testing::writeTextFile(dir.path() / "combined_data.csv", meta);
    const auto j = inspect(dir.path(), {"--val", "0", "--test", "0.34"});
    EXPECT_EQ(j["layout"], "coswara");
    EXPECT_EQ(j["samples"], 6);
    EXPECT_EQ(j["classes"]["positive"], 3);
    EXPECT_EQ(j["classes"]["negative"], 3);
    ASSERT_EQ(j["modalities"].size(), 2u);
    EXPECT_EQ(j["modalities"][0]["name"], "cough-heavy");
    // 2 s windows at 16 kHz (resampled from 44.1/48 kHz): 1 + 32000 / 160 = 201 frames.
    EXPECT_EQ(j["modalities"][0]["shape"], nlohmann::json::parse("[1,13,201]"));
}

TEST(LayoutsCli, CompareLayoutPairsCoughAndSpeechThroughParticipants) {
    TempDir dir;
    const fs::path ccs = dir.path() / "ComParE2021_CCS", css = dir.path() / "ComParE2021_CSS";
    std::string participants = "filename,participant\n", ccs_lab = "filename,label\n", css_lab = "filename,label\n";
    for (int i = 1; i <= 4; ++i) {
        const std::string f = "train_00" + std::to_string(i) + ".wav";
        tm2::testing::writeToneWav((ccs / "wav" / f).string(), 300.0 + 20 * i, 0.6, 16000);
        tm2::testing::writeToneWav((css / "wav" / f).string(), 900.0 + 20 * i, 0.6, 16000);
        const std::string label = i % 2 ? "P" : "N";
        ccs_lab += f + "," + label + "\n";
        css_lab += f + "," + label + "\n";
        participants += "ComParE2021_CCS/wav/" + f + ",p" + std::to_string(i) + "\n";
        participants += "ComParE2021_CSS/wav/" + f + ",p" + std::to_string(i) + "\n";
    }
    tm2::testing::writeTextFile(ccs / "lab/train.csv", ccs_lab);
    tm2::testing::writeTextFile(css / "lab/train.csv", css_lab);
    tm2::testing::writeTextFile(dir.path() / "participants.csv", participants);
    const auto j = inspect(dir.path());
    EXPECT_EQ(j["layout"], "compare");
    EXPECT_EQ(j["samples"], 4);
    EXPECT_EQ(j["modalities"][1]["name"], "speech");
    EXPECT_EQ(j["skipped"].size(), 0u);
}

}  // namespace
