#include "core/data/image_loader.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <string>
#include <vector>

#include "core/base/error.h"
#include "tests/support/temp_dir.h"

namespace tm2::data {
namespace {

using ::testing::AllOf;
using ::testing::FloatEq;
using ::testing::HasSubstr;
using ::testing::Pointwise;

ImageConfig sized(int width, int height, bool grayscale) {
    ImageConfig c;
    c.width = width;
    c.height = height;
    c.grayscale = grayscale;
    return c;
}

void save(const std::string& path, const cv::Mat& img) { ASSERT_TRUE(cv::imwrite(path, img)) << path; }

std::string loadError(const std::string& path, const ImageConfig& c = ImageConfig{}) {
    try {
        loadImage(path, c);
    } catch (const Error& e) {
        return e.what();
    }
    return "no error";
}

cv::Mat noise(int rows, int cols, int type) {
    cv::Mat m(rows, cols, type);
    cv::RNG rng(1234);
    rng.fill(m, cv::RNG::UNIFORM, 0, 256);
    return m;
}

// --- a hand-made palette PNG (cv::imwrite cannot write one) ---------------
std::uint32_t crc32(const std::string& data) {
    std::uint32_t c = 0xFFFFFFFFu;
    for (unsigned char byte : data) {
        c ^= byte;
        for (int k = 0; k < 8; ++k) c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1u)));
    }
    return ~c;
}

std::string be32(std::uint32_t v) {
    return {static_cast<char>(v >> 24), static_cast<char>(v >> 16), static_cast<char>(v >> 8),
            static_cast<char>(v)};
}

std::string chunk(const std::string& type, const std::string& data) {
    return be32(static_cast<std::uint32_t>(data.size())) + type + data + be32(crc32(type + data));
}

// 2×1 image, 8-bit palette {red, blue}, pixels [0, 1]; IDAT is a zlib stream
// with one stored (uncompressed) deflate block so no compressor is needed.
std::string palettePng() {
    const std::string raw("\x00\x00\x01", 3);  // filter byte 0, then the two indices
    std::uint32_t a = 1, b = 0;                // Adler-32 of the raw scanline
    for (unsigned char ch : raw) {
        a = (a + ch) % 65521;
        b = (b + a) % 65521;
    }
    std::string zlib("\x78\x01", 2);
    zlib += std::string("\x01\x03\x00\xFC\xFF", 5) + raw + be32((b << 16) | a);
    const std::string ihdr = be32(2) + be32(1) + std::string("\x08\x03\x00\x00\x00", 5);
    const std::string plte("\xFF\x00\x00\x00\x00\xFF", 6);
    return std::string("\x89PNG\r\n\x1A\n", 8) + chunk("IHDR", ihdr) + chunk("PLTE", plte) +
           chunk("IDAT", zlib) + chunk("IEND", "");
}

TEST(ImageLoaderTest, GrayLevel128ScalesTo128Over255InEveryFormat) {
    testing::TempDir dir;
    for (const char* name : {"g.png", "g.bmp", "g.pgm"}) {
        save(dir.file(name), cv::Mat(4, 4, CV_8UC1, cv::Scalar(128)));
        const Tensor t = loadImage(dir.file(name), sized(4, 4, true));
        ASSERT_EQ(t.shape, (std::vector<std::size_t>{1, 4, 4})) << name;
        for (float v : t.values) ASSERT_FLOAT_EQ(v, 128.0f / 255.0f) << name;
    }
    // JPEG is lossy, but a flat 128 field survives within a grey level or two.
    save(dir.file("g.jpg"), cv::Mat(8, 8, CV_8UC1, cv::Scalar(128)));
    for (float v : loadImage(dir.file("g.jpg"), sized(8, 8, true)).values)
        ASSERT_NEAR(v, 128.0f / 255.0f, 2.0f / 255.0f);
}

TEST(ImageLoaderTest, PureRedPixelAppearsInChannelZero) {
    testing::TempDir dir;
    save(dir.file("red.png"), cv::Mat(2, 2, CV_8UC3, cv::Scalar(0, 0, 255)));  // OpenCV's BGR
    const Tensor t = loadImage(dir.file("red.png"), sized(2, 2, false));
    ASSERT_EQ(t.shape, (std::vector<std::size_t>{3, 2, 2}));
    for (std::size_t i = 0; i < 4; ++i) {
        EXPECT_EQ(t.values[0 * 4 + i], 1.0f);
        EXPECT_EQ(t.values[1 * 4 + i], 0.0f);
        EXPECT_EQ(t.values[2 * 4 + i], 0.0f);
    }
}

TEST(ImageLoaderTest, ChannelsComeOutInRgbOrderForBmp) {
    testing::TempDir dir;
    save(dir.file("c.bmp"), cv::Mat(1, 1, CV_8UC3, cv::Scalar(10, 20, 30)));  // B=10, G=20, R=30
    const Tensor t = loadImage(dir.file("c.bmp"), sized(1, 1, false));
    EXPECT_THAT(t.values, Pointwise(FloatEq(), std::vector<float>{30.0f / 255, 20.0f / 255, 10.0f / 255}));
}

