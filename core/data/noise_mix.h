#pragma once
// Noisy copies of training recordings (training-time augmentation at
// extraction): copy k of a sample mixes noise into each of its audio windows
// at an SNR drawn for that copy, from generated coloured noise or from a
// folder of noise recordings. Every draw comes from a generator seeded by
// (seed, sample id, copy, modality), so the result never depends on the order
// threads run in. docs/augmentation.md says why this is done on the waveform.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/data/audio_augment.h"

namespace tm2::data {

struct NoiseMixConfig {
    int copies = 0;  // noisy copies per training recording; 0 = off
    double snr_low_db = 0, snr_high_db = 20;
    std::optional<NoiseColor> color;  // generated noise; nullopt = drawn per copy
    std::string dir;                  // noise recordings instead of generated noise (empty = generated)
    std::uint64_t seed = 0;           // the run's seed

    bool enabled() const { return copies > 0; }
};

// What copy `copy` (1-based) of sample `id` draws: its SNR, and its colour for generated noise.
struct NoiseDraw {
    double snr_db = 0;
    NoiseColor color = NoiseColor::White;
};
NoiseDraw drawNoise(const NoiseMixConfig& config, const std::string& id, int copy);

// The noise copies are mixed with: generated, or the recordings of config.dir
// decoded once and resampled to each rate asked for (as recordings are).
class NoiseSource {
public:
    // Throws tm2::Error naming the folder (missing, no audio files) or the file (undecodable, silent).
    NoiseSource(const NoiseMixConfig& config, const std::vector<int>& sample_rates);

    // Canonical text of everything that changes a copy (the cache key's part), but not the
    // copy count: copy k is the same whether 1 or 5 copies are asked for.
    const std::string& keyText() const { return key_text_; }

    // Copy `copy` of sample `id`, modality `modality`: each window with noise mixed in at the
    // copy's SNR against that window (a silent window stays silent: its SNR is undefined).
    std::vector<std::vector<float>> mix(const std::vector<std::vector<float>>& windows, int sample_rate,
                                        const std::string& id, int copy, std::size_t modality) const;

private:
    std::vector<float> noise(std::size_t length, int sample_rate, const NoiseDraw& draw,
                             SeededRandom& rng) const;

    NoiseMixConfig config_;
    std::string key_text_;
    std::map<int, std::vector<std::vector<float>>> files_;  // sample rate → each noise file's samples
};

// XXH3-128 of every audio file's name and bytes under `dir` (sorted), as 32 hex digits.
std::string noiseFolderDigest(const std::string& dir);

}  // namespace tm2::data
