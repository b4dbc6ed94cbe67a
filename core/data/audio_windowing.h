#pragma once
// Turning a decoded recording into fixed-length windows at the modality's rate.

#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "core/data/audio_decoder.h"

namespace tm2::data {

struct AudioWindowConfig {
    int sample_rate = 16000;   // Hz the modality works at (resampled to this)
    double window_s = 2.0;     // window length in seconds (the paper's 2 s chunks)
    double hop_s = 0.0;        // seconds between window starts when chunking; 0 = window_s
    bool trim_silence = false; // drop leading/trailing frames quieter than trim_db
    double trim_db = -40.0;    // dBFS threshold for trimming (relative to full scale)
    // How many windows one recording yields: 1 = the first window (padded with
    // zeros when short; used for one sample per recording); 0 = every window
    // ("chunk" mode, the paper's sampling of 2 s chunks).
    int max_windows = 1;

    int windowSamples() const;
    int hopSamples() const;
    void validate() const;  // throws tm2::Error naming the field
};

void to_json(nlohmann::json& j, const AudioWindowConfig& c);
void from_json(const nlohmann::json& j, AudioWindowConfig& c);

// Leading/trailing silence removed (RMS over 10 ms frames below trim_db).
std::vector<float> trimSilence(const std::vector<float>& samples, int sample_rate, double trim_db);

// Resample to config.sample_rate, optionally trim, then cut windows of exactly
// windowSamples() samples (last/only window zero-padded). Never returns zero
// windows for a non-empty clip.
std::vector<std::vector<float>> windowAudio(const AudioClip& clip, const AudioWindowConfig& config);

}  // namespace tm2::data
