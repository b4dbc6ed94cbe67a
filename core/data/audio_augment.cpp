#include "core/data/audio_augment.h"

#include <algorithm>
#include <cmath>

#include "core/base/error.h"
#include "core/dsp/resample.h"

namespace tm2::data {

namespace {

constexpr double kPi = 3.14159265358979323846;
constexpr int kPhoneRate = 8000;
// Augmentation, not measurement: libsamplerate's fastest sinc (97 dB SNR, flat
// to 80 % of Nyquist) is ample and 4x cheaper than medium, which dominated the
// demo generator's time.
constexpr auto kQuality = dsp::ResampleQuality::Fastest;

// RBJ audio-EQ-cookbook biquad, direct form I, in double for stable low cutoffs.
class Biquad {
public:
    static Biquad lowPass(double cutoff_hz, int rate) { return make(cutoff_hz, rate, false); }
    static Biquad highPass(double cutoff_hz, int rate) { return make(cutoff_hz, rate, true); }

    void run(std::vector<float>& samples) {
        double x1 = 0, x2 = 0, y1 = 0, y2 = 0;
        for (float& s : samples) {
            const double x = s;
            const double y = b0_ * x + b1_ * x1 + b2_ * x2 - a1_ * y1 - a2_ * y2;
            x2 = x1;
            x1 = x;
            y2 = y1;
            y1 = y;
            s = static_cast<float>(y);
        }
    }

private:
    static Biquad make(double cutoff_hz, int rate, bool high) {
        const double w0 = 2.0 * kPi * cutoff_hz / rate;
        const double alpha = std::sin(w0) / (2.0 * std::sqrt(0.5));  // Q = 1/sqrt(2): Butterworth
        const double c = std::cos(w0);
        const double a0 = 1.0 + alpha;
        Biquad q;
        q.b1_ = (high ? -(1.0 + c) : (1.0 - c)) / a0;
        q.b0_ = q.b2_ = (high ? (1.0 + c) / 2.0 : (1.0 - c) / 2.0) / a0;
        q.a1_ = -2.0 * c / a0;
        q.a2_ = (1.0 - alpha) / a0;
        return q;
    }

    double b0_ = 1, b1_ = 0, b2_ = 0, a1_ = 0, a2_ = 0;
};

void normalizeRms(std::vector<float>& samples) {
    if (samples.empty()) return;
    double mean = 0.0;
    for (float s : samples) mean += s;
    mean /= static_cast<double>(samples.size());
    for (float& s : samples) s = static_cast<float>(s - mean);
    const double r = rms(samples);
    if (r > 0.0)
        for (float& s : samples) s = static_cast<float>(s / r);
}

}  // namespace

double SeededRandom::uniform() { return static_cast<double>(engine_() >> 11) * 0x1.0p-53; }

double SeededRandom::uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }

int SeededRandom::uniformInt(int lo, int hi) {
    if (hi <= lo) return lo;
    const auto span = static_cast<std::uint64_t>(static_cast<std::int64_t>(hi) - lo + 1);
    // Rejection keeps it exactly uniform (spans here are tiny, rejections rare).
    const std::uint64_t limit = UINT64_MAX - UINT64_MAX % span;
    std::uint64_t x = engine_();
    while (x >= limit) x = engine_();
    return static_cast<int>(lo + static_cast<std::int64_t>(x % span));
}

double SeededRandom::normal() {
    if (has_spare_) {
        has_spare_ = false;
        return spare_;
    }
    const double u1 = 1.0 - uniform();  // (0, 1]: log stays finite
    const double u2 = uniform();
    const double radius = std::sqrt(-2.0 * std::log(u1));
    spare_ = radius * std::sin(2.0 * kPi * u2);
    has_spare_ = true;
    return radius * std::cos(2.0 * kPi * u2);
}