TEST(ImageLoaderTest, ColorToGrayUsesLumaWeights) {
    // ITU-R BT.601 luma as in cv::COLOR_BGR2GRAY: pure red -> 0.299.
    testing::TempDir dir;
    save(dir.file("red.png"), cv::Mat(1, 1, CV_8UC3, cv::Scalar(0, 0, 255)));
    EXPECT_NEAR(loadImage(dir.file("red.png"), sized(1, 1, true)).values[0], 0.299f, 1e-3f);
}

TEST(ImageLoaderTest, GrayImageIsReplicatedForRgbModels) {
    testing::TempDir dir;
    save(dir.file("g.png"), cv::Mat(1, 1, CV_8UC1, cv::Scalar(51)));
    EXPECT_THAT(loadImage(dir.file("g.png"), sized(1, 1, false)).values,
                Pointwise(FloatEq(), std::vector<float>(3, 51.0f / 255)));
}

TEST(ImageLoaderTest, SixteenBitPngScalesByItsOwnDepth) {
    testing::TempDir dir;
    save(dir.file("deep.png"), cv::Mat(1, 1, CV_16UC1, cv::Scalar(32768)));
    EXPECT_FLOAT_EQ(loadImage(dir.file("deep.png"), sized(1, 1, true)).values[0], 32768.0f / 65535.0f);
}

TEST(ImageLoaderTest, AlphaChannelIsDropped) {
    testing::TempDir dir;
    save(dir.file("a.png"), cv::Mat(1, 1, CV_8UC4, cv::Scalar(0, 255, 0, 0)));  // green, fully transparent
    EXPECT_EQ(loadImage(dir.file("a.png"), sized(1, 1, false)).values, (std::vector<float>{0, 1, 0}));
}

TEST(ImageLoaderTest, PalettePngIsExpandedToRgb) {
    testing::TempDir dir;
    testing::writeTextFile(dir.file("pal.png"), palettePng());
    const Tensor t = loadImage(dir.file("pal.png"), sized(2, 1, false));
    // CHW: R plane (1, 0), G plane (0, 0), B plane (0, 1).
    EXPECT_EQ(t.values, (std::vector<float>{1, 0, 0, 0, 0, 1}));
}

TEST(ImageLoaderTest, ResizesToConfiguredWidthAndHeight) {
    testing::TempDir dir;
    save(dir.file("wide.png"), cv::Mat(6, 10, CV_8UC1, cv::Scalar(128)));
    Tensor t = loadImage(dir.file("wide.png"), sized(4, 3, true));
    EXPECT_EQ(t.shape, (std::vector<std::size_t>{1, 3, 4}));
    for (float v : t.values) EXPECT_FLOAT_EQ(v, 128.0f / 255.0f);
    t = loadImage(dir.file("wide.png"), sized(25, 15, false));
    EXPECT_EQ(t.shape, (std::vector<std::size_t>{3, 15, 25}));
    for (float v : t.values) EXPECT_NEAR(v, 128.0f / 255.0f, 1e-6f);
}

TEST(ImageLoaderTest, ShrinkingAveragesAreasInsteadOfSamplingPoints) {
    // Row [0, 0, 255, 255, 255, 255] -> 2 pixels. Area averaging: mean(0, 0, 255) = 1/3
    // and 1. Bilinear would sample source x = 1.0 for the first pixel and give 0.
    testing::TempDir dir;
    cv::Mat row(1, 6, CV_8UC1, cv::Scalar(255));
    row.at<unsigned char>(0, 0) = 0;
    row.at<unsigned char>(0, 1) = 0;
    save(dir.file("row.png"), row);
    const Tensor t = loadImage(dir.file("row.png"), sized(2, 1, true));
    EXPECT_NEAR(t.values[0], 1.0f / 3.0f, 1e-5f);
    EXPECT_NEAR(t.values[1], 1.0f, 1e-6f);
}

TEST(ImageLoaderTest, NormalisesWithMeanAndStd) {
    // (1 - 0.5) / 0.25 = 2 and (0 - 0.5) / 0.25 = -2.
    testing::TempDir dir;
    cv::Mat img(1, 2, CV_8UC1);
    img.at<unsigned char>(0, 0) = 255;
    img.at<unsigned char>(0, 1) = 0;
    save(dir.file("n.png"), img);
    ImageConfig c = sized(2, 1, true);
    c.mean = 0.5;
    c.std = 0.25;
    EXPECT_EQ(loadImage(dir.file("n.png"), c).values, (std::vector<float>{2.0f, -2.0f}));
}

TEST(ImageLoaderTest, MissingEmptyAndNonImageFilesNameThePath) {
    testing::TempDir dir;
    EXPECT_THAT(loadError(dir.file("absent.png")),
                AllOf(HasSubstr("absent.png"), HasSubstr("file not found")));
    testing::writeTextFile(dir.file("empty.png"), "");
    EXPECT_THAT(loadError(dir.file("empty.png")), AllOf(HasSubstr("empty.png"), HasSubstr("file is empty")));
    testing::writeTextFile(dir.file("text.png"), "this is not a picture\n");
    EXPECT_THAT(loadError(dir.file("text.png")),
                AllOf(HasSubstr("text.png"), HasSubstr("not a readable image")));
    std::filesystem::create_directory(dir.path() / "folder.png");
    EXPECT_THAT(loadError(dir.file("folder.png")), HasSubstr("not a regular file"));
}

