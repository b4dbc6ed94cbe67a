#include "core/train/augment_config.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <sstream>

#include "core/base/error.h"
#include "core/base/json_fields.h"

namespace tm2::train {

namespace {

// More copies multiply extraction time and cache size for little gain; a range
// far outside what microphones meet is a typo.
constexpr int kMaxNoiseCopies = 16;
constexpr double kSnrFloorDb = -30, kSnrCeilingDb = 80;

std::string shortest(double x) {
    std::ostringstream s;
    s.precision(12);
    s << x;
    return s.str();
}

// The presets: modest ranges that keep a 2 s cough or a 32×32 photo recognisable
// (SpecAugment's LibriSpeech policy masks ~2 × up to 10-15 % of each axis).
void setAudioPreset(AugmentConfig& c) {
    c.time_masks = 2;
    c.time_mask_fraction = 0.1;
    c.freq_masks = 2;
    c.freq_mask_fraction = 0.15;
    c.time_shift = 0.1;
    c.gain_db = 6;
}

void setImagePreset(AugmentConfig& c) {
    c.image_shift = 0.1;
    c.rotate_deg = 10;
    c.scale = 0.1;
}

void require(bool ok, const std::string& field, const std::string& rule) {
    if (!ok) throw Error("train.augment." + field + " " + rule);
}

std::string where(const std::string& item) { return "--augment item \"" + item + "\""; }

double number(const std::string& text, const std::string& item) {
    char* end = nullptr;
    const double x = std::strtod(text.c_str(), &end);
    if (text.empty() || end != text.c_str() + text.size() || !std::isfinite(x))
        throw Error(where(item) + ": \"" + text + "\" is not a number");
    return x;
}

// "N:F" → N masks, fraction F.
void maskCount(const std::string& value, const std::string& item, int& count, double& fraction) {
    const auto colon = value.find(':');
    if (colon == std::string::npos)
        throw Error(where(item) + ": expected N:F (N masks, each up to fraction F)");
    const double n = number(value.substr(0, colon), item);
    if (n != std::floor(n) || n < 0 || n > 100)
        throw Error(where(item) + ": N must be a whole number 0..100");
    count = static_cast<int>(n);
    fraction = number(value.substr(colon + 1), item);
}

// "LO:HI" → an SNR range in dB.
void snrRange(const std::string& value, const std::string& item, double& low, double& high) {
    const auto colon = value.find(':');
    if (colon == std::string::npos) throw Error(where(item) + ": expected noise=LO:HI (SNR range in dB)");
    low = number(value.substr(0, colon), item);
    high = number(value.substr(colon + 1), item);
}

}  // namespace

bool AugmentConfig::audioEnabled() const {
    return (time_masks > 0 && time_mask_fraction > 0) || (freq_masks > 0 && freq_mask_fraction > 0) ||
           time_shift > 0 || gain_db > 0;
}

bool AugmentConfig::imageEnabled() const {
    return image_shift > 0 || rotate_deg > 0 || scale > 0 || hflip || vflip;
}

void AugmentConfig::validate() const {
    require(time_masks >= 0 && time_masks <= 100, "time_masks", "must be in 0..100");
    require(time_mask_fraction >= 0 && time_mask_fraction <= 1, "time_mask_fraction", "must be in [0, 1]");
    require(freq_masks >= 0 && freq_masks <= 100, "freq_masks", "must be in 0..100");
    require(freq_mask_fraction >= 0 && freq_mask_fraction <= 1, "freq_mask_fraction", "must be in [0, 1]");
    require(time_shift >= 0 && time_shift <= 1, "time_shift", "must be in [0, 1]");
    require(gain_db >= 0 && gain_db <= 60, "gain_db", "must be in [0, 60]");
    require(image_shift >= 0 && image_shift <= 0.5, "image_shift", "must be in [0, 0.5]");
    require(rotate_deg >= 0 && rotate_deg <= 180, "rotate_deg", "must be in [0, 180]");
    require(scale >= 0 && scale < 1, "scale", "must be in [0, 1)");
    require(noise_copies >= 0 && noise_copies <= kMaxNoiseCopies, "noise_copies",
            "must be in 0.." + std::to_string(kMaxNoiseCopies));
    require(noise_snr_low_db >= kSnrFloorDb && noise_snr_low_db <= kSnrCeilingDb, "noise_snr_low_db",
            "must be in [" + shortest(kSnrFloorDb) + ", " + shortest(kSnrCeilingDb) + "] dB");
    require(noise_snr_high_db >= noise_snr_low_db && noise_snr_high_db <= kSnrCeilingDb, "noise_snr_high_db",
            "must be in [noise_snr_low_db, " + shortest(kSnrCeilingDb) + "] dB");
    require(noise_color == "any" || noise_color == "white" || noise_color == "pink" || noise_color == "brown",
            "noise_color", "must be one of any, white, pink, brown (got \"" + noise_color + "\")");
    // Settings that would do nothing are mistakes, not silent no-ops.
    require(noise_dir.empty() || noise_copies > 0, "noise_dir",
            "is set but noise_copies is 0 (add noise=LO:HI)");
    require(noise_color == "any" || noise_copies > 0, "noise_color",
            "is set but noise_copies is 0 (add noise=LO:HI)");
    require(noise_color == "any" || noise_dir.empty(), "noise_color",
            "applies to generated noise only; noise_dir gives the noise");
}

AugmentConfig parseAugment(const std::string& text) {
    AugmentConfig c;
    if (text.empty() || text == "off" || text == "none") return c;
    std::stringstream items(text);
    std::string item;
    while (std::getline(items, item, ',')) {
        const auto eq = item.find('=');
        const std::string key = item.substr(0, eq);
        const std::string value = eq == std::string::npos ? "" : item.substr(eq + 1);
        const bool flag = eq == std::string::npos;
        auto needValue = [&] {
            if (flag) throw Error(where(item) + ": expected " + key + "=VALUE");
        };
        if (flag && (key == "audio" || key == "image" || key == "on")) {
            if (key != "image") setAudioPreset(c);
            if (key != "audio") setImagePreset(c);
        } else if (flag && key == "hflip") {
            c.hflip = true;
        } else if (flag && key == "vflip") {
            c.vflip = true;
        } else if (key == "time-mask") {
            needValue();
            maskCount(value, item, c.time_masks, c.time_mask_fraction);
        } else if (key == "freq-mask") {
            needValue();
            maskCount(value, item, c.freq_masks, c.freq_mask_fraction);
        } else if (key == "shift") {
            needValue();
            c.time_shift = number(value, item);
        } else if (key == "gain") {
            needValue();
            c.gain_db = number(value, item);
        } else if (key == "image-shift") {
            needValue();
            c.image_shift = number(value, item);
        } else if (key == "rotate") {
            needValue();
            c.rotate_deg = number(value, item);
        } else if (key == "scale") {
            needValue();
            c.scale = number(value, item);
        } else if (key == "noise") {
            needValue();
            snrRange(value, item, c.noise_snr_low_db, c.noise_snr_high_db);
            c.noise_copies = std::max(c.noise_copies, 1);
        } else if (key == "noise-copies") {
            needValue();
            const double k = number(value, item);
            if (k != std::floor(k) || k < 0 || k > kMaxNoiseCopies)
                throw Error(where(item) + ": K must be a whole number 0.." + std::to_string(kMaxNoiseCopies));
            c.noise_copies = static_cast<int>(k);
        } else if (key == "noise-color") {
            needValue();
            c.noise_color = value;
        } else if (key == "noise-dir") {
            needValue();
            c.noise_dir = value;
        } else {
            throw Error(
                where(item) +
                ": unknown (known: off, audio, image, on, time-mask=N:F, freq-mask=N:F, shift=F, gain=DB, "
                "image-shift=F, rotate=DEG, scale=F, hflip, vflip, noise=LO:HI, noise-copies=K, "
                "noise-color=C, noise-dir=PATH)");
        }
    }
    try {
        c.validate();
    } catch (const Error& e) {
        throw Error("--augment \"" + text + "\": " + e.what());
    }
    return c;
}

std::string toText(const AugmentConfig& c) {
    std::string out;
    auto add = [&](const std::string& item) { out += (out.empty() ? "" : ",") + item; };
    if (c.time_masks > 0 && c.time_mask_fraction > 0)
        add("time-mask=" + std::to_string(c.time_masks) + ":" + shortest(c.time_mask_fraction));
    if (c.freq_masks > 0 && c.freq_mask_fraction > 0)
        add("freq-mask=" + std::to_string(c.freq_masks) + ":" + shortest(c.freq_mask_fraction));
    if (c.time_shift > 0) add("shift=" + shortest(c.time_shift));
    if (c.gain_db > 0) add("gain=" + shortest(c.gain_db));
    if (c.image_shift > 0) add("image-shift=" + shortest(c.image_shift));
    if (c.rotate_deg > 0) add("rotate=" + shortest(c.rotate_deg));
    if (c.scale > 0) add("scale=" + shortest(c.scale));
    if (c.hflip) add("hflip");
    if (c.vflip) add("vflip");
    if (c.noise_copies > 0) {
        add("noise=" + shortest(c.noise_snr_low_db) + ":" + shortest(c.noise_snr_high_db));
        if (c.noise_copies != 1) add("noise-copies=" + std::to_string(c.noise_copies));
        if (c.noise_color != "any") add("noise-color=" + c.noise_color);
        if (!c.noise_dir.empty()) add("noise-dir=" + c.noise_dir);
    }
    return out.empty() ? "off" : out;
}

void to_json(nlohmann::json& j, const AugmentConfig& c) {
    j = nlohmann::json{{"time_masks", c.time_masks},
                       {"time_mask_fraction", c.time_mask_fraction},
                       {"freq_masks", c.freq_masks},
                       {"freq_mask_fraction", c.freq_mask_fraction},
                       {"time_shift", c.time_shift},
                       {"gain_db", c.gain_db},
                       {"image_shift", c.image_shift},
                       {"rotate_deg", c.rotate_deg},
                       {"scale", c.scale},
                       {"hflip", c.hflip},
                       {"vflip", c.vflip},
                       {"noise_copies", c.noise_copies},
                       {"noise_snr_low_db", c.noise_snr_low_db},
                       {"noise_snr_high_db", c.noise_snr_high_db},
                       {"noise_color", c.noise_color},
                       {"noise_dir", c.noise_dir}};
}

void from_json(const nlohmann::json& j, AugmentConfig& c) {
    if (!j.is_object()) throw Error("train.augment: expected a JSON object");
    const std::string p = "train.augment";
    readField(j, p, "time_masks", c.time_masks);
    readField(j, p, "time_mask_fraction", c.time_mask_fraction);
    readField(j, p, "freq_masks", c.freq_masks);
    readField(j, p, "freq_mask_fraction", c.freq_mask_fraction);
    readField(j, p, "time_shift", c.time_shift);
    readField(j, p, "gain_db", c.gain_db);
    readField(j, p, "image_shift", c.image_shift);
    readField(j, p, "rotate_deg", c.rotate_deg);
    readField(j, p, "scale", c.scale);
    readField(j, p, "hflip", c.hflip);
    readField(j, p, "vflip", c.vflip);
    // Absent in folders written before noise mixing: no copies, as then.
    readField(j, p, "noise_copies", c.noise_copies);
    readField(j, p, "noise_snr_low_db", c.noise_snr_low_db);
    readField(j, p, "noise_snr_high_db", c.noise_snr_high_db);
    readField(j, p, "noise_color", c.noise_color);
    readField(j, p, "noise_dir", c.noise_dir);
}

}  // namespace tm2::train
