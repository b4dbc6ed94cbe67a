#include "core/runtime/frontend/audio_frontend.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "core/base/error.h"

namespace tm2::runtime {
namespace {

using ::testing::HasSubstr;

std::vector<float> tone(std::size_t n, double hz, int rate) {
    std::vector<float> x(n);
    const double pi = std::acos(-1.0);
    for (std::size_t i = 0; i < n; ++i) x[i] = static_cast<float>(0.5 * std::sin(2 * pi * hz * i / rate));
    return x;
}

AudioFrontendConfig smallConfig() {
    AudioFrontendConfig c;
    c.sample_rate = 16000;
    c.mfcc.sample_rate = 16000;
    c.window_s = 0.25;  // 4000 samples, 1 + 4000 / 160 = 26 frames
    return c;
}

// The MFCC rows of one window, as the front-end lays them out (planes × coeffs × frames).
std::vector<float> transposedMfcc(const MfccConfig& config, const std::vector<float>& window) {
    const MfccExtractor mfcc(config);
    const std::vector<float> m = mfcc.compute(window.data(), window.size());
    const std::size_t features = static_cast<std::size_t>(config.featureCount());
    const std::size_t frames = m.size() / features;
    std::vector<float> out(m.size());
    for (std::size_t t = 0; t < frames; ++t)
        for (std::size_t f = 0; f < features; ++f) out[f * frames + t] = m[t * features + f];
    return out;
}

TEST(AudioFrontendTest, SilenceGivesTheHandComputedFloorCoefficient) {
    // All-zero window: every mel energy clamps to amin = 1e-10 → 10·log10 = −100 dB
    // in all 40 bands (top_db cannot raise it: the peak is −100 too). The ortho
    // DCT's row 0 is sqrt(1/40) everywhere: c0 = −100 · 40 / sqrt(40) = −100 sqrt(40)
    // = −632.4555; the other rows sum a cosine over a whole period: 0.
    AudioFrontend fe(smallConfig());
    ASSERT_EQ(fe.outputShape(), (std::array<std::size_t, 3>{1, 13, 26}));
    const std::vector<float> out = fe.process(std::vector<float>(100, 0.0f));
    ASSERT_EQ(out.size(), 13u * 26u);
    for (std::size_t t = 0; t < 26; ++t) {
        EXPECT_NEAR(out[t], -632.4555, 1e-3);
        for (std::size_t k = 1; k < 13; ++k) EXPECT_NEAR(out[k * 26 + t], 0.0, 1e-3);
    }
}

TEST(AudioFrontendTest, NormalisesEachRowWithItsMeanAndStd) {
    AudioFrontendConfig c = smallConfig();
    c.mean.assign(13, 0.0f);
    c.std.assign(13, 1.0f);
    c.mean[0] = -632.4555f;
    c.std[0] = 2.0f;
    c.mean[1] = 3.0f;
    c.std[1] = 0.5f;
    AudioFrontend fe(c);
    const std::vector<float> out = fe.process(std::vector<float>(10, 0.0f));
    EXPECT_NEAR(out[0], 0.0, 1e-3);    // (c0 − mean) / std on the silent floor
    EXPECT_NEAR(out[26], -6.0, 1e-3);  // (0 − 3) / 0.5
    EXPECT_NEAR(out[2 * 26], 0.0, 1e-3);
}

TEST(AudioFrontendTest, ShortSignalsAreZeroPaddedAndLongOnesCutToTheFirstWindow) {
    AudioFrontend fe(smallConfig());
    const std::vector<float> x = tone(5000, 440.0, 16000);
    std::vector<float> first(x.begin(), x.begin() + 4000);
    EXPECT_EQ(fe.process(x), transposedMfcc(fe.config().mfcc, first));

    std::vector<float> shorter(x.begin(), x.begin() + 1234);
    std::vector<float> padded = shorter;
    padded.resize(4000, 0.0f);
    EXPECT_EQ(fe.process(shorter), transposedMfcc(fe.config().mfcc, padded));
    // The buffers are reused: a second call on the same input gives the same bits.
    EXPECT_EQ(fe.process(shorter), transposedMfcc(fe.config().mfcc, padded));
}

TEST(AudioFrontendTest, DeltaPlanesFollowTheCoefficients) {
    AudioFrontendConfig c = smallConfig();
    c.mfcc.deltas = 2;
    AudioFrontend fe(c);
    ASSERT_EQ(fe.outputShape(), (std::array<std::size_t, 3>{3, 13, 26}));
    std::vector<float> x = tone(4000, 1000.0, 16000);
    EXPECT_EQ(fe.process(x), transposedMfcc(c.mfcc, x));
}

TEST(AudioFrontendTest, TrimsSilenceBeforeWindowingWhenAsked) {
    // 0.3 s of zeros, 0.5 s of tone, 0.1 s of zeros: every edge on a 10 ms
    // (160-sample) frame boundary, so the trimmed signal is the tone exactly.
    const std::vector<float> t = tone(8000, 700.0, 16000);
    std::vector<float> x(4800, 0.0f);
    x.insert(x.end(), t.begin(), t.end());
    x.insert(x.end(), 1600, 0.0f);
    AudioFrontendConfig c = smallConfig();
    c.trim_silence = true;
    AudioFrontend trimmed(c);
    AudioFrontend plain(smallConfig());
    EXPECT_EQ(trimmed.process(x), plain.process(t));
    EXPECT_NE(plain.process(x), plain.process(t));
    // Silent throughout: kept whole rather than emptied.
    EXPECT_EQ(trimmed.process(std::vector<float>(500, 0.0f)), plain.process(std::vector<float>(500, 0.0f)));
}

TEST(AudioFrontendTest, RejectsEmptyAndNonFiniteSignalsAndBadConfigs) {
    AudioFrontend fe(smallConfig());
    EXPECT_THROW(fe.process(std::vector<float>{}), Error);
    EXPECT_THROW(fe.process(std::vector<float>{0.1f, std::nanf("")}), Error);
    AudioFrontendConfig c = smallConfig();
    c.mfcc.sample_rate = 8000;
    EXPECT_THROW(AudioFrontend{c}, Error);
    c = smallConfig();
    c.mean.assign(12, 0.0f);
    c.std.assign(12, 1.0f);
    EXPECT_THROW(AudioFrontend{c}, Error);
}

// A model whose front-end section is what `tinym2net export` writes: per input its
// kind, audio window, MFCC settings and the train split's statistics.
Model modelWithSettings(std::uint32_t frames = 51) {
    Model m;
    m.tensors = {{"image", DataType::UInt8, 1, 8, 8, 0.1f, 0, 8},
                 {"cough", DataType::UInt8, 2, 13, frames, 0.1f, 0, 8}};
    m.inputs = {{"image", 0}, {"cough", 1}};
    m.frontend.classes = {"a", "b"};
    InputFrontEnd image;
    image.modality = "image";
    image.mean = {0.5f};
    image.std = {0.25f};
    InputFrontEnd cough;
    cough.modality = "cough";
    cough.kind = InputKind::Audio;
    for (int i = 0; i < 26; ++i) {
        cough.mean.push_back(static_cast<float>(i));
        cough.std.push_back(static_cast<float>(i + 1) + 0.5f);
    }
    cough.sample_rate = 8000;
    cough.window_s = 0.8;
    cough.trim_silence = true;
    cough.trim_db = -30.0;
    cough.mfcc.sample_rate = 8000;
    cough.mfcc.n_fft = 256;
    cough.mfcc.hop_length = 128;
    cough.mfcc.n_mels = 32;
    cough.mfcc.deltas = 1;
    cough.mfcc.window = WindowKind::Hamming;
    cough.mfcc.mel_scale = MelScale::Htk;
    m.frontend.inputs = {image, cough};
    return m;
}

TEST(AudioFrontendTest, ReadsItsSettingsFromTheModel) {
    const Model m = modelWithSettings();
    EXPECT_EQ(audioInputs(m), (std::vector<std::string>{"cough"}));
    const AudioFrontendConfig c = audioFrontendConfig(m, "cough");
    EXPECT_EQ(c.sample_rate, 8000);
    EXPECT_DOUBLE_EQ(c.window_s, 0.8);
    EXPECT_TRUE(c.trim_silence);
    EXPECT_DOUBLE_EQ(c.trim_db, -30.0);
    EXPECT_EQ(c.mfcc.n_fft, 256);
    EXPECT_EQ(c.mfcc.hop_length, 128);
    EXPECT_EQ(c.mfcc.n_mels, 32);
    EXPECT_EQ(c.mfcc.deltas, 1);
    EXPECT_EQ(c.mfcc.window, WindowKind::Hamming);
    EXPECT_EQ(c.mfcc.mel_scale, MelScale::Htk);
    // The cough input's statistics, one per plane × coefficient.
    ASSERT_EQ(c.mean.size(), 26u);
    EXPECT_EQ(c.mean[25], 25.0f);
    EXPECT_EQ(c.std[0], 1.5f);
    // 0.8 s at 8 kHz = 6400 samples, hop 128, centred: 1 + 50 = 51 frames.
    const AudioFrontend fe = AudioFrontend::forModel(m, "cough");
    EXPECT_EQ(fe.outputShape(), (std::array<std::size_t, 3>{2, 13, 51}));
}

TEST(AudioFrontendTest, ModelSettingsErrorsSayWhatIsWrong) {
    auto message = [](const Model& m, const std::string& modality) -> std::string {
        try {
            audioFrontendConfig(m, modality);
        } catch (const Error& e) {
            return e.what();
        }
        return "";
    };
    EXPECT_THAT(message(modelWithSettings(50), "cough"),
                HasSubstr("model input 'cough' is 2x13x50, its front-end settings give 2x13x51"));
    EXPECT_THAT(message(modelWithSettings(), "image"), HasSubstr("modality 'image' is not audio"));
    EXPECT_THAT(message(modelWithSettings(), "speech"), HasSubstr("no modality named 'speech'"));
    Model bare = modelWithSettings();
    bare.frontend = {};
    EXPECT_THAT(message(bare, "cough"), HasSubstr("carries no front-end settings"));
    EXPECT_TRUE(audioInputs(bare).empty());
    Model short_stats = modelWithSettings();
    short_stats.frontend.inputs[1].mean.resize(12);
    EXPECT_THAT(message(short_stats, "cough"), HasSubstr("expected 26 mean and std values"));
    Model bad_rate = modelWithSettings();
    bad_rate.frontend.inputs[1].mfcc.sample_rate = 16000;
    EXPECT_THAT(message(bad_rate, "cough"), HasSubstr("differs from audio.sample_rate 8000"));
}

}  // namespace
}  // namespace tm2::runtime
