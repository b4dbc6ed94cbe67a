// The device's front-end (core/runtime/frontend) against the training data
// pipeline (core/data): for the same wav files and the settings a .tmn model
// carries, the runtime's normalised MFCC input must be the features the
// network was trained and evaluated on. Lives with the data tests because it
// needs both layers (the runtime tests also build alone for aarch64).

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/data/audio_decoder.h"
#include "core/data/feature_set.h"
#include "core/data/model_frontend_settings.h"
#include "core/runtime/byte_io.h"
#include "core/runtime/frontend/audio_frontend.h"
#include "core/runtime/frontend/wav_reader.h"
#include "tests/support/temp_dir.h"

namespace tm2::data {
namespace {

using tm2::testing::TempDir;

// Tone + LCG noise after `silence_s` of zeros: distinct per seed, never constant.
std::vector<float> testSignal(double seconds, double silence_s, double hz, int rate, std::uint32_t seed) {
    const std::size_t n = static_cast<std::size_t>(seconds * rate),
                      lead = static_cast<std::size_t>(silence_s * rate);
    std::vector<float> x(n, 0.0f);
    const double pi = std::acos(-1.0);
    for (std::size_t i = lead; i < n; ++i) {
        seed = seed * 1664525u + 1013904223u;
        const double noise = (static_cast<double>(seed >> 8) / 16777216.0 - 0.5) * 0.05;
        x[i] = static_cast<float>(0.4 * std::sin(2 * pi * hz * static_cast<double>(i) / rate) + noise);
    }
    return x;
}

// A stereo 32-bit float wav (libsndfile and the runtime both average the channels).
void writeStereoFloatWav(const std::string& path, const std::vector<float>& left,
                         const std::vector<float>& right, int rate) {
    std::vector<std::uint8_t> b;
    auto u16 = [&](std::uint32_t v) {
        b.push_back(static_cast<std::uint8_t>(v));
        b.push_back(static_cast<std::uint8_t>(v >> 8));
    };
    auto u32 = [&](std::uint32_t v) {
        u16(v & 0xFFFF);
        u16(v >> 16);
    };
    auto tag = [&](const char* t) {
        for (int i = 0; i < 4; ++i) b.push_back(static_cast<std::uint8_t>(t[i]));
    };
    const std::uint32_t data_bytes = static_cast<std::uint32_t>(left.size() * 8);
    tag("RIFF");
    u32(36 + data_bytes);
    tag("WAVE");
    tag("fmt ");
    u32(16);
    u16(3);  // IEEE float
    u16(2);
    u32(static_cast<std::uint32_t>(rate));
    u32(static_cast<std::uint32_t>(rate) * 8);
    u16(8);
    u16(32);
    tag("data");
    u32(data_bytes);
    for (std::size_t i = 0; i < left.size(); ++i)
        for (float f : {left[i], right[i]}) {
            std::uint32_t bits = 0;
            std::memcpy(&bits, &f, 4);
            u32(bits);
        }
    std::ofstream(path, std::ios::binary)
        .write(reinterpret_cast<const char*>(b.data()), static_cast<std::streamsize>(b.size()));
}

TEST(RuntimeFrontendParityTest, RuntimeInputEqualsTheTrainingFeaturesForTheSameWav) {
    TempDir dir;
    DatasetIndex index;
    index.root = dir.path().string();
    index.layout = "manifest";
    // "cough": 1 s windows, silence trimmed, MFCC + delta + delta-delta (16-bit PCM files).
    ModalitySpec cough;
    cough.name = "cough";
    cough.audio.window_s = 1.0;
    cough.audio.trim_silence = true;
    cough.mfcc.deltas = 2;
    // "speech": 2 s windows, Hamming, HTK mel, 32 bands, 20 coefficients (stereo float files).
    ModalitySpec speech;
    speech.name = "speech";
    speech.audio.window_s = 2.0;
    speech.mfcc.window = dsp::WindowKind::Hamming;
    speech.mfcc.mel_scale = dsp::MelScale::Htk;
    speech.mfcc.n_mels = 32;
    speech.mfcc.n_mfcc = 20;
    index.spec.modalities = {cough, speech};
    // Lengths straddle the windows: shorter (zero-padded) and longer (cut).
    const double cough_s[] = {0.6, 1.7, 2.5, 0.9, 1.2, 3.0};
    const double speech_s[] = {1.3, 3.1, 2.0, 0.7, 2.6, 1.9};
    for (int i = 0; i < 6; ++i) {
        Sample s;
        s.id = "s" + std::to_string(i);
        s.group = s.id;
        s.label = i % 2 ? "b" : "a";
        s.split = i < 4 ? "train" : "test";
        const std::string c = dir.file(s.id + "_cough.wav"), v = dir.file(s.id + "_speech.wav");
        writeWav(c, testSignal(cough_s[i], 0.25, 300.0 + 100 * i, 16000, 7u + i), 16000);
        writeStereoFloatWav(v, testSignal(speech_s[i], 0.0, 500.0 + 70 * i, 16000, 99u + i),
                            testSignal(speech_s[i], 0.1, 900.0 - 50 * i, 16000, 5u + i), 16000);
        s.paths = {c, v};
        index.samples.push_back(s);
    }

    FeatureSet set = buildFeatures(index, {"", 1, {}, true, false, {}});
    ASSERT_EQ(set.items.size(), 6u);
    const NormalizationStats stats = computeNormalization(set);
    applyNormalization(set, stats);

    // The model's front-end as `tinym2net export` writes it (data::modelFrontEnd), through its bytes.
    runtime::Model model;
    model.tensors = {{"cough", runtime::DataType::UInt8, 3, 13, 101, 0.1f, 0, 8},
                     {"speech", runtime::DataType::UInt8, 1, 20, 201, 0.1f, 0, 8}};
    model.inputs = {{"cough", 0}, {"speech", 1}};
    model.frontend = modelFrontEnd(index.spec, stats, set.classes);
    runtime::ByteWriter section;
    runtime::writeFrontEnd(section, model.frontend);
    model.frontend = runtime::readFrontEnd(section.bytes().data(), section.size(), "section");
    ASSERT_EQ(runtime::audioInputs(model), (std::vector<std::string>{"cough", "speech"}));

    runtime::AudioFrontend fronts[] = {runtime::AudioFrontend::forModel(model, "cough"),
                                       runtime::AudioFrontend::forModel(model, "speech")};
    double worst = 0.0;
    for (const FeatureItem& item : set.items) {
        const Sample* sample = nullptr;
        for (const Sample& s : index.samples)
            if (s.id == set.id(item)) sample = &s;
        ASSERT_NE(sample, nullptr);
        for (std::size_t m = 0; m < 2; ++m) {
            const runtime::WavAudio wav = runtime::readWav(sample->paths[m]);
            ASSERT_EQ(wav.sample_rate, 16000);
            const std::vector<float> device = fronts[m].process(wav.samples);
            const std::vector<float>& trained = item.inputs[m].values;
            ASSERT_EQ(device.size(), trained.size()) << set.id(item) << " modality " << m;
            for (std::size_t i = 0; i < device.size(); ++i) {
                worst = std::max(worst, static_cast<double>(std::abs(device[i] - trained[i])));
                ASSERT_NEAR(device[i], trained[i], 1e-4)
                    << set.id(item) << " modality " << m << " element " << i;
            }
        }
    }
    // Same decoder rules, same MFCC code, same float normalisation: bit-identical in practice.
    EXPECT_EQ(worst, 0.0);
}

}  // namespace
}  // namespace tm2::data
