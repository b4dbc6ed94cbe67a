#include "widgets/dataset/heatmap_image.h"

#include <algorithm>
#include <array>
#include <cmath>

namespace tm2::gui {

QRgb colourMap(float value) {
    // Five viridis control points, linearly interpolated.
    static constexpr std::array<std::array<int, 3>, 5> kStops{
        {{68, 1, 84}, {59, 82, 139}, {33, 145, 140}, {94, 201, 98}, {253, 231, 37}}};
    const float v = std::clamp(std::isfinite(value) ? value : 0.0f, 0.0f, 1.0f) * (kStops.size() - 1);
    const std::size_t i = std::min(static_cast<std::size_t>(v), kStops.size() - 2);
    const float t = v - static_cast<float>(i);
    int rgb[3];
    for (int c = 0; c < 3; ++c)
        rgb[c] = static_cast<int>(std::lround(kStops[i][c] + t * (kStops[i + 1][c] - kStops[i][c])));
    return qRgb(rgb[0], rgb[1], rgb[2]);
}

QImage heatmapImage(const workflow::Heatmap& map) {
    QImage image(static_cast<int>(map.cols), static_cast<int>(map.rows), QImage::Format_RGB32);
    for (std::size_t r = 0; r < map.rows; ++r)
        for (std::size_t c = 0; c < map.cols; ++c)
            image.setPixel(static_cast<int>(c), static_cast<int>(map.rows - 1 - r), colourMap(map.values[r * map.cols + c]));
    return image;
}

QImage imageFromTensor(const Tensor& chw) {
    if (chw.rank() != 3 || chw.shape[0] == 0) return {};
    const std::size_t channels = chw.shape[0], h = chw.shape[1], w = chw.shape[2];
    QImage image(static_cast<int>(w), static_cast<int>(h), QImage::Format_RGB32);
    auto level = [&](std::size_t c, std::size_t y, std::size_t x) {
        const float v = chw.values[(c * h + y) * w + x];
        return static_cast<int>(std::lround(std::clamp(v, 0.0f, 1.0f) * 255.0f));
    };
    for (std::size_t y = 0; y < h; ++y)
        for (std::size_t x = 0; x < w; ++x) {
            const int r = level(0, y, x);
            const int g = channels >= 3 ? level(1, y, x) : r;
            const int b = channels >= 3 ? level(2, y, x) : r;
            image.setPixel(static_cast<int>(x), static_cast<int>(y), qRgb(r, g, b));
        }
    return image;
}

}  // namespace tm2::gui
