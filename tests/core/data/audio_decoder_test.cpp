#include "core/data/audio_decoder.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sndfile.h>

#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "core/base/error.h"
#include "tests/support/temp_dir.h"

// libsndfile 1.2.0 leaks libvorbis's info block when it gives up on a cut Ogg
// file (not our allocation); keep LeakSanitizer builds of this suite green.
extern "C" const char* __lsan_default_suppressions() { return "leak:vorbis_info_init\n"; }

namespace tm2::data {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;

constexpr double kPi = 3.14159265358979323846;

// Fixtures are written with libsndfile itself so the test needs no binary files.
void writeSound(const std::string& path, int format, int channels, int rate,
                const std::vector<float>& interleaved) {
    SF_INFO info{};
    info.samplerate = rate;
    info.channels = channels;
    info.format = format;
    SNDFILE* f = sf_open(path.c_str(), SFM_WRITE, &info);
    ASSERT_NE(f, nullptr) << sf_strerror(nullptr);
    const auto frames = static_cast<sf_count_t>(interleaved.size() / static_cast<std::size_t>(channels));
    ASSERT_EQ(sf_writef_float(f, interleaved.data(), frames), frames);
    sf_close(f);
}

std::vector<float> tone(int n, int rate, double hz, double amplitude) {
    std::vector<float> s(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i)
        s[static_cast<std::size_t>(i)] = static_cast<float>(amplitude * std::sin(2 * kPi * hz * i / rate));
    return s;
}

std::string decodeError(const std::string& path) {
    try {
        decodeAudio(path);
    } catch (const Error& e) {
        return e.what();
    }
    return "no error";
}

double rms(const std::vector<float>& s) {
    double sum = 0.0;
    for (float v : s) sum += static_cast<double>(v) * v;
    return std::sqrt(sum / static_cast<double>(s.size()));
}

TEST(AudioDecoderTest, DecodesWavAndFlacLosslessly) {
    testing::TempDir dir;
    const std::vector<float> signal = tone(16000, 16000, 440.0, 0.5);
    for (const auto& [name, format] : {std::pair{"a.wav", SF_FORMAT_WAV | SF_FORMAT_PCM_16},
                                       std::pair{"a.flac", SF_FORMAT_FLAC | SF_FORMAT_PCM_16}}) {
        writeSound(dir.file(name), format, 1, 16000, signal);
        const AudioClip clip = decodeAudio(dir.file(name));
        EXPECT_EQ(clip.sample_rate, 16000) << name;
        EXPECT_EQ(clip.source_channels, 1) << name;
        ASSERT_EQ(clip.samples.size(), signal.size()) << name;
        double worst = 0.0;
        for (std::size_t i = 0; i < signal.size(); ++i)
            worst = std::max(worst, std::abs(static_cast<double>(clip.samples[i]) - signal[i]));
        EXPECT_LE(worst, 1.0 / 32768.0) << name << ": 16-bit quantisation is the only loss";
    }
}

TEST(AudioDecoderTest, DecodesOggVorbisWithinCodecLoss) {
    testing::TempDir dir;
    const std::vector<float> signal = tone(16000, 16000, 440.0, 0.5);
    writeSound(dir.file("a.ogg"), SF_FORMAT_OGG | SF_FORMAT_VORBIS, 1, 16000, signal);
    const AudioClip clip = decodeAudio(dir.file("a.ogg"));
    EXPECT_EQ(clip.sample_rate, 16000);
    ASSERT_EQ(clip.samples.size(), signal.size());
    // A 0.5-amplitude sine has RMS 0.5/sqrt(2) = 0.35355; Vorbis keeps a pure tone's level within a few %.
    EXPECT_NEAR(rms(clip.samples), 0.35355, 0.02);
}

TEST(AudioDecoderTest, AveragesAllChannelsToMono) {
    testing::TempDir dir;
    // Frame 0: (+0.75, +0.25) -> 0.5, neither channel alone nor their sum.
    // Frame 1: (+0.5, -0.5) -> 0 (opposite channels cancel).
    writeSound(dir.file("st.wav"), SF_FORMAT_WAV | SF_FORMAT_FLOAT, 2, 16000, {0.75f, 0.25f, 0.5f, -0.5f});
    AudioClip clip = decodeAudio(dir.file("st.wav"));
    EXPECT_EQ(clip.source_channels, 2);
    ASSERT_EQ(clip.samples.size(), 2u);
    EXPECT_FLOAT_EQ(clip.samples[0], 0.5f);
    EXPECT_FLOAT_EQ(clip.samples[1], 0.0f);

    // Three channels (0.3, 0.6, 0.9) -> 0.6.
    writeSound(dir.file("three.wav"), SF_FORMAT_WAV | SF_FORMAT_FLOAT, 3, 16000, {0.3f, 0.6f, 0.9f});
    clip = decodeAudio(dir.file("three.wav"));
    EXPECT_EQ(clip.source_channels, 3);
    ASSERT_EQ(clip.samples.size(), 1u);
    EXPECT_NEAR(clip.samples[0], 0.6f, 1e-6);
}

TEST(AudioDecoderTest, ClampsFloatSamplesBeyondFullScale) {
    testing::TempDir dir;
    writeSound(dir.file("loud.wav"), SF_FORMAT_WAV | SF_FORMAT_FLOAT, 1, 16000, {2.0f, -3.0f, 0.25f});
    const AudioClip clip = decodeAudio(dir.file("loud.wav"));
    EXPECT_EQ(clip.samples, (std::vector<float>{1.0f, -1.0f, 0.25f}));
}

TEST(AudioDecoderTest, RejectsNonFiniteSamples) {
    testing::TempDir dir;
    writeSound(dir.file("nan.wav"), SF_FORMAT_WAV | SF_FORMAT_FLOAT, 1, 16000, {0.1f, std::nanf(""), 0.2f});
    EXPECT_THAT(decodeError(dir.file("nan.wav")),
                AllOf(HasSubstr("nan.wav"), HasSubstr("sample 1 is not a finite")));
}

TEST(AudioDecoderTest, WriteWavRoundTripsAndClipsInsteadOfWrapping) {
    testing::TempDir dir;
    writeWav(dir.file("w.wav"), {0.0f, 0.5f, -0.5f, 1.5f, -1.5f}, 8000);
    const AudioClip clip = decodeAudio(dir.file("w.wav"));
    EXPECT_EQ(clip.sample_rate, 8000);
    ASSERT_EQ(clip.samples.size(), 5u);
    EXPECT_NEAR(clip.samples[1], 0.5f, 1.0 / 32768);
    EXPECT_NEAR(clip.samples[2], -0.5f, 1.0 / 32768);
    EXPECT_GT(clip.samples[3], 0.99f);  // 32767/32768, not a wrap to -1
    EXPECT_LT(clip.samples[4], -0.99f);
    EXPECT_THROW(writeWav(dir.file("bad.wav"), {0.0f}, 0), Error);
    EXPECT_THROW(writeWav(dir.file("bad.wav"), {std::nanf("")}, 16000), Error);
    EXPECT_THROW(writeWav(dir.file("no/such/dir/x.wav"), {0.0f}, 16000), Error);
}

TEST(AudioDecoderTest, MissingEmptyAndDirectoryPathsAreNamedWithTheirReason) {
    testing::TempDir dir;
    EXPECT_THAT(decodeError(dir.file("absent.wav")),
                AllOf(HasSubstr("absent.wav"), HasSubstr("file not found")));
    testing::writeTextFile(dir.file("empty.wav"), "");
    EXPECT_THAT(decodeError(dir.file("empty.wav")),
                AllOf(HasSubstr("empty.wav"), HasSubstr("file is empty")));
    std::filesystem::create_directory(dir.path() / "folder.wav");
    EXPECT_THAT(decodeError(dir.file("folder.wav")), HasSubstr("not a regular file"));
}

TEST(AudioDecoderTest, TextFileNamedWavIsNotAudio) {
    testing::TempDir dir;
    testing::writeTextFile(dir.file("notes.wav"), "id,label\n1,cough\n");
    EXPECT_THAT(decodeError(dir.file("notes.wav")),
                AllOf(HasSubstr("notes.wav"), HasSubstr("not an audio file")));
}

TEST(AudioDecoderTest, FileWithZeroFramesContainsNoAudio) {
    testing::TempDir dir;
    writeSound(dir.file("silent.wav"), SF_FORMAT_WAV | SF_FORMAT_PCM_16, 1, 16000, {});
    EXPECT_THAT(decodeError(dir.file("silent.wav")),
                AllOf(HasSubstr("silent.wav"), HasSubstr("contains no audio")));
}

TEST(AudioDecoderTest, TruncatedWavReportsFramesReadOfAnnounced) {
    // 16000 frames of PCM-16 = 32000 data bytes after a 44-byte header; keeping
    // 44 + 10000 bytes leaves exactly 5000 frames.
    testing::TempDir dir;
    writeSound(dir.file("full.wav"), SF_FORMAT_WAV | SF_FORMAT_PCM_16, 1, 16000,
               tone(16000, 16000, 440, 0.5));
    const std::string bytes = testing::readFileBytes(dir.file("full.wav"));
    ASSERT_EQ(bytes.size(), 44u + 32000u);
    testing::writeTextFile(dir.file("cut.wav"), bytes.substr(0, 44 + 10000));
    EXPECT_THAT(decodeError(dir.file("cut.wav")),
                AllOf(HasSubstr("cut.wav"), HasSubstr("truncated: read 5000 of 16000 frames")));
}

TEST(AudioDecoderTest, DataChunkClaimingFourGigabytesInATwoKilobyteFileIsRefused) {
    // 1000 PCM-16 frames (2000 data bytes after the 44-byte header) whose data chunk
    // size (bytes 40..43) says 0xFFFFFFFF: 4 GB announced, 2 kB present. The runtime's
    // WAV reader refuses it; so must training.
    testing::TempDir dir;
    writeSound(dir.file("ok.wav"), SF_FORMAT_WAV | SF_FORMAT_PCM_16, 1, 16000, tone(1000, 16000, 440, 0.5));
    std::string bytes = testing::readFileBytes(dir.file("ok.wav"));
    ASSERT_EQ(bytes.size(), 44u + 2000u);
    ASSERT_EQ(bytes.substr(36, 4), "data");
    for (const std::uint32_t claim : {0xFFFFFFFFu, 0x7FFFFFFFu, 0x80000000u}) {
        for (int b = 0; b < 4; ++b)
            bytes[static_cast<std::size_t>(40 + b)] = static_cast<char>((claim >> (8 * b)) & 0xFF);
        testing::writeTextFile(dir.file("lies.wav"), bytes);
        EXPECT_THAT(decodeError(dir.file("lies.wav")),
                    AllOf(HasSubstr("lies.wav"),
                          HasSubstr("truncated: read 1000 of " + std::to_string(claim / 2) + " frames")))
            << claim;
    }
}

TEST(AudioDecoderTest, RecordingsLongerThanAnHourAreRefusedNamingTheFile) {
    // 3601 s at 1000 Hz, 8-bit: a 3.6 MB file just over the limit; 3599 s decodes.
    testing::TempDir dir;
    writeSound(dir.file("long.wav"), SF_FORMAT_WAV | SF_FORMAT_PCM_U8, 1, 1000,
               std::vector<float>(3601000, 0.25f));
    EXPECT_THAT(decodeError(dir.file("long.wav")),
                AllOf(HasSubstr("long.wav"), HasSubstr("3601 s long"), HasSubstr("limit of 3600 s")));
    writeSound(dir.file("hour.wav"), SF_FORMAT_WAV | SF_FORMAT_PCM_U8, 1, 1000,
               std::vector<float>(3599000, 0.25f));
    EXPECT_EQ(decodeAudio(dir.file("hour.wav")).samples.size(), 3599000u);
}

TEST(AudioDecoderTest, TruncatedFlacAndOggAreRejected) {
    testing::TempDir dir;
    const std::vector<float> signal = tone(16000, 16000, 440, 0.5);
    writeSound(dir.file("full.flac"), SF_FORMAT_FLAC | SF_FORMAT_PCM_16, 1, 16000, signal);
    std::string bytes = testing::readFileBytes(dir.file("full.flac"));
    testing::writeTextFile(dir.file("cut.flac"), bytes.substr(0, bytes.size() / 2));
    EXPECT_THAT(decodeError(dir.file("cut.flac")),
                AllOf(HasSubstr("cut.flac"), HasSubstr("truncated: read")));

    writeSound(dir.file("full.ogg"), SF_FORMAT_OGG | SF_FORMAT_VORBIS, 1, 16000, signal);
    bytes = testing::readFileBytes(dir.file("full.ogg"));
    testing::writeTextFile(dir.file("cut.ogg"), bytes.substr(0, bytes.size() / 2));
    EXPECT_THAT(decodeError(dir.file("cut.ogg")), HasSubstr("cut.ogg: "));
}

TEST(AudioDecoderTest, ImplausibleSampleRateInHeaderIsRejected) {
    // libsndfile's PCM wav starts RIFF/size/WAVE/"fmt "/16/format/channels, so
    // the little-endian sample rate sits at byte offset 24.
    testing::TempDir dir;
    writeSound(dir.file("ok.wav"), SF_FORMAT_WAV | SF_FORMAT_PCM_16, 1, 16000, tone(100, 16000, 440, 0.5));
    const std::string bytes = testing::readFileBytes(dir.file("ok.wav"));
    for (std::uint32_t rate : {3u, 50000000u}) {
        std::string patched = bytes;
        for (int b = 0; b < 4; ++b)
            patched[static_cast<std::size_t>(24 + b)] = static_cast<char>((rate >> (8 * b)) & 0xFF);
        testing::writeTextFile(dir.file("rate.wav"), patched);
        EXPECT_THAT(decodeError(dir.file("rate.wav")), AllOf(HasSubstr("rate.wav"), HasSubstr("sample rate")))
            << rate;
    }
}

TEST(AudioDecoderTest, NeverCrashesOnCutOrCorruptedFiles) {
    // Every prefix length at a coarse stride and single-byte corruptions: each
    // attempt either decodes or throws tm2::Error; anything else fails the test.
    testing::TempDir dir;
    const std::vector<float> signal = tone(4000, 16000, 440, 0.5);
    writeSound(dir.file("s.wav"), SF_FORMAT_WAV | SF_FORMAT_PCM_16, 1, 16000, signal);
    writeSound(dir.file("s.flac"), SF_FORMAT_FLAC | SF_FORMAT_PCM_16, 1, 16000, signal);
    writeSound(dir.file("s.ogg"), SF_FORMAT_OGG | SF_FORMAT_VORBIS, 1, 16000, signal);
    int attempts = 0;
    for (const char* name : {"s.wav", "s.flac", "s.ogg"}) {
        const std::string bytes = testing::readFileBytes(dir.file(name));
        const std::size_t stride = std::max<std::size_t>(1, bytes.size() / 40);
        for (std::size_t cut = 1; cut < bytes.size(); cut += stride) {
            testing::writeTextFile(dir.file("x.bin"), bytes.substr(0, cut));
            try {
                decodeAudio(dir.file("x.bin"));
            } catch (const Error&) {
            }
            ++attempts;
        }
        for (std::size_t pos = 0; pos < std::min<std::size_t>(bytes.size(), 200); pos += 3) {
            std::string corrupt = bytes;
            corrupt[pos] = static_cast<char>(corrupt[pos] ^ 0xA5);
            testing::writeTextFile(dir.file("x.bin"), corrupt);
            try {
                decodeAudio(dir.file("x.bin"));
            } catch (const Error&) {
            }
            ++attempts;
        }
    }
    EXPECT_GT(attempts, 100);
}

}  // namespace
}  // namespace tm2::data
