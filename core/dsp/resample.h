#pragma once
// Sample-rate conversion through libsamplerate.

#include <vector>

namespace tm2::dsp {

enum class ResampleQuality { Best, Medium, Fastest };

// Mono signal from `from_rate` to `to_rate` Hz. Same rate: returned unchanged.
// Throws tm2::Error on invalid rates or a libsamplerate failure.
std::vector<float> resample(const std::vector<float>& samples, int from_rate, int to_rate,
                            ResampleQuality quality = ResampleQuality::Medium);

}  // namespace tm2::dsp