std::uint64_t deriveSeed(std::uint64_t seed, std::uint64_t stream) {
    std::uint64_t z = seed + 0x9e3779b97f4a7c15ull * (stream + 1);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

std::vector<float> makeNoise(NoiseColor color, std::size_t length, SeededRandom& rng) {
    std::vector<float> out(length);
    double b0 = 0, b1 = 0, b2 = 0, b3 = 0, b4 = 0, b5 = 0, b6 = 0, brown = 0;
    for (auto& s : out) {
        const double w = rng.normal();
        switch (color) {
            case NoiseColor::White:
                s = static_cast<float>(w);
                break;
            case NoiseColor::Pink:
                // Paul Kellet's "refined" pink filter (music-dsp archive), within 0.05 dB above 9 Hz at 44.1
                // kHz.
                b0 = 0.99886 * b0 + w * 0.0555179;
                b1 = 0.99332 * b1 + w * 0.0750759;
                b2 = 0.96900 * b2 + w * 0.1538520;
                b3 = 0.86650 * b3 + w * 0.3104856;
                b4 = 0.55000 * b4 + w * 0.5329522;
                b5 = -0.7616 * b5 - w * 0.0168980;
                s = static_cast<float>(b0 + b1 + b2 + b3 + b4 + b5 + b6 + w * 0.5362);
                b6 = w * 0.115926;
                break;
            case NoiseColor::Brown:
                // The leak keeps the random walk bounded over long clips.
                brown = 0.995 * brown + w;
                s = static_cast<float>(brown);
                break;
        }
    }
    normalizeRms(out);
    return out;
}

double rms(const std::vector<float>& samples) {
    if (samples.empty()) return 0.0;
    double sum = 0.0;
    for (float s : samples) sum += static_cast<double>(s) * s;
    return std::sqrt(sum / static_cast<double>(samples.size()));
}

void applyGainDb(std::vector<float>& samples, double gain_db) {
    const double g = std::pow(10.0, gain_db / 20.0);
    for (float& s : samples) s = static_cast<float>(s * g);
}

void normalizePeak(std::vector<float>& samples, double peak) {
    float largest = 0.0f;
    for (float s : samples) largest = std::max(largest, std::fabs(s));
    if (largest <= 0.0f) return;
    const double g = peak / largest;
    for (float& s : samples) s = static_cast<float>(s * g);
}

std::vector<float> trimQuietEdges(const std::vector<float>& samples, int sample_rate, double below_peak_db) {
    const std::size_t frame = static_cast<std::size_t>(std::max(1, sample_rate / 100));
    const std::size_t frames = (samples.size() + frame - 1) / frame;
    std::vector<double> power(frames, 0.0);
    double loudest = 0.0;
    for (std::size_t f = 0; f < frames; ++f) {
        const std::size_t begin = f * frame, end = std::min(samples.size(), begin + frame);
        for (std::size_t i = begin; i < end; ++i) power[f] += static_cast<double>(samples[i]) * samples[i];
        power[f] /= static_cast<double>(end - begin);
        loudest = std::max(loudest, power[f]);
    }
    if (loudest <= 0.0) return {};
    const double threshold = loudest * std::pow(10.0, below_peak_db / 10.0);  // power ratio
    std::size_t first = 0, last = frames;
    while (first < frames && power[first] < threshold) ++first;
    while (last > first && power[last - 1] < threshold) --last;
    return {samples.begin() + static_cast<std::ptrdiff_t>(first * frame),
            samples.begin() + static_cast<std::ptrdiff_t>(std::min(samples.size(), last * frame))};
}

std::vector<float> changeSpeed(const std::vector<float>& samples, double factor, int sample_rate) {
    if (!(factor > 0.0)) throw Error("changeSpeed: factor must be > 0");
    const int target = static_cast<int>(std::lround(sample_rate / factor));
    return dsp::resample(samples, sample_rate, target, kQuality);
}

std::vector<float> placeInWindow(const std::vector<float>& clip, std::size_t window, std::size_t offset) {
    std::vector<float> out(window, 0.0f);
    for (std::size_t i = 0; i < clip.size() && offset + i < window; ++i) out[offset + i] = clip[i];
    return out;
}

void mixAtSnr(std::vector<float>& signal, const std::vector<float>& noise, double snr_db) {
    if (noise.size() != signal.size())
        throw Error("mixAtSnr: noise has " + std::to_string(noise.size()) + " samples, signal " +
                    std::to_string(signal.size()));
    const double noise_rms = rms(noise);
    if (noise_rms <= 0.0) return;
    const double scale = rms(signal) / std::pow(10.0, snr_db / 20.0) / noise_rms;
    for (std::size_t i = 0; i < signal.size(); ++i)
        signal[i] = static_cast<float>(signal[i] + scale * noise[i]);
}

std::vector<float> phoneChannel(const std::vector<float>& samples, int sample_rate) {
    std::vector<float> narrow = dsp::resample(samples, sample_rate, kPhoneRate, kQuality);
    for (int pass = 0; pass < 2; ++pass) {  // two sections each: 24 dB/octave skirts
        Biquad::highPass(300.0, kPhoneRate).run(narrow);
        Biquad::lowPass(3400.0, kPhoneRate).run(narrow);
    }
    std::vector<float> wide = dsp::resample(narrow, kPhoneRate, sample_rate, kQuality);
    wide.resize(samples.size(), 0.0f);
    return wide;
}

}  // namespace tm2::data
