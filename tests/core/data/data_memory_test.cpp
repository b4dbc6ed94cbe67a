// Data readers check what a file claims against what it holds before they allocate
// (tests/support/allocation_meter.h counts the bytes; its limit turns a runaway
// allocation into std::bad_alloc instead of exhausting the machine).

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <zlib.h>

#include <cstdint>
#include <string>
#include <vector>

#include "core/base/error.h"
#include "core/data/audio_windowing.h"
#include "core/data/idx_reader.h"
#include "tests/support/allocation_meter.h"  // this program's operator new
#include "tests/support/temp_dir.h"

namespace tm2::data {
namespace {

using ::testing::AllocationMeter;
using ::testing::HasSubstr;

// Runs `f` under a 64 MiB allocation limit; returns its tm2::Error message (or
// "std::bad_alloc", or "no error") and the peak bytes it allocated in `peak`.
template <typename F>
std::string underLimit(F f, std::size_t& peak) {
    AllocationMeter meter(std::size_t{64} << 20);
    std::string message = "no error";
    try {
        f();
    } catch (const Error& e) {
        message = e.what();
    } catch (const std::bad_alloc&) {
        message = "std::bad_alloc";
    }
    peak = meter.peak();
    return message;
}

void writeGzip(const std::string& path, const std::vector<std::uint8_t>& bytes) {
    gzFile file = gzopen(path.c_str(), "wb");
    ASSERT_NE(file, nullptr);
    ASSERT_EQ(gzwrite(file, bytes.data(), static_cast<unsigned>(bytes.size())),
              static_cast<int>(bytes.size()));
    ASSERT_EQ(gzclose(file), Z_OK);
}

TEST(DataMemoryTest, IdxHeaderClaimingAGigabyteInAFewBytesFailsWithoutAllocatingIt) {
    // 1000 × 1000 × 1000 images (1e9 bytes, under the reader's 2^30 cap) and 100 pixels:
    // the old reader allocated the gigabyte, then found the data truncated.
    std::vector<std::uint8_t> bytes;
    for (std::uint32_t v : {0x00000803u, 1000u, 1000u, 1000u})
        for (int shift = 24; shift >= 0; shift -= 8) bytes.push_back(static_cast<std::uint8_t>(v >> shift));
    bytes.resize(bytes.size() + 100, 7);
    testing::TempDir dir;
    ASSERT_NO_FATAL_FAILURE(writeGzip(dir.file("img.gz"), bytes));
    std::size_t peak = 0;
    EXPECT_THAT(underLimit([&] { readIdxImages(dir.file("img.gz")); }, peak),
                HasSubstr("truncated image data (expected 1000000000 bytes"));
    if (TM2_ALLOCATION_METER) {
        EXPECT_LT(peak, std::size_t{32} << 20);
    }
}

TEST(DataMemoryTest, ATinyHopOnALongRecordingFailsNamingHopSBeforeAllocatingTheWindows) {
    // 60 s at 16 kHz in 2 s windows every 0.1 ms (2 samples): 464001 windows of 32000
    // samples, 59 GB of floats.
    AudioClip clip;
    clip.sample_rate = 16000;
    clip.samples.assign(16000 * 60, 0.1f);
    AudioWindowConfig c;
    c.window_s = 2.0;
    c.hop_s = 0.0001;
    c.max_windows = 0;
    std::size_t peak = 0;
    EXPECT_THAT(underLimit([&] { windowAudio(clip, c); }, peak),
                HasSubstr("audio.hop_s 0.0001 cuts 960000 samples into 464001 windows of 32000"));
    if (TM2_ALLOCATION_METER) {  // the one working copy of the signal, no window
        EXPECT_LT(peak, clip.samples.size() * sizeof(float) + (std::size_t{1} << 20));
    }
    // max_windows caps the count, so the same hop is fine for the first 10 windows.
    c.max_windows = 10;
    EXPECT_EQ(underLimit([&] { EXPECT_EQ(windowAudio(clip, c).size(), 10u); }, peak), "no error");
}

}  // namespace
}  // namespace tm2::data
