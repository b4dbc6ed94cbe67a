#include "core/dsp/mfcc_config.h"

#include <gtest/gtest.h>

#include <functional>
#include <nlohmann/json.hpp>
#include <string>

#include "core/base/error.h"

namespace tm2::dsp {
namespace {

// validate() must throw a message naming `field`.
void expectInvalid(const std::function<void(MfccConfig&)>& breakIt, const std::string& field) {
    MfccConfig c;
    breakIt(c);
    try {
        c.validate();
        FAIL() << field << ": no throw";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find(field), std::string::npos) << e.what();
    }
}

TEST(MfccConfigTest, DefaultsAreValid) { EXPECT_NO_THROW(MfccConfig{}.validate()); }

TEST(MfccConfigTest, ValidateNamesTheOffendingField) {
    expectInvalid([](MfccConfig& c) { c.sample_rate = 0; }, "mfcc.sample_rate");
    expectInvalid([](MfccConfig& c) { c.n_fft = 511; }, "mfcc.n_fft");
    expectInvalid([](MfccConfig& c) { c.hop_length = 0; }, "mfcc.hop_length");
    expectInvalid([](MfccConfig& c) { c.win_length = 1024; }, "mfcc.win_length");
    expectInvalid([](MfccConfig& c) { c.n_mels = 0; }, "mfcc.n_mels");
    expectInvalid([](MfccConfig& c) { c.fmin = -1.0; }, "mfcc.fmin");
    expectInvalid([](MfccConfig& c) { c.fmax = 9000.0; }, "mfcc.fmax");
    expectInvalid(
        [](MfccConfig& c) {
            c.fmin = 5000.0;
            c.fmax = 4000.0;
        },
        "mfcc.fmax");
    expectInvalid([](MfccConfig& c) { c.power = 0.0; }, "mfcc.power");
    expectInvalid([](MfccConfig& c) { c.n_mfcc = 41; }, "mfcc.n_mfcc");
    expectInvalid([](MfccConfig& c) { c.deltas = 3; }, "mfcc.deltas");
    expectInvalid([](MfccConfig& c) { c.delta_width = 8; }, "mfcc.delta_width");
}

TEST(MfccConfigTest, SizesThatWouldExhaustMemoryAreRefusedNamingTheOption) {
    // --n-mels 50000000: a dense 5e7 × 257 filterbank (51 GB) before a single frame.
    expectInvalid([](MfccConfig& c) { c.n_mels = 50000000; }, "mfcc.n_mels");
    // More bands than the 512-point FFT has bins (257) only adds empty filters.
    expectInvalid([](MfccConfig& c) { c.n_mels = 258; }, "mfcc.n_mels");
    EXPECT_NO_THROW([] {
        MfccConfig c;
        c.n_mels = 257;
        c.validate();
    }());
    // A sample rate no recording has: resampling to it would multiply the samples.
    expectInvalid([](MfccConfig& c) { c.sample_rate = 2000000000; }, "mfcc.sample_rate");
    expectInvalid([](MfccConfig& c) { c.n_fft = 1 << 20; }, "mfcc.n_fft");
}

TEST(MfccConfigTest, FramesTimesValuesAreBoundedBeforeAllocatingNamingHopLength) {
    MfccConfig c;  // 40 mels + 13 coefficients = 53 values a frame
    // One hour at 16 kHz, hop 160: 360001 frames · 53 ≈ 1.9e7 values, well inside.
    EXPECT_NO_THROW(c.checkSignalLength(16000LL * 3600));
    c.hop_length = 1;
    try {
        // --hop 1 on ten minutes: 9600001 frames · 53 ≈ 5.1e8 values (2 GB of floats).
        c.checkSignalLength(16000LL * 600);
        FAIL() << "no throw";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("mfcc.hop_length 1 on 9600000 samples gives 9600001 frames"),
                  std::string::npos)
            << e.what();
    }
    // Past int range too: frameCount must never wrap.
    EXPECT_THROW(c.checkSignalLength(1LL << 40), Error);
}

TEST(MfccConfigTest, FrameCountMatchesLibrosa) {
    MfccConfig c;  // n_fft 512, hop 160
    EXPECT_EQ(c.frameCount(0), 1);
    EXPECT_EQ(c.frameCount(32000), 201);  // 1 + 32000 // 160
    c.center = false;
    EXPECT_EQ(c.frameCount(511), 0);
    EXPECT_EQ(c.frameCount(512), 1);
    EXPECT_EQ(c.frameCount(32000), 197);  // 1 + (32000 - 512) // 160
}

TEST(MfccConfigTest, JsonRoundTripsAndNamesBadFields) {
    MfccConfig c;
    c.window = WindowKind::Hamming;
    c.mel_scale = MelScale::Htk;
    c.log = LogKind::Natural;
    c.deltas = 2;
    c.fmax = 7600.0;
    const nlohmann::json j = c;
    const MfccConfig back = j.get<MfccConfig>();
    EXPECT_EQ(nlohmann::json(back), j);

    try {
        nlohmann::json{{"window", "hamm"}}.get<MfccConfig>();
        FAIL() << "no throw";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("mfcc.window"), std::string::npos) << e.what();
    }
    const nlohmann::json wrong_type = {{"n_mels", "forty"}};
    EXPECT_THROW(wrong_type.get<MfccConfig>(), Error);
}

}  // namespace
}  // namespace tm2::dsp
