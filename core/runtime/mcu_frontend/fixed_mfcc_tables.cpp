#include "core/runtime/mcu_frontend/fixed_mfcc_tables.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>

#include "core/base/error.h"
#include "core/runtime/frontend/dct.h"
#include "core/runtime/frontend/mel_filterbank.h"
#include "core/runtime/frontend/window.h"

namespace tm2::runtime {

namespace {

constexpr double kWindowOne = 32767.0;  // Q15 of 1.0 (the mel triangles)
constexpr double kQ31 = 2147483648.0;
constexpr double kAmin = 1e-10;  // power_to_db's amin, as the float front-end

std::int32_t q31(double x) {
    const double v = std::nearbyint(x * kQ31);
    return static_cast<std::int32_t>(std::clamp(v, -kQ31 + 1.0, kQ31 - 1.0));
}

int log2Exact(int n) {
    int b = 0;
    while ((1 << b) < n) ++b;
    return (1 << b) == n ? b : -1;
}

void checkSupported(const AudioFrontendConfig& c) {
    const MfccConfig& m = c.mfcc;
    const std::string what = "fixed-point front-end (audio input '" + c.modality + "'): ";
    if (m.power != 2.0)
        throw Error(what + "mfcc.power " + std::to_string(m.power) +
                    " is not supported (power spectrum, 2, only); use --frontend none and feed features");
    if (m.deltas != 0)
        throw Error(what + "mfcc.deltas " + std::to_string(m.deltas) +
                    " is not supported yet; use --frontend none and feed features");
    if (c.trim_silence)
        throw Error(what + "audio.trim_silence is not supported yet; use --frontend none and feed features");
    const int bits = log2Exact(m.n_fft);
    if (bits < 4 || bits > 12)
        throw Error(what + "mfcc.n_fft " + std::to_string(m.n_fft) + " must be a power of two in 16..4096");
    if (m.n_mels > 1024) throw Error(what + "mfcc.n_mels " + std::to_string(m.n_mels) + " exceeds 1024");
}

template <class T>
void writeArray(std::ostringstream& s, const char* type, const std::string& name, const std::vector<T>& v) {
    s << "static const " << type << " " << name << "[" << std::max<std::size_t>(v.size(), 1) << "] = {";
    for (std::size_t i = 0; i < v.size(); ++i) {
        s << (i % 12 == 0 ? "\n    " : " ");
        if constexpr (std::is_same_v<T, std::int64_t>)
            s << "INT64_C(" << v[i] << "),";
        else if constexpr (std::is_same_v<T, std::int32_t>)
            s << (v[i] == std::numeric_limits<std::int32_t>::min() ? "INT32_MIN" : std::to_string(v[i]))
              << ",";
        else
            s << v[i] << ",";
    }
    if (v.empty()) s << "0";
    s << "\n};\n";
}

}  // namespace

FixedMfccTables::FixedMfccTables(const AudioFrontendConfig& config, const InputQuantization& input)
    : config_(config) {
    config_.validate();
    checkSupported(config_);
    const MfccConfig& c = config_.mfcc;
    const int n_fft = c.n_fft, half = n_fft / 2, stages = log2Exact(half);

    const std::vector<double> w = centredWindow(c.window, c.effectiveWinLength(), n_fft);
    for (double v : w) window_.push_back(static_cast<std::int32_t>(std::lround(std::ldexp(v, 30))));
    const double pi = std::acos(-1.0);
    for (int k = 0; k < half; ++k) {
        twiddles_.push_back(q31(std::cos(2.0 * pi * k / n_fft)));
        twiddles_.push_back(q31(-std::sin(2.0 * pi * k / n_fft)));
    }
    for (int i = 0; i < half; ++i) {
        int r = 0;
        for (int b = 0; b < stages; ++b) r |= ((i >> b) & 1) << (stages - 1 - b);
        bit_reverse_.push_back(static_cast<std::uint16_t>(r));
    }

    // Each triangle scaled to peak 32767; its scale goes into the band's log offset,
    // together with the window's and the samples' Q15, the FFT's halvings (2^-(stages+1)
    // on the amplitude) — see fixed_mfcc.c for the derivation of each term.
    const std::size_t bins = static_cast<std::size_t>(half) + 1;
    const std::vector<float> fb = melFilterbankWeights(c);
    const double common = 2.0 * (stages + 1) - 30.0 - 60.0;
    for (const SparseMelFilter& f : sparseFilters(fb, static_cast<std::size_t>(c.n_mels), bins)) {
        const float peak = f.weights.empty() ? 1.0f : *std::max_element(f.weights.begin(), f.weights.end());
        mel_first_.push_back(static_cast<std::uint16_t>(f.first_bin));
        mel_count_.push_back(static_cast<std::uint16_t>(f.weights.size()));
        mel_offset_.push_back(static_cast<std::uint16_t>(mel_weights_.size()));
        for (float v : f.weights)
            mel_weights_.push_back(static_cast<std::int16_t>(std::lround(v / peak * kWindowOne)));
        mel_log2_offset_.push_back(
            static_cast<std::int32_t>(std::lround((common + std::log2(peak / kWindowOne)) * 65536.0)));
    }
    // A band's sum of weight × power stays below 2^63: 15 weight bits, and the
    // weights of one band add up to at most its bin count × 32767.
    std::size_t widest = 1;
    for (std::uint16_t n : mel_count_) widest = std::max<std::size_t>(widest, n);
    plan_.power_bits = 63 - 15 - static_cast<int>(std::ceil(std::log2(static_cast<double>(widest) + 1.0)));
    for (int i = 0; i <= 128; ++i)
        log2_table_.push_back(static_cast<std::int32_t>(std::lround(std::log2(1.0 + i / 128.0) * 65536.0)));

    const bool decibel = c.log == LogKind::Decibel;
    const double units_per_ln = decibel ? 10.0 / std::log(10.0) : 1.0;
    const auto floor_q16 = static_cast<std::int32_t>(std::lround(units_per_ln * std::log(kAmin) * 65536.0));
    const auto top_db_q16 =
        static_cast<std::int32_t>(decibel && c.top_db > 0.0 ? std::lround(c.top_db * 65536.0) : 0);

    const std::vector<float> dct = orthoDctMatrix(c.n_mfcc, c.n_mels);
    float dct_max = 0.0f;
    for (float v : dct) dct_max = std::max(dct_max, std::fabs(v));
    // 24-bit coefficients (Q15 alone gave 0.01 dB on c0): a product with a Q16 log-mel
    // value (< 2^23) stays below 2^47, so 1024 bands still sum inside int64.
    const int dct_shift = static_cast<int>(std::floor(std::log2(16777215.0 / dct_max)));
    for (float v : dct) dct_.push_back(static_cast<std::int32_t>(std::llround(std::ldexp(v, dct_shift))));

    // code = floor(x / (65536 std scale) + zero point + 0.5 - mean / (std scale)), x in Q16.
    if (!(input.scale > 0.0f) || !std::isfinite(input.scale) || input.bits < 1 || input.bits > 8)
        throw Error("fixed-point front-end (audio input '" + config_.modality +
                    "'): the input tensor's quantization (scale " + std::to_string(input.scale) + ", " +
                    std::to_string(input.bits) + " bits) is not an 8-bit-or-narrower affine code");
    for (int k = 0; k < c.n_mfcc; ++k) {
        const double mean = config_.mean.empty() ? 0.0 : config_.mean[static_cast<std::size_t>(k)];
        const double sd = config_.std.empty() ? 1.0 : config_.std[static_cast<std::size_t>(k)];
        const double step = sd * input.scale;  // log units per code
        const double scale = std::ldexp(1.0 / (65536.0 * step), 36);
        if (scale >= 2147483647.0 || scale < 1024.0)
            throw Error("fixed-point front-end (audio input '" + config_.modality + "'): normalization row " +
                        std::to_string(k) + " (std " + std::to_string(sd) + ") times the input scale " +
                        std::to_string(input.scale) + " is outside what a Q36 multiplier holds");
        code_scale_.push_back(static_cast<std::int32_t>(std::lround(scale)));
        code_offset_.push_back(
            static_cast<std::int64_t>(std::llround(std::ldexp(input.zero_point + 0.5 - mean / step, 36))));
    }

    plan_.window_samples = config_.windowSamples();
    plan_.n_fft = n_fft;
    plan_.hop_length = c.hop_length;
    plan_.win_lo = (n_fft - c.effectiveWinLength()) / 2;
    plan_.win_hi = plan_.win_lo + c.effectiveWinLength();
    plan_.center = c.center ? 1 : 0;
    plan_.frames = c.frameCount(plan_.window_samples);
    plan_.n_mels = c.n_mels;
    plan_.n_mfcc = c.n_mfcc;
    plan_.window = window_.data();
    plan_.twiddles = twiddles_.data();
    plan_.bit_reverse = bit_reverse_.data();
    plan_.mel_first = mel_first_.data();
    plan_.mel_count = mel_count_.data();
    plan_.mel_offset = mel_offset_.data();
    plan_.mel_weights = mel_weights_.data();
    plan_.mel_log2_offset = mel_log2_offset_.data();
    plan_.log2_table = log2_table_.data();
    plan_.log_per_log2 = static_cast<std::int32_t>(std::lround(units_per_ln * std::log(2.0) * 32768.0));
    plan_.log_floor_q16 = floor_q16;
    plan_.top_db_q16 = top_db_q16;
    plan_.dct = dct_.data();
    plan_.dct_shift = dct_shift;
    plan_.code_scale = code_scale_.data();
    plan_.code_offset = code_offset_.data();
    plan_.code_max = (1 << input.bits) - 1;
}

FixedMfccTables FixedMfccTables::forModel(const Model& model, const std::string& modality) {
    const AudioFrontendConfig config = audioFrontendConfig(model, modality);
    for (const ModelInput& in : model.inputs) {
        if (in.modality != modality) continue;
        const TensorInfo& t = model.tensors.at(in.tensor);
        return FixedMfccTables(config, {t.scale, static_cast<int>(t.zero_point), static_cast<int>(t.bits)});
    }
    throw Error("model: no input named '" + modality + "'");
}

std::size_t FixedMfccTables::tableBytes() const {
    return sizeof plan_ +
           2 * (mel_weights_.size() + bit_reverse_.size() + mel_first_.size() + mel_count_.size() +
                mel_offset_.size()) +
           4 * (window_.size() + dct_.size() + twiddles_.size() + mel_log2_offset_.size() +
                log2_table_.size() + code_scale_.size()) +
           8 * code_offset_.size();
}

std::string FixedMfccTables::cSource(const std::string& name) const {
    std::ostringstream s;
    const MfccConfig& c = config_.mfcc;
    s << "/* Fixed-point MFCC tables for audio input '" << config_.modality << "': " << config_.sample_rate
      << " Hz, " << plan_.window_samples << " samples, n_fft " << c.n_fft << ", hop " << c.hop_length << ", "
      << c.n_mels << " mels, " << c.n_mfcc << " coefficients, " << plan_.frames << " frames. */\n";
    writeArray(s, "int32_t", name + "_window", window_);
    writeArray(s, "int32_t", name + "_twiddles", twiddles_);
    writeArray(s, "uint16_t", name + "_bit_reverse", bit_reverse_);
    writeArray(s, "uint16_t", name + "_mel_first", mel_first_);
    writeArray(s, "uint16_t", name + "_mel_count", mel_count_);
    writeArray(s, "uint16_t", name + "_mel_offset", mel_offset_);
    writeArray(s, "int16_t", name + "_mel_weights", mel_weights_);
    writeArray(s, "int32_t", name + "_mel_log2_offset", mel_log2_offset_);
    writeArray(s, "int32_t", name + "_log2_table", log2_table_);
    writeArray(s, "int32_t", name + "_dct", dct_);
    writeArray(s, "int32_t", name + "_code_scale", code_scale_);
    writeArray(s, "int64_t", name + "_code_offset", code_offset_);
    const tm2_fixed_mfcc_plan& p = plan_;
    s << "const tm2_fixed_mfcc_plan " << name << " = {\n"
      << "    " << p.window_samples << ", " << p.n_fft << ", " << p.hop_length << ", " << p.win_lo << ", "
      << p.win_hi << ", " << p.center << ", " << p.frames << ", " << p.n_mels << ", " << p.n_mfcc << ",\n";
    for (const char* t : {"window", "twiddles", "bit_reverse", "mel_first", "mel_count", "mel_offset",
                          "mel_weights", "mel_log2_offset"})
        s << "    " << name << "_" << t << ",\n";
    s << "    " << p.power_bits << ", " << name << "_log2_table,\n";
    s << "    " << p.log_per_log2 << ", " << p.log_floor_q16 << ", " << p.top_db_q16 << ",\n"
      << "    " << name << "_dct, " << p.dct_shift << ", " << name << "_code_scale, " << name
      << "_code_offset, " << p.code_max << "\n};\n";
    return s.str();
}

std::vector<std::uint8_t> FixedMfccTables::codes(const std::int16_t* pcm, std::size_t count) const {
    std::vector<std::uint64_t> scratch((scratchBytes() + 7) / 8);
    std::vector<std::uint8_t> out(static_cast<std::size_t>(plan_.n_mfcc) *
                                  static_cast<std::size_t>(plan_.frames));
    if (tm2_fixed_mfcc_codes(&plan_, pcm, count, scratch.data(), scratch.size() * 8, out.data()) != 0)
        throw Error("fixed-point front-end: scratch too small");
    return out;
}

std::vector<double> FixedMfccTables::coefficients(const std::int16_t* pcm, std::size_t count) const {
    std::vector<std::uint64_t> scratch((scratchBytes() + 7) / 8);
    if (tm2_fixed_mfcc_log_mel(&plan_, pcm, count, scratch.data(), scratch.size() * 8) != 0)
        throw Error("fixed-point front-end: scratch too small");
    std::vector<std::int32_t> q7(static_cast<std::size_t>(plan_.n_mfcc) *
                                 static_cast<std::size_t>(plan_.frames));
    tm2_fixed_mfcc_coefficients(&plan_, scratch.data(), q7.data());
    std::vector<double> out(q7.size());
    for (std::size_t i = 0; i < q7.size(); ++i) out[i] = q7[i] / 65536.0;
    return out;
}

std::vector<double> FixedMfccTables::logMel(const std::int16_t* pcm, std::size_t count) const {
    std::vector<std::uint64_t> scratch((scratchBytes() + 7) / 8);
    if (tm2_fixed_mfcc_log_mel(&plan_, pcm, count, scratch.data(), scratch.size() * 8) != 0)
        throw Error("fixed-point front-end: scratch too small");
    // The log-mel values follow the FFT buffer (fixed_mfcc.c's scratch layout).
    const std::size_t fft_bytes = (static_cast<std::size_t>(plan_.n_fft) / 2 + 1) * 8;
    const auto* q7 = reinterpret_cast<const std::int32_t*>(
        reinterpret_cast<const unsigned char*>(scratch.data()) + fft_bytes);
    std::vector<double> out(static_cast<std::size_t>(plan_.frames) * static_cast<std::size_t>(plan_.n_mels));
    for (std::size_t i = 0; i < out.size(); ++i) out[i] = q7[i] / 65536.0;
    return out;
}

}  // namespace tm2::runtime
