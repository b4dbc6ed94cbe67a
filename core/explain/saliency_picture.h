#pragma once
// A saliency map as a person looks at it: the input beside the input with the
// map laid over it (jet colour map, opacity growing with the map's value, so
// cells the network ignores show the bare input), and a colour bar. Images keep
// their aspect; an MFCC is drawn as a spectrogram (time along x, c0 at the
// bottom, each coefficient scaled to its own range). Encoded as PNG by OpenCV.

#include <cstdint>
#include <string>
#include <vector>

#include "core/explain/saliency.h"

namespace tm2::explain {

enum class MapLayout {
    Image,        // rows × cols pixels, 1 or 3 channels (RGB)
    Spectrogram,  // rows = MFCC coefficients, cols = frames
};

// 8-bit RGB, row-major, width × height × 3.
struct RgbPicture {
    int width = 0, height = 0;
    std::vector<std::uint8_t> rgb;
    std::uint8_t* pixel(int x, int y) { return rgb.data() + (static_cast<std::size_t>(y) * width + x) * 3; }
    const std::uint8_t* pixel(int x, int y) const {
        return rgb.data() + (static_cast<std::size_t>(y) * width + x) * 3;
    }
};

// Where the two panels sit in the picture (for tests and for drawing around them).
struct SaliencyLayout {
    int scale_x = 1, scale_y = 1;             // each map cell is scale_x × scale_y pixels
    int input_x = 0, overlay_x = 0, top = 0;  // left edges of the panels, their top
    int panel_width = 0, panel_height = 0;
};

SaliencyLayout saliencyLayout(const BranchSaliency& map, MapLayout layout);
RgbPicture renderSaliency(const BranchSaliency& map, MapLayout layout);

// PNG bytes of the picture; throws tm2::Error when OpenCV cannot encode it.
std::string encodePng(const RgbPicture& picture);
// renderSaliency → encodePng → the file, atomically; throws tm2::Error naming `path`.
void writeSaliencyPng(const std::string& path, const BranchSaliency& map, MapLayout layout);

}  // namespace tm2::explain
