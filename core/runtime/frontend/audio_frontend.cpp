#include "core/runtime/frontend/audio_frontend.h"

#include <algorithm>
#include <cmath>

#include "core/base/error.h"
#include "core/runtime/frontend/json_value.h"
#include "core/runtime/frontend/silence_trim.h"

namespace tm2::runtime {

namespace {

constexpr double kMaxWindowSeconds = 600.0;  // core/data's bound

// Reads the keys core/dsp's from_json(MfccConfig) writes; absent keys keep defaults.
MfccConfig readMfcc(const JsonValue& j, const std::string& where) {
    MfccConfig c;
    if (!j.isObject()) throw Error(where + ": expected an object");
    auto integer = [&](const char* key, int& field) {
        if (const JsonValue* v = j.find(key)) field = v->integer(where + "." + key);
    };
    auto real = [&](const char* key, double& field) {
        if (const JsonValue* v = j.find(key)) field = v->number(where + "." + key);
    };
    auto flag = [&](const char* key, bool& field) {
        if (const JsonValue* v = j.find(key)) field = v->boolean(where + "." + key);
    };
    auto name = [&](const char* key, auto parse, auto& field) {
        if (const JsonValue* v = j.find(key)) {
            const std::string& text = v->string(where + "." + key);
            if (!parse(text.c_str(), field))
                throw Error(where + "." + key + ": unknown value \"" + text + "\"");
        }
    };
    integer("sample_rate", c.sample_rate);
    integer("n_fft", c.n_fft);
    integer("hop_length", c.hop_length);
    integer("win_length", c.win_length);
    name("window", parseWindowKind, c.window);
    flag("center", c.center);
    integer("n_mels", c.n_mels);
    real("fmin", c.fmin);
    real("fmax", c.fmax);
    name("mel_scale", parseMelScale, c.mel_scale);
    flag("slaney_norm", c.slaney_norm);
    real("power", c.power);
    name("log", parseLogKind, c.log);
    real("top_db", c.top_db);
    integer("n_mfcc", c.n_mfcc);
    integer("deltas", c.deltas);
    integer("delta_width", c.delta_width);
    return c;
}

std::vector<float> readFloats(const JsonValue& j, const std::string& where) {
    std::vector<float> out;
    for (std::size_t i = 0; i < j.array(where).size(); ++i)
        out.push_back(static_cast<float>(j.array(where)[i].number(where + "[" + std::to_string(i) + "]")));
    return out;
}

// The dataset's modality list from the model's normalization entry.
const std::vector<JsonValue>& modalityList(const JsonValue& norm, const std::string& where) {
    const JsonValue* dataset = norm.find("dataset");
    const JsonValue* list = dataset ? dataset->find("modalities") : nullptr;
    if (!list) throw Error(where + ": has no dataset.modalities");
    return list->array(where + ".dataset.modalities");
}

JsonValue normalizationOf(const Model& model, const std::string& origin) {
    const std::string text = model.frontendValue("normalization");
    if (text.empty())
        throw Error(origin +
                    ": the model carries no front-end settings (no \"normalization\" entry; "
                    "export it with `tinym2net export` from a training run)");
    return JsonValue::parse(text, origin);
}

AudioFrontendConfig validated(AudioFrontendConfig c) {
    c.validate();
    return c;
}

std::string modalityName(const JsonValue& m, const std::string& where) {
    const JsonValue* name = m.find("name");
    return name ? name->string(where + ".name") : std::string();
}

}  // namespace

int AudioFrontendConfig::windowSamples() const {
    return std::max(1, static_cast<int>(std::lround(window_s * sample_rate)));
}

void AudioFrontendConfig::validate() const {
    if (sample_rate <= 0) throw Error("audio.sample_rate must be > 0");
    if (!std::isfinite(window_s) || window_s <= 0.0 || window_s > kMaxWindowSeconds)
        throw Error("audio.window_s must be > 0 and at most 600 s");
    if (!std::isfinite(trim_db) || trim_db >= 0.0)
        throw Error("audio.trim_db must be < 0 (dB below full scale)");
    mfcc.validate();
    if (mfcc.sample_rate != sample_rate)
        throw Error("mfcc.sample_rate " + std::to_string(mfcc.sample_rate) +
                    " differs from audio.sample_rate " + std::to_string(sample_rate));
    const std::size_t rows = static_cast<std::size_t>(mfcc.featureCount());
    if (mean.size() != std.size() || (!mean.empty() && mean.size() != rows))
        throw Error("normalization: expected " + std::to_string(rows) +
                    " mean and std values (one per MFCC row), got " + std::to_string(mean.size()) + " and " +
                    std::to_string(std.size()));
    for (float s : std)
        if (!(s > 0.0f) || !std::isfinite(s)) throw Error("normalization: std values must be finite and > 0");
    for (float m : mean)
        if (!std::isfinite(m)) throw Error("normalization: mean values must be finite");
}

std::vector<std::string> audioInputs(const Model& model) {
    std::vector<std::string> out;
    if (model.frontendValue("normalization").empty()) return out;
    const JsonValue norm = normalizationOf(model, "model normalization");
    for (const ModelInput& input : model.inputs)
        for (const JsonValue& m : modalityList(norm, "model normalization")) {
            const JsonValue* kind = m.find("kind");
            if (modalityName(m, "modality") == input.modality && kind &&
                kind->kind() == JsonValue::Kind::String && kind->string("kind") == "audio")
                out.push_back(input.modality);
        }
    return out;
}

AudioFrontendConfig audioFrontendConfig(const Model& model, const std::string& modality) {
    const std::string origin = "model normalization";
    const JsonValue norm = normalizationOf(model, origin);
    const std::vector<JsonValue>& list = modalityList(norm, origin);
    std::size_t index = list.size();
    for (std::size_t i = 0; i < list.size(); ++i)
        if (modalityName(list[i], origin + ".dataset.modalities[" + std::to_string(i) + "]") == modality)
            index = i;
    if (index == list.size()) throw Error(origin + ": no modality named '" + modality + "'");
    const std::string where = origin + ".dataset.modalities[" + std::to_string(index) + "]";
    const JsonValue& m = list[index];
    const JsonValue* kind = m.find("kind");
    if (!kind || kind->string(where + ".kind") != "audio")
        throw Error(where + ": modality '" + modality + "' is not audio");

    AudioFrontendConfig c;
    c.modality = modality;
    if (const JsonValue* audio = m.find("audio")) {
        const std::string a = where + ".audio";
        if (const JsonValue* v = audio->find("sample_rate")) c.sample_rate = v->integer(a + ".sample_rate");
        if (const JsonValue* v = audio->find("window_s")) c.window_s = v->number(a + ".window_s");
        if (const JsonValue* v = audio->find("trim_silence"))
            c.trim_silence = v->boolean(a + ".trim_silence");
        if (const JsonValue* v = audio->find("trim_db")) c.trim_db = v->number(a + ".trim_db");
    }
    if (const JsonValue* mfcc = m.find("mfcc")) c.mfcc = readMfcc(*mfcc, where + ".mfcc");
    // Statistics are indexed like the dataset's modalities (core/data computeNormalization).
    const JsonValue* mean = norm.find("mean");
    const JsonValue* stdev = norm.find("std");
    if (!mean || !stdev) throw Error(origin + ": has no mean/std");
    const std::vector<JsonValue>& means = mean->array(origin + ".mean");
    const std::vector<JsonValue>& stds = stdev->array(origin + ".std");
    if (index >= means.size() || index >= stds.size())
        throw Error(origin + ": mean/std have no entry for modality '" + modality + "'");
    c.mean = readFloats(means[index], origin + ".mean[" + std::to_string(index) + "]");
    c.std = readFloats(stds[index], origin + ".std[" + std::to_string(index) + "]");
    c.validate();

    // The model's input tensor must be what this front-end produces.
    for (const ModelInput& input : model.inputs) {
        if (input.modality != modality) continue;
        const TensorInfo& t = model.tensors.at(input.tensor);
        const std::size_t frames = static_cast<std::size_t>(c.mfcc.frameCount(c.windowSamples()));
        if (t.c != static_cast<std::uint32_t>(1 + c.mfcc.deltas) ||
            t.h != static_cast<std::uint32_t>(c.mfcc.n_mfcc) || t.w != frames)
            throw Error("model input '" + modality + "' is " + std::to_string(t.c) + "x" +
                        std::to_string(t.h) + "x" + std::to_string(t.w) + ", its front-end settings give " +
                        std::to_string(1 + c.mfcc.deltas) + "x" + std::to_string(c.mfcc.n_mfcc) + "x" +
                        std::to_string(frames));
    }
    return c;
}

AudioFrontend::AudioFrontend(AudioFrontendConfig config)
    : config_(validated(std::move(config))), mfcc_(config_.mfcc) {
    const MfccConfig& m = config_.mfcc;
    const int frames = m.frameCount(config_.windowSamples());
    shape_ = {static_cast<std::size_t>(1 + m.deltas), static_cast<std::size_t>(m.n_mfcc),
              static_cast<std::size_t>(frames)};
    window_.assign(static_cast<std::size_t>(config_.windowSamples()), 0.0f);
    frames_.assign(static_cast<std::size_t>(frames) * static_cast<std::size_t>(m.featureCount()), 0.0f);
}

void AudioFrontend::process(const float* samples, std::size_t count, float* out) {
    if (count == 0) throw Error("audio front-end: the signal has no samples");
    // core/data windowAudio: a recording silent throughout stays whole.
    SampleRange range{0, count};
    if (config_.trim_silence) {
        const SampleRange loud = nonSilentRange(samples, count, config_.sample_rate, config_.trim_db);
        if (loud.end > loud.begin) range = loud;
    }
    // The first window, zero-padded when the recording is shorter.
    const std::size_t take = std::min(range.end - range.begin, window_.size());
    std::copy(samples + range.begin, samples + range.begin + take, window_.begin());
    std::fill(window_.begin() + static_cast<std::ptrdiff_t>(take), window_.end(), 0.0f);

    mfcc_.compute(window_.data(), window_.size(), workspace_, frames_.data());

    // frames × (planes · coeffs) → plane-major, coefficient rows, time columns; then normalise each row.
    const std::size_t planes = shape_[0], coeffs = shape_[1], frames = shape_[2];
    const std::size_t features = planes * coeffs;
    const bool normalise = !config_.mean.empty();
    for (std::size_t row = 0; row < features; ++row) {
        float* dst = out + row * frames;
        const float* src = frames_.data() + row;
        if (normalise) {
            const float mean = config_.mean[row], sd = config_.std[row];
            for (std::size_t t = 0; t < frames; ++t) dst[t] = (src[t * features] - mean) / sd;
        } else {
            for (std::size_t t = 0; t < frames; ++t) dst[t] = src[t * features];
        }
    }
}

std::vector<float> AudioFrontend::process(const std::vector<float>& samples) {
    std::vector<float> out(outputElements());
    process(samples.data(), samples.size(), out.data());
    return out;
}

}  // namespace tm2::runtime
