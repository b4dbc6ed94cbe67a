#include "core/runtime/frontend/audio_frontend.h"

#include <algorithm>
#include <cmath>

#include "core/base/error.h"
#include "core/runtime/frontend/silence_trim.h"

namespace tm2::runtime {

namespace {

constexpr double kMaxWindowSeconds = 600.0;  // core/data's bound

AudioFrontendConfig validated(AudioFrontendConfig c) {
    c.validate();
    return c;
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
    for (const ModelInput& input : model.inputs)
        if (const InputFrontEnd* f = model.frontend.find(input.modality); f && f->kind == InputKind::Audio)
            out.push_back(input.modality);
    return out;
}

AudioFrontendConfig audioFrontendConfig(const Model& model, const std::string& modality) {
    const std::string origin = "model front-end";
    if (model.frontend.inputs.empty())
        throw Error(origin +
                    ": the model carries no front-end settings (export it with `tinym2net export` from a "
                    "training run)");
    const InputFrontEnd* f = model.frontend.find(modality);
    if (!f) throw Error(origin + ": no modality named '" + modality + "'");
    if (f->kind != InputKind::Audio) throw Error(origin + ": modality '" + modality + "' is not audio");

    AudioFrontendConfig c;
    c.modality = modality;
    c.sample_rate = f->sample_rate;
    c.window_s = f->window_s;
    c.trim_silence = f->trim_silence;
    c.trim_db = f->trim_db;
    c.mfcc = f->mfcc;
    c.mean = f->mean;
    c.std = f->std;
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
