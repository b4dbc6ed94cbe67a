#include "core/explain/saliency_picture.h"

#include <algorithm>
#include <cmath>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "core/base/atomic_write.h"
#include "core/base/error.h"

namespace tm2::explain {

namespace {

constexpr int kHeader = 22;    // px above the panels for their titles
constexpr int kGap = 10;       // px between panels
constexpr int kBarWidth = 14;  // the colour bar
constexpr int kMargin = 6;
constexpr double kMaxOpacity = 0.8;  // the strongest cell still lets the input show through

// Cell (r, c) of the map → the panel's row, with c0 of a spectrogram at the bottom.
int displayRow(const BranchSaliency& map, MapLayout layout, std::size_t r) {
    return layout == MapLayout::Spectrogram ? static_cast<int>(map.rows - 1 - r) : static_cast<int>(r);
}

// The input in [0, 1] per cell and channel: an image min-max over all of it (keeps
// its colours), a spectrogram per coefficient (c0 would otherwise flatten the rest).
std::vector<float> displayInput(const BranchSaliency& map, MapLayout layout) {
    std::vector<float> out = map.input;
    const std::size_t plane = map.rows * map.cols;
    const std::size_t span = layout == MapLayout::Spectrogram ? map.cols : out.size();
    const std::size_t count = layout == MapLayout::Spectrogram ? map.rows : 1;
    for (std::size_t k = 0; k < count && span > 0; ++k) {
        // A spectrogram's row k over the first channel (the MFCC plane the network sees first).
        const auto first = out.begin() + static_cast<std::ptrdiff_t>(k * span);
        const auto last = first + static_cast<std::ptrdiff_t>(span);
        const auto [lo, hi] = std::minmax_element(first, last);
        const float low = *lo, range = *hi - *lo;
        for (auto v = first; v != last; ++v) *v = range > 0 ? (*v - low) / range : 0.5f;
    }
    if (layout == MapLayout::Spectrogram) out.resize(plane);  // later channels (deltas) are not drawn
    return out;
}

// OpenCV's jet colour map, RGB, sampled once at its 256 levels.
cv::Vec3b jet(double value) {
    static const std::vector<cv::Vec3b> table = [] {
        cv::Mat1b levels(1, 256);
        for (int i = 0; i < 256; ++i) levels(0, i) = static_cast<std::uint8_t>(i);
        cv::Mat3b colours;
        cv::applyColorMap(levels, colours, cv::COLORMAP_JET);
        std::vector<cv::Vec3b> rgb;
        for (int i = 0; i < 256; ++i) rgb.push_back({colours(0, i)[2], colours(0, i)[1], colours(0, i)[0]});
        return rgb;
    }();
    return table[static_cast<std::size_t>(std::lround(std::clamp(value, 0.0, 1.0) * 255))];
}

}  // namespace

SaliencyLayout saliencyLayout(const BranchSaliency& map, MapLayout layout) {
    SaliencyLayout l;
    const int rows = static_cast<int>(std::max<std::size_t>(map.rows, 1));
    const int cols = static_cast<int>(std::max<std::size_t>(map.cols, 1));
    if (layout == MapLayout::Image) {
        l.scale_x = l.scale_y = std::max(1, 224 / std::max(rows, cols));  // square pixels
    } else {
        // A spectrogram is wide and short: stretch each axis to a readable panel.
        l.scale_x = std::max(1, 360 / cols);
        l.scale_y = std::max(1, 180 / rows);
    }
    l.panel_width = cols * l.scale_x;
    l.panel_height = rows * l.scale_y;
    l.top = kHeader;
    l.input_x = kMargin;
    l.overlay_x = l.input_x + l.panel_width + kGap;
    return l;
}

RgbPicture renderSaliency(const BranchSaliency& map, MapLayout layout) {
    if (map.rows == 0 || map.cols == 0 || map.saliency.size() != map.rows * map.cols ||
        map.input.size() != map.channels * map.rows * map.cols)
        throw Error("saliency picture of '" + map.modality + "': the map and its input do not match in size");
    const SaliencyLayout l = saliencyLayout(map, layout);
    RgbPicture pic;
    pic.width = l.overlay_x + l.panel_width + kGap + kBarWidth + kMargin;
    pic.height = l.top + l.panel_height + kMargin;
    pic.rgb.assign(static_cast<std::size_t>(pic.width) * pic.height * 3, 255);
    const std::vector<float> input = displayInput(map, layout);
    const bool colour = layout == MapLayout::Image && map.channels >= 3;
    const std::size_t plane = map.rows * map.cols;
    const float peak = *std::max_element(map.saliency.begin(), map.saliency.end());
    for (std::size_t r = 0; r < map.rows; ++r)
        for (std::size_t c = 0; c < map.cols; ++c) {
            const std::size_t cell = r * map.cols + c;
            double base[3];
            for (int k = 0; k < 3; ++k)
                base[k] = input[(colour ? static_cast<std::size_t>(k) * plane : 0) + cell];
            const double s = peak > 0 ? map.saliency[cell] / peak : 0.0;
            const cv::Vec3b heat = jet(s);
            const double a = kMaxOpacity * s;
            const int y0 = l.top + displayRow(map, layout, r) * l.scale_y;
            for (int dy = 0; dy < l.scale_y; ++dy)
                for (int dx = 0; dx < l.scale_x; ++dx) {
                    const int x = static_cast<int>(c) * l.scale_x + dx;
                    std::uint8_t* in = pic.pixel(l.input_x + x, y0 + dy);
                    std::uint8_t* over = pic.pixel(l.overlay_x + x, y0 + dy);
                    for (int k = 0; k < 3; ++k) {
                        in[k] = static_cast<std::uint8_t>(std::lround(base[k] * 255));
                        over[k] =
                            static_cast<std::uint8_t>(std::lround((1 - a) * base[k] * 255 + a * heat[k]));
                    }
                }
        }
    // The colour bar: the map's maximum at the top, zero at the bottom.
    const int bar_x = l.overlay_x + l.panel_width + kGap;
    for (int y = 0; y < l.panel_height; ++y) {
        const cv::Vec3b heat = jet(1.0 - static_cast<double>(y) / std::max(1, l.panel_height - 1));
        for (int x = 0; x < kBarWidth; ++x)
            std::copy(heat.val, heat.val + 3, pic.pixel(bar_x + x, l.top + y));
    }
    cv::Mat view(pic.height, pic.width, CV_8UC3, pic.rgb.data());
    const cv::Scalar ink(40, 40, 40);
    cv::putText(view, map.modality + " input", {l.input_x, kHeader - 7}, cv::FONT_HERSHEY_SIMPLEX, 0.42, ink,
                1, cv::LINE_AA);
    cv::putText(view, "gradient x input", {l.overlay_x, kHeader - 7}, cv::FONT_HERSHEY_SIMPLEX, 0.42, ink, 1,
                cv::LINE_AA);
    return pic;
}

std::string encodePng(const RgbPicture& picture) {
    if (picture.width <= 0 || picture.height <= 0) throw Error("PNG: the picture is empty");
    cv::Mat rgb(picture.height, picture.width, CV_8UC3, const_cast<std::uint8_t*>(picture.rgb.data()));
    cv::Mat bgr;
    cv::cvtColor(rgb, bgr, cv::COLOR_RGB2BGR);
    std::vector<std::uint8_t> bytes;
    if (!cv::imencode(".png", bgr, bytes)) throw Error("PNG: OpenCV could not encode the picture");
    return {bytes.begin(), bytes.end()};
}

void writeSaliencyPng(const std::string& path, const BranchSaliency& map, MapLayout layout) {
    writeFileAtomically(path, encodePng(renderSaliency(map, layout)));
}

}  // namespace tm2::explain
