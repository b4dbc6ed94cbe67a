#include "core/runtime/frontend/mfcc_config.h"

#include <cstring>
#include <string>

#include "core/base/error.h"

namespace tm2::runtime {

namespace {

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

int MfccConfig::frameCount(long long samples) const {
    if (center) return static_cast<int>(1 + samples / hop_length);
    if (samples < n_fft) return 0;
    return static_cast<int>(1 + (samples - n_fft) / hop_length);
}

void MfccConfig::validate() const {
    require(sample_rate > 0, "sample_rate", "must be > 0");
    require(n_fft >= 16 && n_fft <= (1 << 16), "n_fft", "must be between 16 and 65536");
    require(n_fft % 2 == 0, "n_fft", "must be even");
    require(hop_length > 0, "hop_length", "must be > 0");
    require(win_length >= 0 && win_length <= n_fft, "win_length", "must be between 0 and n_fft");
    require(n_mels > 0, "n_mels", "must be > 0");
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
