#include "core/dsp/mfcc_config.h"

#include <nlohmann/json.hpp>

#include "core/base/error.h"
#include "core/base/json_fields.h"

namespace tm2::runtime {

namespace {
// The names come from the runtime, which parses the same JSON from a .tmn file.
const EnumNames<WindowKind> kWindowNames{{WindowKind::Hann, toString(WindowKind::Hann)},
                                         {WindowKind::Hamming, toString(WindowKind::Hamming)}};
const EnumNames<MelScale> kMelScaleNames{{MelScale::Slaney, toString(MelScale::Slaney)},
                                         {MelScale::Htk, toString(MelScale::Htk)}};
const EnumNames<LogKind> kLogNames{{LogKind::Decibel, toString(LogKind::Decibel)},
                                   {LogKind::Natural, toString(LogKind::Natural)}};
}  // namespace

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

}  // namespace tm2::runtime
