#include "core/data/image_loader.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <vector>

#include "core/base/error.h"
#include "core/data/media_file.h"
#include "core/base/json_fields.h"

namespace tm2::data {

namespace {

constexpr int kMaxSide = 8192;  // model inputs are tiny; bigger is a unit slip
// Refuse to slurp something that is certainly not a training image.
constexpr std::uintmax_t kMaxFileBytes = std::uintmax_t{512} << 20;
constexpr std::uint64_t kMaxDecodedPixels = std::uint64_t{1} << 27;  // ~134 MP, above any camera

void require(bool ok, const char* field, const std::string& rule) {
    if (!ok) throw Error(std::string("image.") + field + " " + rule);
}

[[noreturn]] void fail(const std::string& path, const std::string& reason) {
    throw Error(path + ": " + reason);
}

std::vector<unsigned char> readFile(const std::string& path) {
    const auto size = requireNonEmptyFile(path);
    if (size > kMaxFileBytes) fail(path, "file too large (" + std::to_string(size) + " bytes)");
    std::ifstream in(path, std::ios::binary);
    if (!in) fail(path, "cannot open");
    std::vector<unsigned char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (in.bad()) fail(path, "read error");
    return bytes;
}

// libjpeg pads a cut-off JPEG with grey and only warns on stderr, so OpenCV
// hands back a "valid" image; a missing end-of-image marker gives it away.
bool isJpegWithoutEnd(const std::vector<unsigned char>& b) {
    if (b.size() < 3 || b[0] != 0xFF || b[1] != 0xD8 || b[2] != 0xFF) return false;
    for (std::size_t i = b.size() - 1; i > 0; --i)
        if (b[i - 1] == 0xFF && b[i] == 0xD9) return false;
    return true;
}

// A few hundred bytes of PNG can announce a 2^30-pixel image (OpenCV's own cap);
// decoding that would take gigabytes, so read the size from IHDR first.
bool isOversizedPng(const std::vector<unsigned char>& b) {
    static const unsigned char kSig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    if (b.size() < 24 || !std::equal(kSig, kSig + 8, b.begin())) return false;
    auto be32 = [&](std::size_t at) {
        return (std::uint64_t{b[at]} << 24) | (std::uint64_t{b[at + 1]} << 16) |
               (std::uint64_t{b[at + 2]} << 8) | b[at + 3];
    };
    return be32(16) * be32(20) > kMaxDecodedPixels;
}

// Any depth/channel layout OpenCV decodes -> float32 in [0, 1], 1 or 3 channels (RGB).
cv::Mat toUnitFloat(const cv::Mat& decoded, bool grayscale, const std::string& path) {
    double scale = 1.0;
    switch (decoded.depth()) {
        case CV_8U:
            scale = 1.0 / 255.0;
            break;
        case CV_16U:
            scale = 1.0 / 65535.0;
            break;
        case CV_32F:
            break;  // HDR/TIFF float images are taken as already in [0, 1]
        default:
            fail(path, "unsupported pixel depth (OpenCV depth code " + std::to_string(decoded.depth()) + ")");
    }
    cv::Mat img;
    decoded.convertTo(img, CV_32F, scale);

    // Alpha is dropped: the datasets' transparency carries no label information.
    cv::Mat color;
    switch (img.channels()) {
        case 1:
            color = img;
            break;
        case 2:
            cv::extractChannel(img, color, 0);
            break;  // gray + alpha
        case 3:
            color = img;
            break;  // BGR
        case 4:
            cv::cvtColor(img, color, cv::COLOR_BGRA2BGR);
            break;
        default:
            fail(path, "unsupported channel count " + std::to_string(img.channels()));
    }
    cv::Mat out;
    if (grayscale) {
        if (color.channels() == 3)
            cv::cvtColor(color, out, cv::COLOR_BGR2GRAY);
        else
            out = color;
    } else {
        if (color.channels() == 1)
            cv::cvtColor(color, out, cv::COLOR_GRAY2RGB);
        else
            cv::cvtColor(color, out, cv::COLOR_BGR2RGB);  // OpenCV decodes to BGR
    }
    cv::patchNaNs(out, 0.0);
    return out;
}

}  // namespace

void ImageConfig::validate() const {
    require(width > 0 && width <= kMaxSide, "width", "must be between 1 and " + std::to_string(kMaxSide));
    require(height > 0 && height <= kMaxSide, "height", "must be between 1 and " + std::to_string(kMaxSide));
    require(std::isfinite(mean), "mean", "must be a finite number");
    require(std::isfinite(std) && std > 0.0, "std", "must be > 0");
}

void to_json(nlohmann::json& j, const ImageConfig& c) {
    j = nlohmann::json{{"width", c.width},
                       {"height", c.height},
                       {"grayscale", c.grayscale},
                       {"mean", c.mean},
                       {"std", c.std}};
}

void from_json(const nlohmann::json& j, ImageConfig& c) {
    if (!j.is_object()) throw Error("image: expected a JSON object");
    const std::string p = "image";
    readField(j, p, "width", c.width);
    readField(j, p, "height", c.height);
    readField(j, p, "grayscale", c.grayscale);
    readField(j, p, "mean", c.mean);
    readField(j, p, "std", c.std);
}

Tensor loadImage(const std::string& path, const ImageConfig& config) {
    config.validate();
    const std::vector<unsigned char> bytes = readFile(path);
    if (isJpegWithoutEnd(bytes)) fail(path, "truncated JPEG (no end-of-image marker)");
    if (isOversizedPng(bytes)) fail(path, "image dimensions too large to decode");

    cv::Mat pixels;
    try {
        // IMREAD_UNCHANGED keeps 16-bit depth; ANYCOLOR alone would squash it to 8 bits.
        const cv::Mat decoded = cv::imdecode(bytes, cv::IMREAD_UNCHANGED);
        if (decoded.empty()) fail(path, "not a readable image (corrupt, truncated or unsupported format)");
        pixels = toUnitFloat(decoded, config.grayscale, path);
        if (pixels.cols != config.width || pixels.rows != config.height) {
            // INTER_AREA averages when shrinking (no aliasing); it degrades to
            // nearest-like blocks when enlarging, where bilinear is the better choice.
            const bool shrinking = config.width <= pixels.cols && config.height <= pixels.rows;
            cv::Mat resized;
            cv::resize(pixels, resized, cv::Size(config.width, config.height), 0, 0,
                       shrinking ? cv::INTER_AREA : cv::INTER_LINEAR);
            pixels = resized;
        }
    } catch (const cv::Exception& e) {
        fail(path, "image decoding failed (" + e.err + ")");
    }

    const std::size_t c = static_cast<std::size_t>(config.channels());
    const std::size_t h = static_cast<std::size_t>(config.height);
    const std::size_t w = static_cast<std::size_t>(config.width);
    Tensor t({c, h, w});
    const float mean = static_cast<float>(config.mean);
    const float inv_std = static_cast<float>(1.0 / config.std);
    for (std::size_t y = 0; y < h; ++y) {
        const float* row = pixels.ptr<float>(static_cast<int>(y));
        for (std::size_t x = 0; x < w; ++x)
            for (std::size_t ch = 0; ch < c; ++ch)  // HWC interleaved -> CHW planes
                t.values[(ch * h + y) * w + x] = (row[x * c + ch] - mean) * inv_std;
    }
    return t;
}

}  // namespace tm2::data
