#include "tests/support/media_fixtures.h"

#include <cmath>
#include <filesystem>
#include <stdexcept>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>

#include "core/data/audio_decoder.h"

namespace tm2::testing {

std::vector<float> sineWave(double hz, double seconds, int sample_rate) {
    const auto n = static_cast<std::size_t>(seconds * sample_rate);
    std::vector<float> samples(n);
    for (std::size_t i = 0; i < n; ++i)
        samples[i] = static_cast<float>(0.5 * std::sin(2.0 * M_PI * hz * static_cast<double>(i) / sample_rate));
    return samples;
}

void writeToneWav(const std::string& path, double hz, double seconds, int sample_rate) {
    std::filesystem::create_directories(std::filesystem::path(path).parent_path());
    data::writeWav(path, sineWave(hz, seconds, sample_rate), sample_rate);
}

void writeGradientPng(const std::string& path, int width, int height, int seed) {
    std::filesystem::create_directories(std::filesystem::path(path).parent_path());
    cv::Mat image(height, width, CV_8UC1);
    for (int r = 0; r < height; ++r)
        for (int c = 0; c < width; ++c) image.at<unsigned char>(r, c) = static_cast<unsigned char>((r * 7 + c * 3 + seed) % 256);
    if (!cv::imwrite(path, image)) throw std::runtime_error("could not write " + path);
}

}  // namespace tm2::testing
