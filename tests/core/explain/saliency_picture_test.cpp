#include "core/explain/saliency_picture.h"

#include <gtest/gtest.h>

#include <opencv2/imgcodecs.hpp>

#include "core/base/error.h"

namespace tm2::explain {
namespace {

// A 4 × 4 gray image whose map is non-zero only on cell (row 1, col 2).
BranchSaliency oneHotCell() {
    BranchSaliency m;
    m.modality = "image";
    m.channels = 1;
    m.rows = m.cols = 4;
    for (int i = 0; i < 16; ++i) m.input.push_back(static_cast<float>(i) / 15.0f);
    m.saliency.assign(16, 0.0f);
    m.saliency[1 * 4 + 2] = 3.0f;
    return m;
}

bool samePixel(const RgbPicture& p, int x0, int y0, int x1, int y1) {
    return std::equal(p.pixel(x0, y0), p.pixel(x0, y0) + 3, p.pixel(x1, y1));
}

TEST(SaliencyPictureTest, TheOverlayDiffersFromTheInputOnlyWhereTheMapIsLit) {
    const BranchSaliency m = oneHotCell();
    const SaliencyLayout l = saliencyLayout(m, MapLayout::Image);
    const RgbPicture p = renderSaliency(m, MapLayout::Image);
    for (int r = 0; r < 4; ++r)
        for (int c = 0; c < 4; ++c) {
            // The centre of the cell in either panel.
            const int x = c * l.scale_x + l.scale_x / 2, y = l.top + r * l.scale_y + l.scale_y / 2;
            EXPECT_EQ(samePixel(p, l.input_x + x, y, l.overlay_x + x, y), !(r == 1 && c == 2))
                << r << "," << c;
        }
}

TEST(SaliencyPictureTest, ASpectrogramDrawsCoefficientZeroAtTheBottom) {
    BranchSaliency m = oneHotCell();
    m.modality = "audio";
    m.saliency.assign(16, 0.0f);
    m.saliency[0 * 4 + 1] = 1.0f;  // c0, frame 1
    const SaliencyLayout l = saliencyLayout(m, MapLayout::Spectrogram);
    const RgbPicture p = renderSaliency(m, MapLayout::Spectrogram);
    const int x = 1 * l.scale_x + l.scale_x / 2;
    const int bottom = l.top + l.panel_height - 1, top = l.top;
    EXPECT_FALSE(samePixel(p, l.input_x + x, bottom, l.overlay_x + x, bottom));
    EXPECT_TRUE(samePixel(p, l.input_x + x, top, l.overlay_x + x, top));
}

TEST(SaliencyPictureTest, EncodesAPngOpenCvReadsBackAtTheSameSize) {
    const RgbPicture p = renderSaliency(oneHotCell(), MapLayout::Image);
    const std::string png = encodePng(p);
    const std::vector<std::uint8_t> bytes(png.begin(), png.end());
    const cv::Mat decoded = cv::imdecode(bytes, cv::IMREAD_COLOR);
    EXPECT_EQ(decoded.cols, p.width);
    EXPECT_EQ(decoded.rows, p.height);
}

TEST(SaliencyPictureTest, RejectsAMapWhoseSizeDoesNotMatchItsInput) {
    BranchSaliency m = oneHotCell();
    m.saliency.pop_back();
    EXPECT_THROW(renderSaliency(m, MapLayout::Image), Error);
}

}  // namespace
}  // namespace tm2::explain
