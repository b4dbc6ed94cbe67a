// End-to-end: the tinym2net binary on tiny datasets made here.

#include <filesystem>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "core/base/npy.h"
#include "tests/support/media_fixtures.h"
#include "tests/support/run_command.h"
#include "tests/support/temp_dir.h"

namespace {

using tm2::testing::cli;
using tm2::testing::runCommand;
using tm2::testing::TempDir;

// Six image+audio samples in two classes, three speakers; one line is
// malformed and one wav is garbage, so both skip paths show up.
void writeTinyManifestDataset(const TempDir& dir) {
    std::string csv = "id,group,label,split,image,audio\n";
    for (int i = 0; i < 6; ++i) {
        const std::string id = "s" + std::to_string(i);
        const std::string label = i % 2 ? "boot" : "coat";
        tm2::testing::writeGradientPng(dir.file("img/" + id + ".png"), 28, 28, i);
        tm2::testing::writeToneWav(dir.file("wav/" + id + ".wav"), i % 2 ? 1500.0 : 400.0, 1.0, 16000);
        csv += id + ",spk" + std::to_string(i / 2) + "," + label + ",,img/" + id + ".png,wav/" + id + ".wav\n";
    }
    csv += "broken,line\n";
    tm2::testing::writeTextFile(dir.path() / "wav/s5.wav", "RIFF garbage");
    tm2::testing::writeTextFile(dir.path() / "manifest.csv", csv);
}

TEST(DataInspectCli, ReportsSamplesClassesSplitsModalitiesAndSkippedAsJson) {
    TempDir dir;
    writeTinyManifestDataset(dir);
    const auto r = runCommand(cli({"data", "inspect", dir.path().string(), "--json", "--cache-dir", dir.file("cache")}));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto j = nlohmann::json::parse(r.out);
    EXPECT_EQ(j["samples"], 5);
    EXPECT_EQ(j["classes"]["coat"], 3);
    EXPECT_EQ(j["classes"]["boot"], 2);
    std::size_t split_total = 0;
    for (auto& [name, count] : j["splits"].items()) split_total += count.get<std::size_t>();
    EXPECT_EQ(split_total, 5u);
    ASSERT_EQ(j["modalities"].size(), 2u);
    EXPECT_EQ(j["modalities"][0]["name"], "image");
    EXPECT_EQ(j["modalities"][0]["kind"], "image");
    EXPECT_EQ(j["modalities"][1]["kind"], "audio");
    ASSERT_EQ(j["skipped"].size(), 2u);
    bool saw_line = false, saw_wav = false;
    for (const auto& s : j["skipped"]) {
        saw_line = saw_line || s.value("line", 0) == 8;
        saw_wav = saw_wav || s["path"].get<std::string>().find("s5.wav") != std::string::npos;
    }
    EXPECT_TRUE(saw_line) << j["skipped"].dump();
    EXPECT_TRUE(saw_wav) << j["skipped"].dump();
}

TEST(DataInspectCli, MissingDatasetIsAnErrorNamingThePath) {
    TempDir dir;
    const auto r = runCommand(cli({"data", "inspect", dir.file("nowhere"), "--json"}));
    EXPECT_NE(r.exit_code, 0);
    EXPECT_NE(r.err.find("nowhere"), std::string::npos) << r.err;
}

TEST(DataFeaturesCli, WritesNpyStacksPerSplitAndModality) {
    TempDir dir;
    writeTinyManifestDataset(dir);
    const auto r = runCommand(cli({"data", "features", dir.path().string(), "--out", dir.file("features"),
                                   "--no-cache", "--test", "0.3", "--val", "0", "--json"}));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const tm2::Tensor train = tm2::readNpy(dir.file("features/train_audio.npy"));
    ASSERT_EQ(train.rank(), 4u);
    EXPECT_EQ(train.shape[1], 1u);
    EXPECT_EQ(train.shape[2], 13u);
    // No sidecar: default 2 s windows (the paper's), 1 + 32000 / 160 = 201 frames.
    EXPECT_EQ(train.shape[3], 201u);
    const tm2::Tensor labels = tm2::readNpy(dir.file("features/train_labels.npy"));
    EXPECT_EQ(labels.shape[0], train.shape[0]);
    EXPECT_TRUE(std::filesystem::exists(dir.file("features/normalization.json")));
}

TEST(DataFeaturesCli, ShardsFillTheCacheSoTheNextTrainingExtractsNothing) {
    TempDir dir;
    auto r = runCommand(cli({"data", "make-demo", "--kind", "image-audio", "--out", dir.file("demo"),
                             "--samples-per-class", "4", "--speakers", "8", "--quiet"}));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    // 4 samples × 10 classes = 40 recordings × 2 modalities = 80 feature files, over 3 shards.
    std::size_t extracted = 0;
    for (const std::string shard : {"0/3", "1/3", "2/3"}) {
        r = runCommand(cli({"data", "features", dir.file("demo"), "--shard", shard, "--cache-dir", dir.file("cache"),
                            "--threads", "1", "--json"}));
        ASSERT_EQ(r.exit_code, 0) << r.err;
        const auto j = nlohmann::json::parse(r.out);
        EXPECT_EQ(j["shard"], shard);
        EXPECT_EQ(j["cache"]["hits"], 0) << shard << ": shards are disjoint";
        extracted += j["cache"]["misses"].get<std::size_t>();
    }
    EXPECT_EQ(extracted, 80u);
    r = runCommand(cli({"train", "--data", dir.file("demo"), "--out", dir.file("run"), "--workspace", dir.file("ws"),
                        "--cache-dir", dir.file("cache"), "--threads", "1", "--batch-size", "8", "--val", "0",
                        "--epochs", "1", "--json"}));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto j = nlohmann::json::parse(r.out);
    EXPECT_EQ(j["feature_cache"]["hits"], 80);
    EXPECT_EQ(j["feature_cache"]["misses"], 0);
}

TEST(DataFeaturesCli, BadShardsAndMissingOutAreErrorsNamingTheOption) {
    TempDir dir;
    writeTinyManifestDataset(dir);
    const std::string data = dir.path().string();
    auto r = runCommand(cli({"data", "features", data, "--shard", "4/4", "--cache-dir", dir.file("cache")}));
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("--shard '4/4'"), std::string::npos) << r.err;
    r = runCommand(cli({"data", "features", data, "--shard", "0/2", "--out", dir.file("out")}));
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("--shard fills the feature cache only; drop --out"), std::string::npos) << r.err;
    r = runCommand(cli({"data", "features", data, "--shard", "0/2", "--no-cache"}));
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("--no-cache"), std::string::npos) << r.err;
    r = runCommand(cli({"data", "features", data}));
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("--out is required"), std::string::npos) << r.err;
}

