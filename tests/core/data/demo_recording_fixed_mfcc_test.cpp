// The fixed-point MFCC (core/runtime/mcu_frontend) on real demo recordings: the
// audio-audio demo's speech, read as the device reads a WAV, against the float
// front-end with the demo's settings (16 kHz, 1 s window, 512/160/40/13).

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>

#include "core/data/demo_dataset.h"
#include "core/runtime/frontend/mfcc.h"
#include "core/runtime/frontend/wav_reader.h"
#include "core/runtime/mcu_frontend/fixed_mfcc_tables.h"
#include "tests/support/temp_dir.h"

namespace tm2::data {
namespace {

namespace fs = std::filesystem;

// The bound of tests/core/runtime/fixed_mfcc_test.cpp (its derivation there).
constexpr double kMaxCoefficientErrorDb = 0.005;

TEST(DemoRecordingFixedMfccTest, CoefficientsMatchTheFloatFrontEndOnEveryRecording) {
    testing::TempDir dir;
    DemoConfig config;
    config.kind = DemoKind::AudioAudio;
    config.out_dir = dir.file("demo");
    config.samples_per_class = 1;
    config.speakers = 2;
    config.threads = 2;
    makeDemoDataset(config);

    runtime::AudioFrontendConfig c;
    c.window_s = 1.0;
    const runtime::FixedMfccTables fixed(c, {});
    const runtime::MfccExtractor reference(c.mfcc);
    int recordings = 0;
    for (const auto& entry : fs::recursive_directory_iterator(dir.file("demo"))) {
        if (entry.path().extension() != ".wav") continue;
        const runtime::WavAudio wav = runtime::readWav(entry.path().string());
        ASSERT_EQ(wav.sample_rate, c.sample_rate);
        std::vector<std::int16_t> pcm(wav.samples.size());
        for (std::size_t i = 0; i < pcm.size(); ++i)  // PCM16 / 32768 back to its codes
            pcm[i] = static_cast<std::int16_t>(std::lround(wav.samples[i] * 32768.0));
        std::vector<float> window(static_cast<std::size_t>(c.windowSamples()), 0.0f);
        std::copy_n(wav.samples.begin(), std::min(window.size(), wav.samples.size()), window.begin());

        const std::vector<float> rows = reference.compute(window.data(), window.size());  // frames × 13
        const std::vector<double> got = fixed.coefficients(pcm.data(), pcm.size());       // 13 × frames
        const std::size_t frames = rows.size() / 13;
        ASSERT_EQ(got.size(), rows.size());
        double worst = 0.0;
        for (std::size_t t = 0; t < frames; ++t)
            for (std::size_t k = 0; k < 13; ++k)
                worst = std::max(worst, std::fabs(got[k * frames + t] - rows[t * 13 + k]));
        EXPECT_LT(worst, kMaxCoefficientErrorDb) << entry.path();
        ++recordings;
    }
    EXPECT_GE(recordings, 10);  // 10 classes × 2 voices
}

}  // namespace
}  // namespace tm2::data
