#include "core/data/noise_mix.h"

#include <xxhash.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "core/base/error.h"
#include "core/data/audio_decoder.h"
#include "core/data/feature_cache.h"
#include "core/dsp/resample.h"

namespace tm2::data {

namespace fs = std::filesystem;

namespace {

const char* colorName(NoiseColor c) {
    switch (c) {
        case NoiseColor::White:
            return "white";
        case NoiseColor::Pink:
            return "pink";
        case NoiseColor::Brown:
            return "brown";
    }
    return "?";
}

std::string exact(double x) {
    char text[40];
    std::snprintf(text, sizeof text, "%.17g", x);
    return text;
}

// The files libsndfile reads that a noise folder is expected to hold.
bool isAudioFile(const fs::path& path) {
    std::string ext = path.extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
    return ext == ".wav" || ext == ".flac" || ext == ".ogg";
}

std::vector<fs::path> noiseFiles(const std::string& dir) {
    std::error_code ec;
    if (!fs::is_directory(dir, ec))
        throw Error("noise folder " + dir + ": not found (train.augment.noise_dir)");
    std::vector<fs::path> files;
    for (fs::recursive_directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
        if (it->is_regular_file(ec) && isAudioFile(it->path())) files.push_back(it->path());
    if (ec) throw Error("noise folder " + dir + ": cannot be listed (" + ec.message() + ")");
    if (files.empty()) throw Error("noise folder " + dir + ": holds no .wav, .flac or .ogg files");
    std::sort(files.begin(), files.end());  // the draws index this list: its order must not depend on the OS
    return files;
}

std::uint64_t copySeed(const NoiseMixConfig& config, const std::string& id, int copy) {
    const std::uint64_t sample = deriveSeed(config.seed, XXH3_64bits(id.data(), id.size()));
    return deriveSeed(sample, static_cast<std::uint64_t>(copy));
}

}  // namespace

NoiseDraw drawNoise(const NoiseMixConfig& config, const std::string& id, int copy) {
    SeededRandom rng(copySeed(config, id, copy));
    NoiseDraw draw;
    draw.snr_db = config.snr_high_db > config.snr_low_db ? rng.uniform(config.snr_low_db, config.snr_high_db)
                                                         : config.snr_low_db;
    draw.color = config.color ? *config.color : static_cast<NoiseColor>(rng.uniformInt(0, 2));
    return draw;
}

std::string noiseFolderDigest(const std::string& dir) {
    XXH3_state_t* state = XXH3_createState();
    XXH3_128bits_reset(state);
    std::vector<char> buffer(1 << 16);
    try {
        for (const fs::path& file : noiseFiles(dir)) {
            const std::string name = fs::relative(file, dir).generic_string();
            XXH3_128bits_update(state, name.data(), name.size() + 1);
            std::ifstream in(file, std::ios::binary);
            if (!in) throw Error(file.string() + ": cannot read this noise file");
            while (in.read(buffer.data(), static_cast<std::streamsize>(buffer.size())) || in.gcount() > 0)
                XXH3_128bits_update(state, buffer.data(), static_cast<std::size_t>(in.gcount()));
        }
    } catch (...) {
        XXH3_freeState(state);
        throw;
    }
    const XXH128_hash_t h = XXH3_128bits_digest(state);
    XXH3_freeState(state);
    return hexDigest(h.high64, h.low64);
}

NoiseSource::NoiseSource(const NoiseMixConfig& config, const std::vector<int>& sample_rates)
    : config_(config) {
    key_text_ = "noise snr=" + exact(config.snr_low_db) + ":" + exact(config.snr_high_db) +
                " color=" + (config.color ? colorName(*config.color) : "any") +
                " seed=" + std::to_string(config.seed);
    if (config.dir.empty()) {
        key_text_ += " source=generated";
        return;
    }
    key_text_ += " source=files:" + noiseFolderDigest(config.dir);
    for (const fs::path& file : noiseFiles(config.dir)) {
        AudioClip clip;
        try {
            clip = decodeAudio(file.string());
        } catch (const Error& e) {
            throw Error(std::string(e.what()) + " (a noise file of train.augment.noise_dir)");
        }
        if (rms(clip.samples) <= 0.0)
            throw Error(file.string() + ": this noise file is silent (train.augment.noise_dir)");
        for (int rate : sample_rates) {
            // Resampled as recordings are (windowAudio), so noise and signal share one band.
            files_[rate].push_back(clip.sample_rate == rate
                                       ? clip.samples
                                       : dsp::resample(clip.samples, clip.sample_rate, rate));
        }
    }
}

std::vector<float> NoiseSource::noise(std::size_t length, int sample_rate, const NoiseDraw& draw,
                                      SeededRandom& rng) const {
    if (config_.dir.empty()) return makeNoise(draw.color, length, rng);
    const auto found = files_.find(sample_rate);
    if (found == files_.end())
        throw Error("noise mixing: no noise resampled to " + std::to_string(sample_rate) + " Hz (internal)");
    const auto& files = found->second;
    const auto& file = files[static_cast<std::size_t>(rng.uniformInt(0, static_cast<int>(files.size()) - 1))];
    // A random stretch of the file, looped when the window is longer than the file.
    std::size_t at = static_cast<std::size_t>(rng.uniformInt(0, static_cast<int>(file.size()) - 1));
    std::vector<float> out(length);
    for (float& s : out) {
        s = file[at];
        at = at + 1 == file.size() ? 0 : at + 1;
    }
    return out;
}

std::vector<std::vector<float>> NoiseSource::mix(const std::vector<std::vector<float>>& windows,
                                                 int sample_rate, const std::string& id, int copy,
                                                 std::size_t modality) const {
    const NoiseDraw draw = drawNoise(config_, id, copy);
    SeededRandom rng(deriveSeed(copySeed(config_, id, copy), modality));
    std::vector<std::vector<float>> out = windows;
    for (auto& window : out) mixAtSnr(window, noise(window.size(), sample_rate, draw, rng), draw.snr_db);
    return out;
}

}  // namespace tm2::data