TEST(DspMfccCli, WritesFramesByCoefficientsNpyAndCsv) {
    TempDir dir;
    // 0.5 s at 22.05 kHz, resampled to 16 kHz: 8000 samples → 1 + 8000/160 = 51 frames.
    tm2::testing::writeToneWav(dir.file("tone.wav"), 440.0, 0.5, 22050);
    auto r = runCommand(cli({"dsp", "mfcc", dir.file("tone.wav"), "--sample-rate", "16000", "--n-fft", "512", "--hop",
                             "160", "--n-mels", "40", "--n-mfcc", "13", "--out", dir.file("x.npy"), "--json"}));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const tm2::Tensor x = tm2::readNpy(dir.file("x.npy"));
    EXPECT_EQ(x.shape, (std::vector<std::size_t>{51, 13}));
    EXPECT_EQ(nlohmann::json::parse(r.out)["frames"], 51);

    r = runCommand(cli({"dsp", "mfcc", dir.file("tone.wav"), "--out", dir.file("x.csv")}));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_TRUE(std::filesystem::exists(dir.file("x.csv")));
}

TEST(DspMfccCli, BadInputsGiveClearErrors) {
    TempDir dir;
    tm2::testing::writeTextFile(dir.path() / "fake.wav", "hello");
    auto r = runCommand(cli({"dsp", "mfcc", dir.file("fake.wav"), "--out", dir.file("x.npy")}));
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("fake.wav"), std::string::npos) << r.err;
    tm2::testing::writeToneWav(dir.file("tone.wav"), 440.0, 0.2, 16000);
    r = runCommand(cli({"dsp", "mfcc", dir.file("tone.wav"), "--window", "box", "--out", dir.file("x.npy")}));
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("window"), std::string::npos) << r.err;
    r = runCommand(cli({"dsp", "mfcc", dir.file("tone.wav"), "--out", dir.file("x.txt")}));
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_FALSE(std::filesystem::exists(dir.file("x.txt")));
}

TEST(MakeDemoCli, SmallImageAudioDemoIsAUsableManifestDataset) {
    TempDir dir;
    const std::string out = dir.file("demo");
    auto r = runCommand(cli({"data", "make-demo", "--kind", "image-audio", "--out", out, "--samples-per-class", "2",
                             "--speakers", "4", "--seed", "3", "--json"}));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(nlohmann::json::parse(r.out)["samples"], 20);
    r = runCommand(cli({"data", "inspect", out, "--json", "--no-cache"}));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto j = nlohmann::json::parse(r.out);
    EXPECT_EQ(j["samples"], 20);
    EXPECT_EQ(j["classes"].size(), 10u);
    EXPECT_EQ(j["skipped"].size(), 0u);
    EXPECT_EQ(j["modalities"][0]["shape"], nlohmann::json::parse("[1,28,28]"));
    EXPECT_EQ(j["modalities"][1]["shape"], nlohmann::json::parse("[1,13,101]"));
}

TEST(DataInspectCli, KeepsASpeakerDependentSplitColumnAndWarnsUnlessAskedToResplit) {
    // Three speakers, each with two train recordings and one test recording.
    TempDir dir;
    std::string csv = "id,group,label,split,audio\n";
    for (int i = 0; i < 9; ++i) {
        const std::string id = "s" + std::to_string(i);
        tm2::testing::writeToneWav(dir.file("wav/" + id + ".wav"), 300.0 + 50 * i, 0.5, 16000);
        csv += id + ",spk" + std::to_string(i / 3) + "," + (i % 2 ? "a" : "b") + "," + (i % 3 == 2 ? "test" : "train") +
               ",wav/" + id + ".wav\n";
    }
    tm2::testing::writeTextFile(dir.path() / "manifest.csv", csv);
    auto r = runCommand(cli({"data", "inspect", dir.path().string(), "--no-probe", "--json", "--val", "0"}));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto j = nlohmann::json::parse(r.out);
    EXPECT_EQ(j["splits"], nlohmann::json::parse(R"({"train": 6, "test": 3})"));
    ASSERT_EQ(j["warnings"].size(), 1u) << j["warnings"].dump();
    EXPECT_NE(j["warnings"][0].get<std::string>().find("speaker-dependent protocol: 3 groups in train and test"),
              std::string::npos);

    r = runCommand(cli({"data", "inspect", dir.path().string(), "--no-probe", "--json", "--resplit", "group"}));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    j = nlohmann::json::parse(r.out);
    EXPECT_TRUE(j["warnings"].empty()) << j["warnings"].dump();
}

}  // namespace
