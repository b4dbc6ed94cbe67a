#pragma once
// Seeded, in-process audio augmentations for the demo generator: gain, speed,
// placement in a fixed window, coloured noise at a chosen SNR and a telephone
// band limit. Every function is deterministic for a given SeededRandom state.

#include <cstddef>
#include <cstdint>
#include <random>
#include <vector>

namespace tm2::data {

// Random numbers that are identical on every platform: std::mt19937_64 is fully
// specified by the standard, but std::uniform_*_distribution and
// std::normal_distribution are not, so the draws are made here.
class SeededRandom {
public:
    explicit SeededRandom(std::uint64_t seed) : engine_(seed) {}

    std::uint64_t next() { return engine_(); }
    double uniform();                      // [0, 1), from the top 53 bits
    double uniform(double lo, double hi);  // [lo, hi)
    int uniformInt(int lo, int hi);        // lo..hi inclusive; lo when hi <= lo
    double normal();                       // mean 0, std 1 (Box–Muller, both values used)
    bool chance(double probability) { return uniform() < probability; }

private:
    std::mt19937_64 engine_;
    double spare_ = 0.0;
    bool has_spare_ = false;
};

// Seed for an independent stream `stream` of `seed` (SplitMix64 finaliser), so
// per-item generators do not depend on the order threads run in.
std::uint64_t deriveSeed(std::uint64_t seed, std::uint64_t stream);

enum class NoiseColor { White, Pink, Brown };

// `length` samples of zero-mean noise with RMS 1. Pink: Paul Kellet's filter
// (-3 dB/octave); brown: leaky integrated white (-6 dB/octave above ~13 Hz at 16 kHz).
std::vector<float> makeNoise(NoiseColor color, std::size_t length, SeededRandom& rng);

double rms(const std::vector<float>& samples);
void applyGainDb(std::vector<float>& samples, double gain_db);
// Scales so the largest |sample| is `peak`; silent input stays silent.
void normalizePeak(std::vector<float>& samples, double peak);

// Drops leading/trailing 10 ms frames whose RMS is more than `below_peak_db`
// under the loudest frame's (relative, so any synthesiser level works).
std::vector<float> trimQuietEdges(const std::vector<float>& samples, int sample_rate, double below_peak_db);

// Plays `samples` `factor` times faster (factor > 1: shorter and higher), by
// resampling and reinterpreting at `sample_rate`.
std::vector<float> changeSpeed(const std::vector<float>& samples, double factor, int sample_rate);

// A window of exactly `window` samples holding `clip` from `offset` on
// (zeros elsewhere; the part past the window end is cut).
std::vector<float> placeInWindow(const std::vector<float>& clip, std::size_t window, std::size_t offset);

// Adds `noise` scaled so RMS(signal) / RMS(added noise) is `snr_db` over the
// whole signal. Throws tm2::Error when the lengths differ.
void mixAtSnr(std::vector<float>& signal, const std::vector<float>& noise, double snr_db);

// Telephone channel: down to 8 kHz, 300–3400 Hz band-pass (2nd-order
// Butterworth sections), back to `sample_rate`; the length is kept.
std::vector<float> phoneChannel(const std::vector<float>& samples, int sample_rate);

}  // namespace tm2::data
