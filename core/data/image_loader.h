#pragma once
// Image decoding through OpenCV (png, jpg, bmp, pgm, …) into a CHW float tensor.

#include <string>

#include <nlohmann/json_fwd.hpp>

#include "core/base/tensor.h"

namespace tm2::data {

struct ImageConfig {
    int width = 28;         // pixels after resize
    int height = 28;
    bool grayscale = true;  // false: 3 channels in R, G, B order
    // Pixels are scaled to [0, 1], then (x - mean) / std per channel.
    double mean = 0.0;
    double std = 1.0;

    int channels() const { return grayscale ? 1 : 3; }
    void validate() const;  // throws tm2::Error naming the field
};

void to_json(nlohmann::json& j, const ImageConfig& c);
void from_json(const nlohmann::json& j, ImageConfig& c);

// {channels, height, width}. Throws tm2::Error naming the path when the file
// is missing, unreadable or not an image.
Tensor loadImage(const std::string& path, const ImageConfig& config);

}  // namespace tm2::data
