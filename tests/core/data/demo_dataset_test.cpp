#include "core/data/demo_dataset.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <opencv2/imgcodecs.hpp>
#include <regex>
#include <sstream>

#include "core/base/error.h"
#include "core/data/audio_decoder.h"
#include "core/data/manifest.h"
#include "tests/support/temp_dir.h"

namespace tm2::data {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

// Small but real: espeak-ng and Fashion-MNIST are installed by setup (a missing
// one fails these tests on purpose rather than skipping them).
DemoConfig smallConfig(DemoKind kind, const fs::path& out, std::uint64_t seed = 1) {
    DemoConfig config;
    config.kind = kind;
    config.out_dir = out.string();
    config.seed = seed;
    config.samples_per_class = 2;
    config.speakers = 3;
    config.threads = 2;
    return config;
}

std::vector<std::string> lines(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) out.push_back(line);
    return out;
}

std::string errorOf(const DemoConfig& config, const ProgressCallback& progress = {}) {
    try {
        makeDemoDataset(config, progress);
    } catch (const Error& e) {
        return e.what();
    }
    return "(no error)";
}

// Every entry of `dir`, recursively, as relative path -> bytes.
std::map<std::string, std::string> folderContents(const fs::path& dir) {
    std::map<std::string, std::string> files;
    for (const auto& entry : fs::recursive_directory_iterator(dir))
        if (entry.is_regular_file())
            files[fs::relative(entry.path(), dir).string()] = testing::readFileBytes(entry.path());
    return files;
}

TEST(DemoDatasetTest, ImageAudioWritesOneRowPerSampleWithDecodableFiles) {
    testing::TempDir dir;
    const fs::path out = dir.path() / "demo";
    const DemoSummary summary = makeDemoDataset(smallConfig(DemoKind::ImageAudio, out));
    EXPECT_EQ(summary.samples, 20);
    EXPECT_EQ(summary.classes, 10);
    EXPECT_EQ(summary.manifest_path, (out / "manifest.csv").string());

    const auto rows = lines(testing::readFileBytes(out / "manifest.csv"));
    ASSERT_EQ(rows.size(), 21u);
    EXPECT_EQ(rows[0], "id,group,label,split,image,audio");
    // id,group,label,(empty split),image path,audio path
    const std::regex row(
        R"(([a-z_]+)_000[01],spk0[0-2],\1,,image/\1/\1_000[01]\.png,audio/\1/\1_000[01]\.wav)");
    for (std::size_t r = 1; r < rows.size(); ++r) EXPECT_TRUE(std::regex_match(rows[r], row)) << rows[r];

    const DatasetIndex index = readManifest(out.string());
    ASSERT_EQ(index.samples.size(), 20u);
    EXPECT_TRUE(index.skipped.empty());
    EXPECT_EQ(index.classCounts().size(), 10u);
    EXPECT_EQ(index.classCounts().at("ankle_boot"), 2u);
    ASSERT_EQ(index.spec.modalities.size(), 2u);
    const ModalitySpec& audio = index.spec.modalities[1];
    EXPECT_EQ(index.spec.modalities[0].kind, ModalityKind::Image);
    EXPECT_EQ(audio.kind, ModalityKind::Audio);
    EXPECT_EQ(audio.audio.sample_rate, 16000);
    EXPECT_DOUBLE_EQ(audio.audio.window_s, 1.0);
    EXPECT_EQ(audio.mfcc.frameCount(16000), 101);  // centred frames: 1 + 16000 / 160

    for (const auto& sample : index.samples) {
        const cv::Mat image = cv::imread(sample.paths[0], cv::IMREAD_UNCHANGED);
        ASSERT_FALSE(image.empty()) << sample.paths[0];
        EXPECT_EQ(image.rows, 28);
        EXPECT_EQ(image.cols, 28);
        EXPECT_EQ(image.type(), CV_8UC1);
        const AudioClip clip = decodeAudio(sample.paths[1]);
        EXPECT_EQ(clip.sample_rate, 16000);
        EXPECT_EQ(clip.source_channels, 1);
        EXPECT_EQ(clip.samples.size(), 16000u);
    }
}

TEST(DemoDatasetTest, AudioAudioWritesTwoDifferentOneSecondVoices) {
    testing::TempDir dir;
    const fs::path out = dir.path() / "demo";
    makeDemoDataset(smallConfig(DemoKind::AudioAudio, out));
    const auto rows = lines(testing::readFileBytes(out / "manifest.csv"));
    ASSERT_EQ(rows.size(), 21u);
    EXPECT_EQ(rows[0], "id,group,label,split,voice_a,voice_b");
    const DatasetIndex index = readManifest(out.string());
    ASSERT_EQ(index.samples.size(), 20u);
    for (const auto& sample : index.samples) {
        const AudioClip a = decodeAudio(sample.paths[0]);
        const AudioClip b = decodeAudio(sample.paths[1]);
        EXPECT_EQ(a.sample_rate, 16000);
        EXPECT_EQ(a.samples.size(), 16000u);
        EXPECT_EQ(b.samples.size(), 16000u);
        EXPECT_NE(a.samples, b.samples);
    }
}

TEST(DemoDatasetTest, SameSeedGivesByteIdenticalDatasets) {
    testing::TempDir first, second;
    auto config = smallConfig(DemoKind::ImageAudio, first.path() / "demo", 7);
    makeDemoDataset(config);
    config.out_dir = (second.path() / "demo").string();
    config.threads = 1;  // thread count must not change the result
    makeDemoDataset(config);
    const auto a = folderContents(first.path() / "demo");
    const auto b = folderContents(second.path() / "demo");
    EXPECT_EQ(a.size(), 43u);  // 20 png + 20 wav + manifest.csv + dataset.json + demo.json
    EXPECT_TRUE(a == b);
}

