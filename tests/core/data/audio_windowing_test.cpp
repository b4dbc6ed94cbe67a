#include "core/data/audio_windowing.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/base/error.h"

namespace tm2::data {
namespace {

using ::testing::HasSubstr;

constexpr double kPi = 3.14159265358979323846;

// Distinct non-zero values so any misplaced or dropped sample shows.
AudioClip ramp(int n, int rate) {
    AudioClip clip;
    clip.sample_rate = rate;
    clip.source_channels = 1;
    for (int i = 0; i < n; ++i) clip.samples.push_back(static_cast<float>(i + 1) / static_cast<float>(n + 1));
    return clip;
}

std::vector<float> tone(int n, int rate, double hz, double amplitude) {
    std::vector<float> s(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i)
        s[static_cast<std::size_t>(i)] = static_cast<float>(amplitude * std::sin(2 * kPi * hz * i / rate));
    return s;
}

AudioWindowConfig chunking(double window_s, double hop_s) {
    AudioWindowConfig c;
    c.sample_rate = 16000;
    c.window_s = window_s;
    c.hop_s = hop_s;
    c.max_windows = 0;
    return c;
}

std::string validationError(const AudioWindowConfig& c) {
    try {
        c.validate();
    } catch (const Error& e) {
        return e.what();
    }
    return "no error";
}

TEST(AudioWindowingTest, ChunksTwoAndAHalfSecondsIntoThreeWindowsWithZeroPaddedTail) {
    const AudioClip clip = ramp(40000, 16000);  // 2.5 s
    const auto windows = windowAudio(clip, chunking(1.0, 1.0));
    ASSERT_EQ(windows.size(), 3u);
    for (const auto& w : windows) ASSERT_EQ(w.size(), 16000u);
    EXPECT_EQ(windows[1][0], clip.samples[16000]);
    EXPECT_EQ(windows[2][0], clip.samples[32000]);
    EXPECT_EQ(windows[2][7999], clip.samples[39999]);
    for (std::size_t i = 8000; i < 16000; ++i) ASSERT_EQ(windows[2][i], 0.0f) << i;
}

TEST(AudioWindowingTest, OverlappingHopStopsOnceTheTailIsCovered) {
    // 2.5 s, 1 s windows every 0.5 s: starts 0, 0.5, 1.0, 1.5 s; the last ends exactly at 2.5 s.
    const AudioClip clip = ramp(40000, 16000);
    const auto windows = windowAudio(clip, chunking(1.0, 0.5));
    ASSERT_EQ(windows.size(), 4u);
    EXPECT_EQ(windows[1][0], clip.samples[8000]);
    EXPECT_EQ(windows[3].back(), clip.samples[39999]);
}

TEST(AudioWindowingTest, HopZeroMeansHopEqualsWindow) {
    AudioWindowConfig c = chunking(0.025, 0.0);
    EXPECT_EQ(c.windowSamples(), 400);
    EXPECT_EQ(c.hopSamples(), 400);
    c.hop_s = 0.010;
    EXPECT_EQ(c.hopSamples(), 160);
}

TEST(AudioWindowingTest, FirstWindowOnlyPadsAShortClip) {
    AudioWindowConfig c;                       // defaults: 16 kHz, 2 s, max_windows 1
    const AudioClip clip = ramp(4800, 16000);  // 0.3 s
    const auto windows = windowAudio(clip, c);
    ASSERT_EQ(windows.size(), 1u);
    ASSERT_EQ(windows[0].size(), 32000u);
    EXPECT_EQ(windows[0][4799], clip.samples[4799]);
    for (std::size_t i = 4800; i < 32000; ++i) ASSERT_EQ(windows[0][i], 0.0f) << i;
}

TEST(AudioWindowingTest, MaxWindowsCapsALongClip) {
    AudioWindowConfig c;
    const AudioClip clip = ramp(80000, 16000);  // 5 s
    auto windows = windowAudio(clip, c);
    ASSERT_EQ(windows.size(), 1u);
    EXPECT_EQ(windows[0].back(), clip.samples[31999]);
    c.max_windows = 2;
    windows = windowAudio(clip, c);
    ASSERT_EQ(windows.size(), 2u);
    EXPECT_EQ(windows[1][0], clip.samples[32000]);
}

TEST(AudioWindowingTest, TrimSilenceRemovesLeadingAndTrailingSilenceAroundATone) {
    // 0.5 s zeros | 1 s tone | 0.5 s of -60 dBFS hiss (below the -40 dB threshold).
    // 0.5 s = 8000 samples = 50 frames of 10 ms, so the cuts fall on frame edges.
    const std::vector<float> t = tone(16000, 16000, 440.0, 0.5);
    std::vector<float> s(8000, 0.0f);
    s.insert(s.end(), t.begin(), t.end());
    for (int i = 0; i < 8000; ++i) s.push_back(i % 2 ? 1e-3f : -1e-3f);
    const std::vector<float> trimmed = trimSilence(s, 16000, -40.0);
    EXPECT_EQ(trimmed, t);
}

TEST(AudioWindowingTest, TrimSilenceOfPureSilenceIsEmpty) {
    EXPECT_TRUE(trimSilence(std::vector<float>(1000, 0.0f), 16000, -40.0).empty());
    EXPECT_TRUE(trimSilence({}, 16000, -40.0).empty());
}

TEST(AudioWindowingTest, WindowingTrimsBeforeCutting) {
    AudioClip clip;
    clip.sample_rate = 16000;
    clip.samples.assign(16000, 0.0f);  // 1 s of silence before a 1 s tone
    const std::vector<float> t = tone(16000, 16000, 440.0, 0.5);
    clip.samples.insert(clip.samples.end(), t.begin(), t.end());
    AudioWindowConfig c = chunking(1.0, 0.0);
    c.trim_silence = true;
    const auto windows = windowAudio(clip, c);
    ASSERT_EQ(windows.size(), 1u);
    EXPECT_EQ(windows[0], t);
}

TEST(AudioWindowingTest, SilentClipWithTrimmingStillYieldsOneWindow) {
    AudioClip clip;
    clip.sample_rate = 16000;
    clip.samples.assign(3000, 0.0f);
    AudioWindowConfig c = chunking(1.0, 0.0);
    c.trim_silence = true;
    const auto windows = windowAudio(clip, c);
    ASSERT_EQ(windows.size(), 1u);
    EXPECT_EQ(windows[0], std::vector<float>(16000, 0.0f));
}

TEST(AudioWindowingTest, ResamplingFrom8kTo16kDoublesTheLength) {
    // 1.25 s of a constant 0.5 at 8 kHz -> ~20000 samples at 16 kHz inside one 2 s
    // window; the filter's edge ramps may move the count by a few samples.
    AudioClip clip;
    clip.sample_rate = 8000;
    clip.samples.assign(10000, 0.5f);
    AudioWindowConfig c;  // 16 kHz, 2 s window, first window only
    const auto windows = windowAudio(clip, c);
    ASSERT_EQ(windows.size(), 1u);
    int loud = 0;
    for (float v : windows[0]) loud += std::abs(v) > 0.25f;
    EXPECT_NEAR(loud, 20000, 64);
    EXPECT_NEAR(windows[0][10000], 0.5f, 0.01f);
    EXPECT_EQ(windows[0][31000], 0.0f);

    // Chunked: 20000 samples / 8000 per 0.5 s window -> 3 windows (the third padded).
    const auto chunks = windowAudio(clip, chunking(0.5, 0.0));
    EXPECT_EQ(chunks.size(), 3u);
}

TEST(AudioWindowingTest, EmptyClipIsAnError) {
    AudioClip clip;
    clip.sample_rate = 16000;
    EXPECT_THROW(windowAudio(clip, AudioWindowConfig{}), Error);
}

TEST(AudioWindowingTest, JsonRoundTripKeepsEveryField) {
    AudioWindowConfig c;
    c.sample_rate = 22050;
    c.window_s = 1.5;
    c.hop_s = 0.25;
    c.trim_silence = true;
    c.trim_db = -55.0;
    c.max_windows = 0;
    const nlohmann::json j = c;
    const auto back = j.get<AudioWindowConfig>();
    EXPECT_EQ(back.sample_rate, 22050);
    EXPECT_EQ(back.window_s, 1.5);
    EXPECT_EQ(back.hop_s, 0.25);
    EXPECT_TRUE(back.trim_silence);
    EXPECT_EQ(back.trim_db, -55.0);
    EXPECT_EQ(back.max_windows, 0);
}

TEST(AudioWindowingTest, JsonWithMissingFieldsKeepsDefaults) {
    const auto c = nlohmann::json::parse(R"({"window_s": 1.0})").get<AudioWindowConfig>();
    EXPECT_EQ(c.window_s, 1.0);
    EXPECT_EQ(c.sample_rate, 16000);
    EXPECT_EQ(c.max_windows, 1);
}

TEST(AudioWindowingTest, JsonWithWrongTypeNamesTheField) {
    try {
        nlohmann::json::parse(R"({"window_s": "two"})").get<AudioWindowConfig>();
        FAIL() << "expected an error";
    } catch (const Error& e) {
        EXPECT_THAT(e.what(), HasSubstr("audio.window_s"));
    }
    EXPECT_THROW(nlohmann::json::parse("[1]").get<AudioWindowConfig>(), Error);
}

TEST(AudioWindowingTest, ValidationNamesTheOffendingField) {
    AudioWindowConfig c;
    c.window_s = 0.0;
    EXPECT_EQ(validationError(c), "audio.window_s must be > 0");
    c = AudioWindowConfig{};
    c.hop_s = -1.0;
    EXPECT_THAT(validationError(c), HasSubstr("audio.hop_s"));
    c = AudioWindowConfig{};
    c.sample_rate = 0;
    EXPECT_THAT(validationError(c), HasSubstr("audio.sample_rate"));
    c = AudioWindowConfig{};
    c.max_windows = -1;
    EXPECT_THAT(validationError(c), HasSubstr("audio.max_windows"));
    c = AudioWindowConfig{};
    c.trim_db = 6.0;
    EXPECT_THAT(validationError(c), HasSubstr("audio.trim_db"));
    c = AudioWindowConfig{};
    c.window_s = std::nan("");
    EXPECT_THAT(validationError(c), HasSubstr("audio.window_s"));
    EXPECT_EQ(validationError(AudioWindowConfig{}), "no error");
}

}  // namespace
}  // namespace tm2::data