TEST(ImageLoaderTest, TruncatedPngAndJpegAreRejected) {
    testing::TempDir dir;
    save(dir.file("full.png"), noise(64, 64, CV_8UC3));
    std::string bytes = testing::readFileBytes(dir.file("full.png"));
    testing::writeTextFile(dir.file("half.png"), bytes.substr(0, bytes.size() / 2));
    EXPECT_THAT(loadError(dir.file("half.png")), HasSubstr("half.png: "));

    save(dir.file("full.jpg"), noise(64, 64, CV_8UC3));
    bytes = testing::readFileBytes(dir.file("full.jpg"));
    testing::writeTextFile(dir.file("half.jpg"), bytes.substr(0, bytes.size() / 2));
    EXPECT_THAT(loadError(dir.file("half.jpg")), AllOf(HasSubstr("half.jpg"), HasSubstr("truncated JPEG")));
}

TEST(ImageLoaderTest, PngAnnouncingGiganticDimensionsIsRefusedBeforeDecoding) {
    // IHDR width/height are the big-endian words at byte offsets 16 and 20.
    testing::TempDir dir;
    save(dir.file("small.png"), cv::Mat(2, 2, CV_8UC1, cv::Scalar(0)));
    std::string bytes = testing::readFileBytes(dir.file("small.png"));
    bytes.replace(16, 8, be32(60000) + be32(60000));
    testing::writeTextFile(dir.file("bomb.png"), bytes);
    EXPECT_THAT(loadError(dir.file("bomb.png")), AllOf(HasSubstr("bomb.png"), HasSubstr("too large")));
}

TEST(ImageLoaderTest, NeverCrashesOnCutOrCorruptedFiles) {
    // Each attempt must either load or throw tm2::Error.
    testing::TempDir dir;
    save(dir.file("s.png"), noise(16, 16, CV_8UC3));
    save(dir.file("s.jpg"), noise(16, 16, CV_8UC3));
    save(dir.file("s.bmp"), noise(16, 16, CV_8UC3));
    int attempts = 0;
    for (const char* name : {"s.png", "s.jpg", "s.bmp"}) {
        const std::string bytes = testing::readFileBytes(dir.file(name));
        const std::size_t stride = std::max<std::size_t>(1, bytes.size() / 30);
        for (std::size_t cut = 1; cut < bytes.size(); cut += stride) {
            testing::writeTextFile(dir.file("x.img"), bytes.substr(0, cut));
            try {
                loadImage(dir.file("x.img"), sized(8, 8, false));
            } catch (const Error&) {
            }
            ++attempts;
        }
        for (std::size_t pos = 0; pos < std::min<std::size_t>(bytes.size(), 120); pos += 3) {
            std::string corrupt = bytes;
            corrupt[pos] = static_cast<char>(corrupt[pos] ^ 0x5A);
            testing::writeTextFile(dir.file("x.img"), corrupt);
            try {
                loadImage(dir.file("x.img"), sized(8, 8, true));
            } catch (const Error&) {
            }
            ++attempts;
        }
    }
    EXPECT_GT(attempts, 100);
}

TEST(ImageLoaderTest, JsonRoundTripKeepsEveryField) {
    ImageConfig c;
    c.width = 32;
    c.height = 24;
    c.grayscale = false;
    c.mean = 0.45;
    c.std = 0.22;
    const auto back = nlohmann::json(c).get<ImageConfig>();
    EXPECT_EQ(back.width, 32);
    EXPECT_EQ(back.height, 24);
    EXPECT_FALSE(back.grayscale);
    EXPECT_EQ(back.mean, 0.45);
    EXPECT_EQ(back.std, 0.22);
    EXPECT_EQ(back.channels(), 3);
}

TEST(ImageLoaderTest, ValidationAndJsonErrorsNameTheField) {
    auto errorOf = [](const ImageConfig& c) -> std::string {
        try {
            c.validate();
        } catch (const Error& e) {
            return e.what();
        }
        return "no error";
    };
    ImageConfig c;
    c.width = 0;
    EXPECT_THAT(errorOf(c), HasSubstr("image.width"));
    c = ImageConfig{};
    c.height = -3;
    EXPECT_THAT(errorOf(c), HasSubstr("image.height"));
    c = ImageConfig{};
    c.std = 0.0;
    EXPECT_EQ(errorOf(c), "image.std must be > 0");
    EXPECT_EQ(errorOf(ImageConfig{}), "no error");
    try {
        nlohmann::json::parse(R"({"grayscale": "yes"})").get<ImageConfig>();
        FAIL() << "expected an error";
    } catch (const Error& e) {
        EXPECT_THAT(e.what(), HasSubstr("image.grayscale"));
    }
}

}  // namespace
}  // namespace tm2::data
