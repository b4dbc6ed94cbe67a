#include "core/dsp/mfcc_config.h"

#include <nlohmann/json.hpp>

#include "core/base/error.h"
#include "core/base/json_fields.h"

namespace tm2::dsp {

namespace {
const EnumNames<WindowKind> kWindowNames{{WindowKind::Hann, "hann"}, {WindowKind::Hamming, "hamming"}};
const EnumNames<MelScale> kMelScaleNames{{MelScale::Slaney, "slaney"}, {MelScale::Htk, "htk"}};
const EnumNames<LogKind> kLogNames{{LogKind::Decibel, "db"}, {LogKind::Natural, "ln"}};
}  // namespace

namespace {
void require(bool ok, const std::string& field, const std::string& rule) {
    if (!ok) throw Error("mfcc." + field + " " + rule);
}
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

void to_json(nlohmann::json& j, const MfccConfig& c) {
    j = nlohmann::json{{"sample_rate", c.sample_rate}, {"n_fft", c.n_fft},
                       {"hop_length", c.hop_length}, {"win_length", c.win_length},
                       {"window", enumName(kWindowNames, c.window)},         {"center", c.center},
                       {"n_mels", c.n_mels},         {"fmin", c.fmin},
                       {"fmax", c.fmax},             {"mel_scale", enumName(kMelScaleNames, c.mel_scale)},
                       {"slaney_norm", c.slaney_norm}, {"power", c.power},
                       {"log", enumName(kLogNames, c.log)},               {"top_db", c.top_db},
                       {"n_mfcc", c.n_mfcc},         {"deltas", c.deltas},
                       {"delta_width", c.delta_width}};
}

void from_json(const nlohmann::json& j, MfccConfig& c) {
    if (!j.is_object()) throw Error("mfcc: expected a JSON object");
    const std::string p = "mfcc";
    readField(j, p, "sample_rate", c.sample_rate);
    readField(j, p, "n_fft", c.n_fft);
    readField(j, p, "hop_length", c.hop_length);
    readField(j, p, "win_length", c.win_length);
    readEnumField(j, p, "window", kWindowNames, c.window);
    readField(j, p, "center", c.center);
    readField(j, p, "n_mels", c.n_mels);
    readField(j, p, "fmin", c.fmin);
    readField(j, p, "fmax", c.fmax);
    readEnumField(j, p, "mel_scale", kMelScaleNames, c.mel_scale);
    readField(j, p, "slaney_norm", c.slaney_norm);
    readField(j, p, "power", c.power);
    readEnumField(j, p, "log", kLogNames, c.log);
    readField(j, p, "top_db", c.top_db);
    readField(j, p, "n_mfcc", c.n_mfcc);
    readField(j, p, "deltas", c.deltas);
    readField(j, p, "delta_width", c.delta_width);
}

}  // namespace tm2::dsp
