#include "core/runtime/frontend/mfcc_config.h"

#include <cstring>
#include <string>

#include "core/base/error.h"

namespace tm2::runtime {

namespace {

// The highest rate an audio file may have (core/data/audio_decoder.cpp); resampling to
// more would multiply every recording's samples.
constexpr int kMaxSampleRate = 768000;

void require(bool ok, const std::string& field, const std::string& rule) {
    if (!ok) throw Error("mfcc." + field + " " + rule);
}

template <typename E, std::size_t N>
bool parseName(const char* name, const std::pair<E, const char*> (&names)[N], E& out) {
    for (const auto& [value, text] : names)
        if (std::strcmp(name, text) == 0) {
            out = value;
            return true;
        }
    return false;
}

template <typename E, std::size_t N>
const char* nameOf(E value, const std::pair<E, const char*> (&names)[N]) {
    for (const auto& [v, text] : names)
        if (v == value) return text;
    return "?";
}

const std::pair<WindowKind, const char*> kWindowNames[] = {{WindowKind::Hann, "hann"},
                                                           {WindowKind::Hamming, "hamming"}};
const std::pair<MelScale, const char*> kMelScaleNames[] = {{MelScale::Slaney, "slaney"},
                                                           {MelScale::Htk, "htk"}};
const std::pair<LogKind, const char*> kLogNames[] = {{LogKind::Decibel, "db"}, {LogKind::Natural, "ln"}};

}  // namespace

void MfccConfig::checkSignalLength(long long samples) const {
    // 2^27 floats (512 MiB) of output and log-mel scratch: an hour at 48 kHz with a
    // 10 ms hop needs 360000 · 53 ≈ 1.9e7; beyond the budget the hop or the audio is wrong.
    constexpr long long kMaxValues = 1LL << 27;
    const long long per_frame = static_cast<long long>(n_mels) + featureCount();
    const long long frames = samples < 0 ? 0 : 1 + samples / hop_length;  // ≥ frameCount(), either centring
    if (frames > kMaxValues / per_frame)
        throw Error("mfcc.hop_length " + std::to_string(hop_length) + " on " + std::to_string(samples) +
                    " samples gives " + std::to_string(frames) + " frames × " + std::to_string(per_frame) +
                    " values, more than the " + std::to_string(kMaxValues) +
                    " one recording may take: raise hop_length or cut the recording");
}

int MfccConfig::frameCount(long long samples) const {
    if (center) return static_cast<int>(1 + samples / hop_length);
    if (samples < n_fft) return 0;
    return static_cast<int>(1 + (samples - n_fft) / hop_length);
}

void MfccConfig::validate() const {
    require(sample_rate > 0 && sample_rate <= kMaxSampleRate, "sample_rate",
            "must be between 1 and " + std::to_string(kMaxSampleRate) + " Hz");
    require(n_fft >= 16 && n_fft <= (1 << 16), "n_fft", "must be between 16 and 65536");
    require(n_fft % 2 == 0, "n_fft", "must be even");
    require(hop_length > 0, "hop_length", "must be > 0");
    require(win_length >= 0 && win_length <= n_fft, "win_length", "must be between 0 and n_fft");
    // Bands beyond the FFT's bins are empty; the bound also caps the dense filterbank
    // (n_mels × bins floats) at 32769² · 4 B before it is allocated.
    require(n_mels > 0 && n_mels <= n_fft / 2 + 1, "n_mels",
            "must be between 1 and n_fft / 2 + 1 (" + std::to_string(n_fft / 2 + 1) + ")");
    require(fmin >= 0.0, "fmin", "must be >= 0");
    require(effectiveFmax() <= sample_rate / 2.0 + 1e-9, "fmax", "must not exceed sample_rate / 2");
    require(effectiveFmax() > fmin, "fmax", "must be greater than fmin");
    require(power > 0.0, "power", "must be > 0");
    require(n_mfcc > 0 && n_mfcc <= n_mels, "n_mfcc", "must be between 1 and n_mels");
    require(deltas >= 0 && deltas <= 2, "deltas", "must be 0, 1 or 2");
    require(delta_width >= 3 && delta_width % 2 == 1, "delta_width", "must be odd and >= 3");
}

const char* toString(WindowKind kind) { return nameOf(kind, kWindowNames); }
const char* toString(MelScale scale) { return nameOf(scale, kMelScaleNames); }
const char* toString(LogKind kind) { return nameOf(kind, kLogNames); }
bool parseWindowKind(const char* name, WindowKind& out) { return parseName(name, kWindowNames, out); }
bool parseMelScale(const char* name, MelScale& out) { return parseName(name, kMelScaleNames, out); }
bool parseLogKind(const char* name, LogKind& out) { return parseName(name, kLogNames, out); }

}  // namespace tm2::runtime
