#pragma once
// Small media files made by the tests themselves: tones as wav, gradients as png.

#include <string>
#include <vector>

namespace tm2::testing {

// A sine of `hz` at `sample_rate`, `seconds` long, amplitude 0.5.
std::vector<float> sineWave(double hz, double seconds, int sample_rate);
// Writes a mono 16-bit wav of a sine.
void writeToneWav(const std::string& path, double hz, double seconds, int sample_rate);
// Writes an 8-bit grayscale png whose pixel (r, c) is (r * 7 + c * 3 + seed) % 256.
void writeGradientPng(const std::string& path, int width, int height, int seed);

}  // namespace tm2::testing
