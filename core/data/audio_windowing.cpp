#include "core/data/audio_windowing.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "core/base/error.h"
#include "core/base/json_fields.h"
#include "core/dsp/resample.h"
#include "core/runtime/frontend/silence_trim.h"

namespace tm2::data {

namespace {

// Bounds that keep windowSamples() in int range and catch unit slips (ms for s).
constexpr int kMinRate = 1000;
constexpr int kMaxRate = 384000;
constexpr double kMaxWindowSeconds = 600.0;
// 2^28 floats (1 GiB): every window of an hour at 48 kHz without overlap is 1.7e8;
// more means a hop far below the window on a long recording.
constexpr std::size_t kMaxWindowedSamples = std::size_t{1} << 28;

void require(bool ok, const char* field, const std::string& rule) {
    if (!ok) throw Error(std::string("audio.") + field + " " + rule);
}

}  // namespace

int AudioWindowConfig::windowSamples() const {
    return std::max(1, static_cast<int>(std::lround(window_s * sample_rate)));
}

int AudioWindowConfig::hopSamples() const {
    if (hop_s <= 0.0) return windowSamples();
    return std::max(1, static_cast<int>(std::lround(hop_s * sample_rate)));
}

void AudioWindowConfig::validate() const {
    require(sample_rate >= kMinRate && sample_rate <= kMaxRate, "sample_rate",
            "must be between " + std::to_string(kMinRate) + " and " + std::to_string(kMaxRate) + " Hz");
    require(std::isfinite(window_s) && window_s > 0.0, "window_s", "must be > 0");
    require(window_s <= kMaxWindowSeconds, "window_s",
            "must be at most " + std::to_string(int(kMaxWindowSeconds)) + " s");
    require(std::isfinite(hop_s) && hop_s >= 0.0, "hop_s", "must be >= 0 (0 means window_s)");
    require(hop_s <= kMaxWindowSeconds, "hop_s",
            "must be at most " + std::to_string(int(kMaxWindowSeconds)) + " s");
    require(std::isfinite(trim_db) && trim_db < 0.0, "trim_db", "must be < 0 (dB below full scale)");
    require(max_windows >= 0, "max_windows", "must be >= 0 (0 = every window)");
}

void to_json(nlohmann::json& j, const AudioWindowConfig& c) {
    j = nlohmann::json{
        {"sample_rate", c.sample_rate},   {"window_s", c.window_s}, {"hop_s", c.hop_s},
        {"trim_silence", c.trim_silence}, {"trim_db", c.trim_db},   {"max_windows", c.max_windows}};
}

void from_json(const nlohmann::json& j, AudioWindowConfig& c) {
    if (!j.is_object()) throw Error("audio: expected a JSON object");
    const std::string p = "audio";
    readField(j, p, "sample_rate", c.sample_rate);
    readField(j, p, "window_s", c.window_s);
    readField(j, p, "hop_s", c.hop_s);
    readField(j, p, "trim_silence", c.trim_silence);
    readField(j, p, "trim_db", c.trim_db);
    readField(j, p, "max_windows", c.max_windows);
}

std::vector<float> trimSilence(const std::vector<float>& samples, int sample_rate, double trim_db) {
    // The rule is the runtime front-end's, so the device trims exactly as training did.
    const runtime::SampleRange r = runtime::nonSilentRange(samples.data(), samples.size(), sample_rate, trim_db);
    return std::vector<float>(samples.begin() + static_cast<std::ptrdiff_t>(r.begin),
                              samples.begin() + static_cast<std::ptrdiff_t>(r.end));
}

std::vector<std::vector<float>> windowAudio(const AudioClip& clip, const AudioWindowConfig& config) {
    config.validate();
    if (clip.samples.empty()) throw Error("audio clip contains no samples");
    if (clip.sample_rate <= 0)
        throw Error("audio clip has invalid sample rate " + std::to_string(clip.sample_rate));

    std::vector<float> signal = clip.sample_rate == config.sample_rate
                                    ? clip.samples
                                    : dsp::resample(clip.samples, clip.sample_rate, config.sample_rate);
    // A recording that is silence throughout stays one all-quiet window rather
    // than vanishing, so every readable file still yields a sample.
    if (config.trim_silence) {
        std::vector<float> trimmed = trimSilence(signal, config.sample_rate, config.trim_db);
        if (!trimmed.empty()) signal = std::move(trimmed);
    }

    const std::size_t window = static_cast<std::size_t>(config.windowSamples());
    const std::size_t hop = static_cast<std::size_t>(config.hopSamples());
    const std::size_t n = signal.size();
    // Full windows at every hop, plus one zero-padded window if the tail is not yet covered.
    std::size_t count = n <= window ? 1 : 1 + (n - window + hop - 1) / hop;
    if (config.max_windows > 0) count = std::min(count, static_cast<std::size_t>(config.max_windows));
    if (count > kMaxWindowedSamples / window) {
        char hop_s[32];
        std::snprintf(hop_s, sizeof hop_s, "%g", config.hop_s);
        throw Error(std::string("audio.hop_s ") + hop_s + " cuts " + std::to_string(n) + " samples into " +
                    std::to_string(count) + " windows of " + std::to_string(window) + ", more than the " +
                    std::to_string(kMaxWindowedSamples) +
                    " samples one recording may yield: raise hop_s or set max_windows");
    }

    std::vector<std::vector<float>> windows;
    windows.reserve(count);
    for (std::size_t w = 0; w < count; ++w) {
        const std::size_t begin = w * hop;
        const std::size_t end = std::min(n, begin + window);
        std::vector<float> out(window, 0.0f);
        if (begin < end)
            std::copy(signal.begin() + static_cast<std::ptrdiff_t>(begin),
                      signal.begin() + static_cast<std::ptrdiff_t>(end), out.begin());
        windows.push_back(std::move(out));
    }
    return windows;
}

}  // namespace tm2::data
