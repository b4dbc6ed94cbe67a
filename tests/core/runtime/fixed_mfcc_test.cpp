// The fixed-point MFCC (core/runtime/mcu_frontend) against the float front-end
// it replaces on a microcontroller: same settings, int16 samples in.

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "core/base/error.h"
#include "core/runtime/frontend/mel_filterbank.h"
#include "core/runtime/frontend/mfcc.h"
#include "core/runtime/mcu_frontend/fixed_mfcc_tables.h"

namespace tm2::runtime {
namespace {

constexpr double kPi = 3.14159265358979323846;

AudioFrontendConfig speechConfig(double window_s = 1.0) {
    AudioFrontendConfig c;
    c.window_s = window_s;  // 16 kHz, n_fft 512, hop 160, 40 mels, 13 coefficients (the defaults)
    return c;
}

std::vector<std::int16_t> tone(double hz, double amplitude, int samples, int rate = 16000) {
    std::vector<std::int16_t> pcm(static_cast<std::size_t>(samples));
    for (int i = 0; i < samples; ++i)
        pcm[i] =
            static_cast<std::int16_t>(std::lround(amplitude * 32767.0 * std::sin(2.0 * kPi * hz * i / rate)));
    return pcm;
}

// A chirp from 100 Hz to 6 kHz under a slow amplitude swing of 40 dB.
std::vector<std::int16_t> chirp(int samples, int rate = 16000) {
    std::vector<std::int16_t> pcm(static_cast<std::size_t>(samples));
    for (int i = 0; i < samples; ++i) {
        const double t = static_cast<double>(i) / rate, duration = static_cast<double>(samples) / rate;
        const double phase = 2.0 * kPi * (100.0 * t + (6000.0 - 100.0) * t * t / (2.0 * duration));
        const double level = std::pow(10.0, -2.0 * (0.5 + 0.5 * std::sin(2.0 * kPi * 1.5 * t)));
        pcm[i] = static_cast<std::int16_t>(std::lround(0.9 * 32767.0 * level * std::sin(phase)));
    }
    return pcm;
}

// The float front-end's coefficients of the same samples (PCM16 / 32768, as the
// WAV reader gives them), n_mfcc × frames like the fixed path.
std::vector<double> floatCoefficients(const AudioFrontendConfig& c, const std::vector<std::int16_t>& pcm) {
    std::vector<float> x(static_cast<std::size_t>(c.windowSamples()), 0.0f);
    for (std::size_t i = 0; i < std::min(x.size(), pcm.size()); ++i) x[i] = pcm[i] / 32768.0f;
    const std::vector<float> rows = MfccExtractor(c.mfcc).compute(x.data(), x.size());  // frames × n_mfcc
    const std::size_t coeffs = static_cast<std::size_t>(c.mfcc.n_mfcc), frames = rows.size() / coeffs;
    std::vector<double> out(rows.size());
    for (std::size_t t = 0; t < frames; ++t)
        for (std::size_t k = 0; k < coeffs; ++k) out[k * frames + t] = rows[t * coeffs + k];
    return out;
}

double maxAbsDifference(const std::vector<double>& a, const std::vector<double>& b) {
    EXPECT_EQ(a.size(), b.size());
    double worst = 0.0;
    for (std::size_t i = 0; i < std::min(a.size(), b.size()); ++i)
        worst = std::max(worst, std::fabs(a[i] - b[i]));
    return worst;
}

TEST(FixedMfccTest, ToneEnergyLandsInTheMelBandAroundItsFrequency) {
    const AudioFrontendConfig c = speechConfig();
    const FixedMfccTables tables(c, {});
    // Band m's triangle peaks at corner m + 1 of n_mels + 2 corners evenly spaced in
    // Slaney mel from 0 to 8 kHz: the band whose peak is nearest the tone must win.
    const double mel_top = hzToMel(8000.0, MelScale::Slaney);
    for (double hz : {250.0, 1000.0, 3000.0, 6500.0}) {
        int expected = 0;
        double best = 1e9;
        for (int m = 0; m < c.mfcc.n_mels; ++m) {
            const double centre = melToHz(mel_top * (m + 1) / (c.mfcc.n_mels + 1), MelScale::Slaney);
            if (std::fabs(centre - hz) < best) best = std::fabs(centre - hz), expected = m;
        }
        const std::vector<std::int16_t> pcm = tone(hz, 0.5, c.windowSamples());
        const std::vector<double> logmel = tables.logMel(pcm.data(), pcm.size());
        const std::size_t middle = static_cast<std::size_t>(tables.plan().frames / 2) * c.mfcc.n_mels;
        const auto loudest =
            std::max_element(logmel.begin() + middle, logmel.begin() + middle + c.mfcc.n_mels);
        EXPECT_EQ(loudest - (logmel.begin() + middle), expected) << hz << " Hz";
    }
}

// The error bound: the fixed path's own rounding (Q16 log-mel values, 24-bit DCT
// coefficients, Q16 output) is < 1e-4 dB; what remains is the float front-end's
// float32 arithmetic, whose FFT rounding (~1e-7 of the frame's loudest bin) is
// ~1e-3 relative in bands 80 dB below it, 0.004 dB: bound 0.005 dB. A
// coefficient's train-split std is several dB, so this is < 0.002 normalised
// units; an input code is ~0.03.
constexpr double kMaxCoefficientErrorDb = 0.005;

TEST(FixedMfccTest, CoefficientsMatchTheFloatFrontEndOnTonesAndAChirp) {
    const AudioFrontendConfig c = speechConfig();
    const FixedMfccTables tables(c, {});
    std::vector<std::vector<std::int16_t>> signals = {
        tone(440.0, 0.9, c.windowSamples()), tone(2500.0, 0.01, c.windowSamples()),
        tone(97.0, 0.001, c.windowSamples()), chirp(c.windowSamples())};
    for (std::size_t i = 0; i < signals.size(); ++i) {
        const double error = maxAbsDifference(tables.coefficients(signals[i].data(), signals[i].size()),
                                              floatCoefficients(c, signals[i]));
        EXPECT_LT(error, kMaxCoefficientErrorDb) << "signal " << i;
    }
}

TEST(FixedMfccTest, SilenceAndAShortRecordingFollowTheFloatFrontEnd) {
    const AudioFrontendConfig c = speechConfig();
    const FixedMfccTables tables(c, {});
    const std::vector<std::int16_t> silence(100, 0);  // also shorter than the window: zero-padded
    EXPECT_LT(
        maxAbsDifference(tables.coefficients(silence.data(), silence.size()), floatCoefficients(c, silence)),
        kMaxCoefficientErrorDb);
    const std::vector<std::int16_t> burst = tone(1200.0, 0.3, 4000);  // a quarter of the window, then zeros
    EXPECT_LT(maxAbsDifference(tables.coefficients(burst.data(), burst.size()), floatCoefficients(c, burst)),
              kMaxCoefficientErrorDb);
}

TEST(FixedMfccTest, CodesEqualTheFloatFrontEndQuantizedToWithinOneCode) {
    AudioFrontendConfig c = speechConfig(0.5);
    const std::vector<std::int16_t> pcm = chirp(c.windowSamples());
    const std::vector<double> reference = floatCoefficients(c, pcm);
    const std::size_t frames = reference.size() / static_cast<std::size_t>(c.mfcc.n_mfcc);
    // Normalisation from the signal itself: each row's mean and std.
    for (int k = 0; k < c.mfcc.n_mfcc; ++k) {
        double sum = 0.0, sq = 0.0;
        for (std::size_t t = 0; t < frames; ++t) sum += reference[k * frames + t];
        const double mean = sum / frames;
        for (std::size_t t = 0; t < frames; ++t) sq += std::pow(reference[k * frames + t] - mean, 2);
        c.mean.push_back(static_cast<float>(mean));
        c.std.push_back(static_cast<float>(std::max(1e-3, std::sqrt(sq / frames))));
    }
    const InputQuantization input{8.0f / 255.0f, 128, 8};  // [-4, 4) normalised units
    const std::vector<std::uint8_t> codes = FixedMfccTables(c, input).codes(pcm.data(), pcm.size());
    int worst = 0;
    for (int k = 0; k < c.mfcc.n_mfcc; ++k)
        for (std::size_t t = 0; t < frames; ++t) {
            // Interpreter::setInput's quantization of the float front-end's value.
            const float z = (static_cast<float>(reference[k * frames + t]) - c.mean[k]) / c.std[k];
            const float q = std::clamp(std::nearbyint(z / input.scale) + input.zero_point, 0.0f, 255.0f);
            worst = std::max(worst, std::abs(static_cast<int>(q) - codes[k * frames + t]));
        }
    EXPECT_LE(worst, 1);
}

TEST(FixedMfccTest, RejectsSettingsItCannotComputeNamingTheField) {
    const auto rejects = [](AudioFrontendConfig c, const char* field) {
        try {
            FixedMfccTables tables(c, {});
            ADD_FAILURE() << "accepted " << field;
        } catch (const Error& e) {
            EXPECT_NE(std::string(e.what()).find(field), std::string::npos) << e.what();
        }
    };
    AudioFrontendConfig c = speechConfig();
    c.mfcc.power = 1.0;
    rejects(c, "mfcc.power");
    c = speechConfig();
    c.mfcc.deltas = 1;
    rejects(c, "mfcc.deltas");
    c = speechConfig();
    c.mfcc.n_fft = 400;
    rejects(c, "mfcc.n_fft");
    c = speechConfig();
    c.trim_silence = true;
    rejects(c, "audio.trim_silence");
}

}  // namespace
}  // namespace tm2::runtime