TEST(DemoDatasetTest, AudioAudioIsDeterministicToo) {
    testing::TempDir first, second;
    makeDemoDataset(smallConfig(DemoKind::AudioAudio, first.path() / "demo", 3));
    makeDemoDataset(smallConfig(DemoKind::AudioAudio, second.path() / "demo", 3));
    EXPECT_TRUE(folderContents(first.path() / "demo") == folderContents(second.path() / "demo"));
}

TEST(DemoDatasetTest, DifferentSeedGivesDifferentData) {
    testing::TempDir first, second;
    makeDemoDataset(smallConfig(DemoKind::ImageAudio, first.path() / "demo", 1));
    makeDemoDataset(smallConfig(DemoKind::ImageAudio, second.path() / "demo", 2));
    const fs::path wav = fs::path("audio") / "coat" / "coat_0000.wav";
    EXPECT_NE(testing::readFileBytes(first.path() / "demo" / wav), testing::readFileBytes(second.path() / "demo" / wav));
    const fs::path png = fs::path("image") / "coat" / "coat_0000.png";
    EXPECT_NE(testing::readFileBytes(first.path() / "demo" / png), testing::readFileBytes(second.path() / "demo" / png));
}

TEST(DemoDatasetTest, ReportsDemoProgressUpToTheSampleCount) {
    testing::TempDir dir;
    std::size_t last_done = 0, total = 0;
    bool stage_ok = true;
    makeDemoDataset(smallConfig(DemoKind::ImageAudio, dir.path() / "demo"), [&](const Progress& p) {
        stage_ok = stage_ok && p.stage == "demo";
        EXPECT_GE(p.done, last_done);
        last_done = p.done;
        total = p.total;
        return true;
    });
    EXPECT_TRUE(stage_ok);
    EXPECT_EQ(total, 20u);
    EXPECT_EQ(last_done, 20u);
}

TEST(DemoDatasetTest, CancellingLeavesNeitherOutputNorTemporaryFolder) {
    testing::TempDir dir;
    const auto config = smallConfig(DemoKind::ImageAudio, dir.path() / "demo");
    EXPECT_THROW(makeDemoDataset(config, [](const Progress& p) { return p.done < 3; }), Cancelled);
    EXPECT_TRUE(fs::is_empty(dir.path()));
}

TEST(DemoDatasetTest, CancellingDuringSpeechSynthesisCleansUpToo) {
    testing::TempDir dir;
    const auto config = smallConfig(DemoKind::AudioAudio, dir.path() / "demo");
    EXPECT_THROW(makeDemoDataset(config, [](const Progress& p) { return p.detail.rfind("speech", 0) != 0; }),
                 Cancelled);
    EXPECT_TRUE(fs::is_empty(dir.path()));
}

TEST(DemoDatasetTest, MissingFashionMnistNamesTheDebianPackage) {
    testing::TempDir dir;
    auto config = smallConfig(DemoKind::ImageAudio, dir.path() / "demo");
    config.fashion_mnist_dir = (dir.path() / "no-such-dir").string();
    EXPECT_THAT(errorOf(config), HasSubstr("install the Debian package dataset-fashion-mnist"));
    EXPECT_TRUE(fs::is_empty(dir.path()));
}

TEST(DemoDatasetTest, MissingEspeakNamesTheCommandAndPackage) {
    testing::TempDir dir;
    auto config = smallConfig(DemoKind::AudioAudio, dir.path() / "demo");
    config.espeak = "tm2-no-such-espeak-ng";
    EXPECT_THAT(errorOf(config),
                HasSubstr("tm2-no-such-espeak-ng not found: install the Debian package espeak-ng"));
    EXPECT_TRUE(fs::is_empty(dir.path()));
}

TEST(DemoDatasetTest, RefusesToOverwriteAFolderThatIsNotADemo) {
    testing::TempDir dir;
    const fs::path out = dir.path() / "mine";
    testing::writeTextFile(out / "notes.txt", "keep me");
    EXPECT_THAT(errorOf(smallConfig(DemoKind::ImageAudio, out)),
                HasSubstr(out.string() + ": folder is not empty"));
    EXPECT_EQ(testing::readFileBytes(out / "notes.txt"), "keep me");
}

TEST(DemoDatasetTest, ReplacesAnEarlierDemoInPlace) {
    testing::TempDir dir;
    const fs::path out = dir.path() / "demo";
    auto config = smallConfig(DemoKind::AudioAudio, out);
    makeDemoDataset(config);
    config.kind = DemoKind::ImageAudio;
    config.samples_per_class = 1;
    makeDemoDataset(config);
    EXPECT_EQ(lines(testing::readFileBytes(out / "manifest.csv")).size(), 11u);
    EXPECT_FALSE(fs::exists(out / "voice_a"));  // nothing of the old dataset survives
    EXPECT_EQ(std::distance(fs::directory_iterator(dir.path()), fs::directory_iterator{}), 1);
}

TEST(DemoKindTest, ParsesBothKindsAndRejectsOthers) {
    EXPECT_EQ(demoKindFromString("image-audio"), DemoKind::ImageAudio);
    EXPECT_EQ(demoKindFromString("audio-audio"), DemoKind::AudioAudio);
    try {
        demoKindFromString("video");
        FAIL() << "no error";
    } catch (const Error& e) {
        EXPECT_THAT(std::string(e.what()), HasSubstr("\"video\""));
    }
}

}  // namespace
}  // namespace tm2::data
