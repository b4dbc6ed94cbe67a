#pragma once
// Audio file decoding through libsndfile (wav, flac, ogg/vorbis, …).

#include <string>
#include <vector>

namespace tm2::data {

struct AudioClip {
    std::vector<float> samples;  // mono, in [-1, 1]
    int sample_rate = 0;         // Hz
    int source_channels = 0;     // channel count in the file before the mono mix
};

// Decodes `path` and averages all channels to mono. Throws tm2::Error naming
// the path and the reason (unreadable, not audio, empty, truncated…).
AudioClip decodeAudio(const std::string& path);

// Writes mono float samples as 16-bit PCM wav (used by the demo generator and tests).
void writeWav(const std::string& path, const std::vector<float>& samples, int sample_rate);

}  // namespace tm2::data
