#include "core/runtime/model_frontend.h"

#include <cmath>
#include <cstring>

#include "core/base/error.h"
#include "core/runtime/byte_io.h"

namespace tm2::runtime {

namespace {

// An empty string costs 4 bytes in the file and a std::string (32 bytes) in memory:
// the counts are capped so a section of empty names cannot multiply its size.
constexpr std::uint32_t kMaxClasses = 65536;
constexpr std::uint32_t kMaxInputs = 256;

void f64(ByteWriter& w, double v) {
    std::uint64_t bits = 0;
    std::memcpy(&bits, &v, 8);
    w.u64(bits);
}

double f64(ByteReader& r, const char* field) {
    const std::uint64_t bits = r.u64(field);
    double v = 0;
    std::memcpy(&v, &bits, 8);
    if (!std::isfinite(v)) throw Error(r.where() + ": " + field + " is not a finite number");
    return v;
}

void floats(ByteWriter& w, const std::vector<float>& values) {
    w.u32(static_cast<std::uint32_t>(values.size()));
    for (float v : values) w.f32(v);
}

std::vector<float> floats(ByteReader& r, const char* field) {
    const std::uint32_t n = r.count(field, 4);
    std::vector<float> out(n);
    for (auto& v : out) {
        v = r.f32(field);
        if (!std::isfinite(v)) throw Error(r.where() + ": " + field + " holds a value that is not finite");
    }
    return out;
}

template <typename E>
E enumValue(ByteReader& r, const char* field, std::uint8_t last) {
    const std::uint8_t v = r.u8(field);
    if (v > last) throw Error(r.where() + ": " + field + " " + std::to_string(v) + " is not a known value");
    return static_cast<E>(v);
}

void writeMfcc(ByteWriter& w, const MfccConfig& c) {
    w.i32(c.sample_rate), w.i32(c.n_fft), w.i32(c.hop_length), w.i32(c.win_length);
    w.u8(static_cast<std::uint8_t>(c.window));
    w.u8(c.center ? 1 : 0);
    w.i32(c.n_mels);
    f64(w, c.fmin), f64(w, c.fmax);
    w.u8(static_cast<std::uint8_t>(c.mel_scale));
    w.u8(c.slaney_norm ? 1 : 0);
    f64(w, c.power);
    w.u8(static_cast<std::uint8_t>(c.log));
    f64(w, c.top_db);
    w.i32(c.n_mfcc), w.i32(c.deltas), w.i32(c.delta_width);
}

MfccConfig readMfcc(ByteReader& r) {
    MfccConfig c;
    c.sample_rate = r.i32("mfcc.sample_rate");
    c.n_fft = r.i32("mfcc.n_fft");
    c.hop_length = r.i32("mfcc.hop_length");
    c.win_length = r.i32("mfcc.win_length");
    c.window = enumValue<WindowKind>(r, "mfcc.window", static_cast<std::uint8_t>(WindowKind::Hamming));
    c.center = r.u8("mfcc.center") != 0;
    c.n_mels = r.i32("mfcc.n_mels");
    c.fmin = f64(r, "mfcc.fmin");
    c.fmax = f64(r, "mfcc.fmax");
    c.mel_scale = enumValue<MelScale>(r, "mfcc.mel_scale", static_cast<std::uint8_t>(MelScale::Htk));
    c.slaney_norm = r.u8("mfcc.slaney_norm") != 0;
    c.power = f64(r, "mfcc.power");
    c.log = enumValue<LogKind>(r, "mfcc.log", static_cast<std::uint8_t>(LogKind::Natural));
    c.top_db = f64(r, "mfcc.top_db");
    c.n_mfcc = r.i32("mfcc.n_mfcc");
    c.deltas = r.i32("mfcc.deltas");
    c.delta_width = r.i32("mfcc.delta_width");
    return c;
}

}  // namespace

const InputFrontEnd* ModelFrontEnd::find(const std::string& modality) const {
    for (const auto& input : inputs)
        if (input.modality == modality) return &input;
    return nullptr;
}

void writeFrontEnd(ByteWriter& w, const ModelFrontEnd& f) {
    w.u32(static_cast<std::uint32_t>(f.classes.size()));
    for (const auto& c : f.classes) w.str(c);
    w.u32(static_cast<std::uint32_t>(f.inputs.size()));
    for (const auto& in : f.inputs) {
        w.str(in.modality);
        w.u8(static_cast<std::uint8_t>(in.kind));
        floats(w, in.mean);
        floats(w, in.std);
        if (in.kind != InputKind::Audio) continue;
        w.i32(in.sample_rate);
        f64(w, in.window_s);
        w.u8(in.trim_silence ? 1 : 0);
        f64(w, in.trim_db);
        writeMfcc(w, in.mfcc);
    }
}

ModelFrontEnd readFrontEnd(const std::uint8_t* data, std::size_t size, const std::string& origin) {
    ByteReader r(data, size, origin + ": front-end");
    ModelFrontEnd f;
    const std::uint32_t classes = r.count("class count", 4);
    if (classes > kMaxClasses)
        throw Error(r.where() + ": " + std::to_string(classes) + " classes, more than the limit of " +
                    std::to_string(kMaxClasses));
    f.classes.reserve(classes);
    for (std::uint32_t i = 0; i < classes; ++i) f.classes.push_back(r.str("class name"));
    const std::uint32_t inputs = r.count("input count", 13);
    if (inputs > kMaxInputs)
        throw Error(r.where() + ": " + std::to_string(inputs) + " inputs, more than the limit of " +
                    std::to_string(kMaxInputs));
    f.inputs.reserve(inputs);
    for (std::uint32_t i = 0; i < inputs; ++i) {
        InputFrontEnd in;
        in.modality = r.str("input modality");
        const std::uint8_t kind = r.u8("input kind");
        if (kind != static_cast<std::uint8_t>(InputKind::Image) && kind != static_cast<std::uint8_t>(InputKind::Audio))
            throw Error(r.where() + ": input '" + in.modality + "' has unknown kind " + std::to_string(kind));
        in.kind = static_cast<InputKind>(kind);
        in.mean = floats(r, "mean");
        in.std = floats(r, "std");
        if (in.kind == InputKind::Audio) {
            in.sample_rate = r.i32("audio.sample_rate");
            in.window_s = f64(r, "audio.window_s");
            in.trim_silence = r.u8("audio.trim_silence") != 0;
            in.trim_db = f64(r, "audio.trim_db");
            in.mfcc = readMfcc(r);
        }
        f.inputs.push_back(std::move(in));
    }
    if (r.left() != 0) throw Error(r.where() + ": " + std::to_string(r.left()) + " unexpected bytes after the inputs");
    return f;
}

}  // namespace tm2::runtime
