#include "core/data/audio_windowing.h"

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>

#include "core/base/error.h"
#include "core/base/json_fields.h"
#include "core/dsp/resample.h"

namespace tm2::data {

namespace {

// Bounds that keep windowSamples() in int range and catch unit slips (ms for s).
constexpr int kMinRate = 1000;
constexpr int kMaxRate = 384000;
constexpr double kMaxWindowSeconds = 600.0;

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
    if (sample_rate <= 0) throw Error("trimSilence: sample rate must be > 0");
    const std::size_t frame = static_cast<std::size_t>(std::max(1, sample_rate / 100));  // 10 ms
    const double threshold = std::pow(10.0, trim_db / 20.0);                             // dBFS -> amplitude
    const std::size_t frames = (samples.size() + frame - 1) / frame;
    auto loud = [&](std::size_t f) {
        const std::size_t begin = f * frame;
        const std::size_t end = std::min(samples.size(), begin + frame);
        double sum = 0.0;
        for (std::size_t i = begin; i < end; ++i) sum += static_cast<double>(samples[i]) * samples[i];
        return std::sqrt(sum / static_cast<double>(end - begin)) >= threshold;
    };
    std::size_t first = 0;
    while (first < frames && !loud(first)) ++first;
    if (first == frames) return {};
    std::size_t last = frames - 1;
    while (last > first && !loud(last)) --last;
    const std::size_t end = std::min(samples.size(), (last + 1) * frame);
    return std::vector<float>(samples.begin() + static_cast<std::ptrdiff_t>(first * frame),
                              samples.begin() + static_cast<std::ptrdiff_t>(end));
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
