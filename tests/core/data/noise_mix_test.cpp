#include "core/data/noise_mix.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "core/base/error.h"
#include "core/data/audio_decoder.h"
#include "tests/support/media_fixtures.h"
#include "tests/support/temp_dir.h"

namespace tm2::data {
namespace {

using tm2::testing::TempDir;

NoiseMixConfig config(std::uint64_t seed = 7) {
    NoiseMixConfig c;
    c.copies = 1;
    c.snr_low_db = 5;
    c.snr_high_db = 20;
    c.seed = seed;
    return c;
}

// SNR as the definition reads it: 20·log10(RMS(clean) / RMS(noisy − clean)).
double measuredSnrDb(const std::vector<float>& clean, const std::vector<float>& noisy) {
    std::vector<float> added(clean.size());
    for (std::size_t i = 0; i < clean.size(); ++i) added[i] = noisy[i] - clean[i];
    return 20.0 * std::log10(rms(clean) / rms(added));
}

// Two windows of a 440 Hz sine (amplitude 0.5) at 16 kHz, the second quieter.
std::vector<std::vector<float>> cleanWindows() {
    std::vector<float> loud = tm2::testing::sineWave(440, 1.0, 16000);
    std::vector<float> quiet = loud;
    for (float& s : quiet) s *= 0.1f;
    return {loud, quiet};
}

std::string message(const std::function<void()>& f) {
    try {
        f();
    } catch (const Error& e) {
        return e.what();
    }
    return "no error";
}

TEST(NoiseMixTest, EachMixedWindowMeasuresTheDrawnSnrAgainstItsCleanSignal) {
    for (const auto color : {NoiseColor::White, NoiseColor::Pink, NoiseColor::Brown}) {
        NoiseMixConfig c = config();
        c.color = color;
        const NoiseSource source(c, {16000});
        const auto clean = cleanWindows();
        for (int copy = 1; copy <= 3; ++copy) {
            const NoiseDraw draw = drawNoise(c, "cough-17", copy);
            EXPECT_GE(draw.snr_db, 5.0);
            EXPECT_LT(draw.snr_db, 20.0);
            EXPECT_EQ(draw.color, color);
            const auto noisy = source.mix(clean, 16000, "cough-17", copy, 0);
            ASSERT_EQ(noisy.size(), 2u);
            // Each window against itself: the quiet one gets 20 dB less noise, same SNR.
            for (std::size_t w = 0; w < 2; ++w)
                EXPECT_NEAR(measuredSnrDb(clean[w], noisy[w]), draw.snr_db, 0.01);
        }
    }
}

TEST(NoiseMixTest, NoiseFromAFolderIsResampledAndMixedAtTheDrawnSnr) {
    TempDir dir;
    // 0.3 s of white noise at 8 kHz: shorter than the window (looped) and at another rate (resampled).
    SeededRandom rng(3);
    std::filesystem::create_directories(dir.file("noise"));
    writeWav(dir.file("noise/hum.wav"), makeNoise(NoiseColor::White, 2400, rng), 8000);
    NoiseMixConfig c = config();
    c.dir = dir.file("noise");
    const NoiseSource source(c, {16000});
    const auto clean = cleanWindows();
    const NoiseDraw draw = drawNoise(c, "s1", 1);
    const auto noisy = source.mix(clean, 16000, "s1", 1, 0);
    for (std::size_t w = 0; w < 2; ++w) EXPECT_NEAR(measuredSnrDb(clean[w], noisy[w]), draw.snr_db, 0.01);
}

TEST(NoiseMixTest, DrawsDependOnTheSeedTheSampleAndTheCopyAlone) {
    const NoiseMixConfig c = config();
    EXPECT_EQ(drawNoise(c, "a", 1).snr_db, drawNoise(c, "a", 1).snr_db);
    EXPECT_NE(drawNoise(c, "a", 1).snr_db, drawNoise(c, "a", 2).snr_db);
    EXPECT_NE(drawNoise(c, "a", 1).snr_db, drawNoise(c, "b", 1).snr_db);
    EXPECT_NE(drawNoise(c, "a", 1).snr_db, drawNoise(config(8), "a", 1).snr_db);
    // A fixed range: LO:LO is that SNR exactly.
    NoiseMixConfig fixed = c;
    fixed.snr_low_db = fixed.snr_high_db = 12.5;
    EXPECT_EQ(drawNoise(fixed, "a", 1).snr_db, 12.5);

    const NoiseSource source(c, {16000});
    const auto clean = cleanWindows();
    EXPECT_EQ(source.mix(clean, 16000, "a", 1, 0), source.mix(clean, 16000, "a", 1, 0));
    EXPECT_NE(source.mix(clean, 16000, "a", 1, 0), source.mix(clean, 16000, "a", 1, 1));  // another modality
    EXPECT_NE(source.mix(clean, 16000, "a", 1, 0),
              NoiseSource(config(8), {16000}).mix(clean, 16000, "a", 1, 0));
}

TEST(NoiseMixTest, TheKeyTextChangesWithEverySettingAndTheNoiseFilesContent) {
    TempDir dir;
    std::filesystem::create_directories(dir.file("n"));
    writeWav(dir.file("n/a.wav"), tm2::testing::sineWave(100, 0.1, 16000), 16000);
    NoiseMixConfig c = config();
    const std::string base = NoiseSource(c, {16000}).keyText();
    NoiseMixConfig other = c;
    other.snr_high_db = 21;
    EXPECT_NE(NoiseSource(other, {16000}).keyText(), base);
    other = c;
    other.color = NoiseColor::Pink;
    EXPECT_NE(NoiseSource(other, {16000}).keyText(), base);
    other = c;
    other.seed = 8;
    EXPECT_NE(NoiseSource(other, {16000}).keyText(), base);
    other = c;
    other.copies = 4;  // copy k is the same whatever the count: its cache entry is reused
    EXPECT_EQ(NoiseSource(other, {16000}).keyText(), base);

    c.dir = dir.file("n");
    const std::string files = NoiseSource(c, {16000}).keyText();
    EXPECT_NE(files, base);
    writeWav(dir.file("n/a.wav"), tm2::testing::sineWave(120, 0.1, 16000), 16000);
    EXPECT_NE(NoiseSource(c, {16000}).keyText(), files);
}

TEST(NoiseMixTest, ABadNoiseFolderOrFileIsAnErrorThatNamesIt) {
    TempDir dir;
    NoiseMixConfig c = config();
    c.dir = dir.file("missing");
    EXPECT_NE(message([&] { NoiseSource(c, {16000}); }).find(dir.file("missing") + ": not found"),
              std::string::npos);

    c.dir = dir.file("n");
    tm2::testing::writeTextFile(dir.file("n/readme.txt"), "not audio, and not looked at");
    EXPECT_NE(message([&] { NoiseSource(c, {16000}); }).find("holds no .wav, .flac or .ogg files"),
              std::string::npos);

    writeWav(dir.file("n/good.wav"), tm2::testing::sineWave(100, 0.1, 16000), 16000);
    tm2::testing::writeTextFile(dir.file("n/broken.wav"), "RIFF....WAVE but nothing after");
    const std::string corrupt = message([&] { NoiseSource(c, {16000}); });
    EXPECT_NE(corrupt.find(dir.file("n/broken.wav")), std::string::npos) << corrupt;
    EXPECT_NE(corrupt.find("noise_dir"), std::string::npos) << corrupt;

    std::filesystem::remove(dir.file("n/broken.wav"));
    writeWav(dir.file("n/silent.wav"), std::vector<float>(800, 0.0f), 16000);
    EXPECT_NE(message([&] {
                  NoiseSource(c, {16000});
              }).find(dir.file("n/silent.wav") + ": this noise file is silent"),
              std::string::npos);
}

}  // namespace
}  // namespace tm2::data
