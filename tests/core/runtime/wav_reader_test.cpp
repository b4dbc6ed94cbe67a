#include "core/runtime/frontend/wav_reader.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include "core/base/error.h"
#include "tests/support/temp_dir.h"

namespace tm2::runtime {
namespace {

using ::testing::HasSubstr;

void put16(std::vector<std::uint8_t>& b, std::uint32_t v) {
    b.push_back(static_cast<std::uint8_t>(v));
    b.push_back(static_cast<std::uint8_t>(v >> 8));
}
void put32(std::vector<std::uint8_t>& b, std::uint32_t v) {
    put16(b, v & 0xFFFF);
    put16(b, v >> 16);
}
void tag(std::vector<std::uint8_t>& b, const char* t) {
    for (int i = 0; i < 4; ++i) b.push_back(static_cast<std::uint8_t>(t[i]));
}

// A RIFF/WAVE file: an optional odd-sized chunk first, fmt (plain or extensible), data.
std::vector<std::uint8_t> wav(std::uint16_t format, std::uint16_t channels, std::uint32_t rate,
                              std::uint16_t bits, const std::vector<std::uint8_t>& data,
                              bool extensible = false, bool odd_chunk_first = false) {
    std::vector<std::uint8_t> b;
    tag(b, "RIFF");
    put32(b, 0);  // patched below
    tag(b, "WAVE");
    if (odd_chunk_first) {
        tag(b, "LIST");
        put32(b, 3);
        b.insert(b.end(), {'a', 'b', 'c', 0});  // 3 bytes + the RIFF pad byte
    }
    tag(b, "fmt ");
    put32(b, extensible ? 40 : 16);
    put16(b, extensible ? 0xFFFE : format);
    put16(b, channels);
    put32(b, rate);
    put32(b, rate * channels * bits / 8);
    put16(b, static_cast<std::uint16_t>(channels * bits / 8));
    put16(b, bits);
    if (extensible) {
        put16(b, 22);
        put16(b, bits);
        put32(b, 0);
        put16(b, format);  // sub-format GUID: the tag, then the fixed KSDATAFORMAT tail
        const std::uint8_t tail[14] = {0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80,
                                       0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71};
        b.insert(b.end(), tail, tail + 14);
    }
    tag(b, "data");
    put32(b, static_cast<std::uint32_t>(data.size()));
    b.insert(b.end(), data.begin(), data.end());
    const std::uint32_t riff = static_cast<std::uint32_t>(b.size() - 8);
    for (int i = 0; i < 4; ++i)
        b[4 + static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(riff >> (8 * i));
    return b;
}

std::vector<std::uint8_t> pcm16(const std::vector<std::int16_t>& v) {
    std::vector<std::uint8_t> b;
    for (std::int16_t s : v) put16(b, static_cast<std::uint16_t>(s));
    return b;
}
std::vector<std::uint8_t> float32(const std::vector<float>& v) {
    std::vector<std::uint8_t> b;
    for (float f : v) {
        std::uint32_t bits = 0;
        std::memcpy(&bits, &f, 4);
        put32(b, bits);
    }
    return b;
}

std::string parseError(const std::vector<std::uint8_t>& bytes) {
    try {
        parseWav(bytes.data(), bytes.size(), "x.wav");
    } catch (const Error& e) {
        return e.what();
    }
    return "";
}

TEST(WavReaderTest, Pcm16IsScaledBy32768AsLibsndfileDoes) {
    const auto bytes = wav(1, 1, 16000, 16, pcm16({0, 16384, -32768, 32767, -1}), false, true);
    const WavAudio a = parseWav(bytes.data(), bytes.size(), "x.wav");
    EXPECT_EQ(a.sample_rate, 16000);
    EXPECT_EQ(a.source_channels, 1);
    EXPECT_EQ(a.samples, (std::vector<float>{0.0f, 0.5f, -1.0f, 32767.0f / 32768.0f, -1.0f / 32768.0f}));
}

TEST(WavReaderTest, ChannelsAreAveragedToMono) {
    // Frames (L, R): (16384, 0) → 0.25, (-32768, 32767) → -0.5/32768.
    const auto bytes = wav(1, 2, 8000, 16, pcm16({16384, 0, -32768, 32767}));
    const WavAudio a = parseWav(bytes.data(), bytes.size(), "x.wav");
    EXPECT_EQ(a.source_channels, 2);
    ASSERT_EQ(a.samples.size(), 2u);
    EXPECT_FLOAT_EQ(a.samples[0], 0.25f);
    EXPECT_FLOAT_EQ(a.samples[1], -0.5f / 32768.0f);
}

TEST(WavReaderTest, ExtensibleFloat32IsReadAndClampedToFullScale) {
    const auto bytes = wav(3, 1, 22050, 32, float32({0.25f, -0.75f, 1.5f, -2.0f}), true);
    const WavAudio a = parseWav(bytes.data(), bytes.size(), "x.wav");
    EXPECT_EQ(a.sample_rate, 22050);
    EXPECT_EQ(a.samples, (std::vector<float>{0.25f, -0.75f, 1.0f, -1.0f}));
}

TEST(WavReaderTest, ReadsFromAFile) {
    tm2::testing::TempDir dir;
    const auto bytes = wav(1, 1, 16000, 16, pcm16({8192, -8192}));
    tm2::testing::writeTextFile(dir.file("a.wav"), std::string(bytes.begin(), bytes.end()));
    EXPECT_EQ(readWav(dir.file("a.wav")).samples, (std::vector<float>{0.25f, -0.25f}));
    EXPECT_THROW(readWav(dir.file("missing.wav")), Error);
}

TEST(WavReaderTest, BadFilesAreClearErrorsNeverCrashes) {
    const auto good = wav(1, 1, 16000, 16, pcm16({1, 2, 3, 4}));
    EXPECT_THAT(parseError({'R', 'I', 'F', 'F'}), HasSubstr("x.wav: not a WAV file"));
    auto cut = good;
    cut.resize(cut.size() - 3);
    EXPECT_THAT(parseError(cut), HasSubstr("truncated: the data chunk announces 8 bytes, the file holds 5"));
    EXPECT_THAT(parseError(wav(1, 1, 16000, 24, std::vector<std::uint8_t>(9))),
                HasSubstr("unsupported WAV encoding (format 1, 24 bits)"));
    EXPECT_THAT(parseError(wav(1, 0, 16000, 16, {})), HasSubstr("channel count 0"));
    EXPECT_THAT(parseError(wav(1, 1, 0, 16, {})), HasSubstr("invalid sample rate 0"));
    EXPECT_THAT(parseError(wav(3, 1, 16000, 32, float32({std::numeric_limits<float>::quiet_NaN()}))),
                HasSubstr("sample 0 is not a finite number"));
    // A header with no data chunk at all.
    auto header_only = good;
    header_only.resize(12 + 8 + 16);
    EXPECT_THAT(parseError(header_only), HasSubstr("no data chunk"));
    // Every truncation of a valid file is either read or rejected with tm2::Error.
    for (std::size_t n = 0; n < good.size(); ++n) {
        try {
            parseWav(good.data(), n, "x.wav");
        } catch (const Error&) {
        }
    }
}

}  // namespace
}  // namespace tm2::runtime
