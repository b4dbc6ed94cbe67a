#pragma once
// A minimal RIFF/WAVE reader for the device: 16-bit PCM and 32-bit float
// (plain or WAVE_FORMAT_EXTENSIBLE), any channel count averaged to mono —
// the same samples the workbench's libsndfile decoder gives (PCM16 / 32768,
// channels averaged, clamped to [-1, 1]). Standard library only; every read
// is bounds-checked and a bad file is a tm2::Error naming the file and why.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace tm2::runtime {

struct WavAudio {
    int sample_rate = 0;         // Hz
    int source_channels = 0;     // channels in the file (samples are their mean)
    std::vector<float> samples;  // mono, [-1, 1]
};

WavAudio parseWav(const std::uint8_t* data, std::size_t size, const std::string& origin = "wav");
WavAudio readWav(const std::string& path);

}  // namespace tm2::runtime
