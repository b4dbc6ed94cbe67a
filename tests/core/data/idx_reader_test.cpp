#include "core/data/idx_reader.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <zlib.h>

#include <cstdint>
#include <fstream>
#include <functional>
#include <vector>

#include "core/base/error.h"
#include "tests/support/temp_dir.h"

namespace tm2::data {
namespace {

using ::testing::HasSubstr;
using Bytes = std::vector<std::uint8_t>;

void appendBigEndian32(Bytes& bytes, std::uint32_t value) {
    for (int shift = 24; shift >= 0; shift -= 8) bytes.push_back(static_cast<std::uint8_t>(value >> shift));
}

// An idx3-ubyte file of `count` images `rows` x `cols` whose pixel k is k % 251.
Bytes imagesFile(std::uint32_t count, std::uint32_t rows, std::uint32_t cols) {
    Bytes bytes;
    appendBigEndian32(bytes, 0x00000803);
    appendBigEndian32(bytes, count);
    appendBigEndian32(bytes, rows);
    appendBigEndian32(bytes, cols);
    for (std::uint32_t k = 0; k < count * rows * cols; ++k)
        bytes.push_back(static_cast<std::uint8_t>(k % 251));
    return bytes;
}

Bytes labelsFile(const Bytes& labels) {
    Bytes bytes;
    appendBigEndian32(bytes, 0x00000801);
    appendBigEndian32(bytes, static_cast<std::uint32_t>(labels.size()));
    bytes.insert(bytes.end(), labels.begin(), labels.end());
    return bytes;
}

void writeGzip(const std::string& path, const Bytes& bytes) {
    gzFile file = gzopen(path.c_str(), "wb");
    ASSERT_NE(file, nullptr);
    ASSERT_EQ(gzwrite(file, bytes.data(), static_cast<unsigned>(bytes.size())),
              static_cast<int>(bytes.size()));
    ASSERT_EQ(gzclose(file), Z_OK);
}

std::string errorOf(const std::function<void()>& call) {
    try {
        call();
    } catch (const Error& e) {
        return e.what();
    }
    return "(no error)";
}

TEST(IdxReaderTest, ReadsGzippedImagesInRowMajorOrder) {
    testing::TempDir dir;
    writeGzip(dir.file("img.gz"), imagesFile(3, 2, 4));
    const IdxImages images = readIdxImages(dir.file("img.gz"));
    EXPECT_EQ(images.count, 3);
    EXPECT_EQ(images.rows, 2);
    EXPECT_EQ(images.cols, 4);
    ASSERT_EQ(images.pixels.size(), 24u);
    // Image 2 starts at pixel 2 * 2 * 4 = 16; its row 1, column 3 is pixel 16 + 4 + 3 = 23.
    EXPECT_EQ(images.image(2)[4 + 3], 23);
}

TEST(IdxReaderTest, ReadsGzippedLabels) {
    testing::TempDir dir;
    writeGzip(dir.file("lab.gz"), labelsFile({9, 0, 4, 7}));
    EXPECT_EQ(readIdxLabels(dir.file("lab.gz")), (Bytes{9, 0, 4, 7}));
}

TEST(IdxReaderTest, ReadsUncompressedFilesToo) {
    testing::TempDir dir;
    const Bytes bytes = labelsFile({1, 2});
    std::ofstream(dir.file("lab"), std::ios::binary)
        .write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
    EXPECT_EQ(readIdxLabels(dir.file("lab")), (Bytes{1, 2}));
}

TEST(IdxReaderTest, RejectsWrongMagicNamingBothValues) {
    testing::TempDir dir;
    writeGzip(dir.file("lab.gz"), labelsFile({1, 2}));
    const std::string message = errorOf([&] { readIdxImages(dir.file("lab.gz")); });
    EXPECT_THAT(message, HasSubstr(dir.file("lab.gz")));
    EXPECT_THAT(message, HasSubstr("wrong magic number 0x00000801"));
    EXPECT_THAT(message, HasSubstr("expected 0x00000803"));
}

TEST(IdxReaderTest, RejectsTruncatedImageData) {
    testing::TempDir dir;
    Bytes bytes = imagesFile(2, 28, 28);
    bytes.resize(bytes.size() - 100);
    writeGzip(dir.file("img.gz"), bytes);
    const std::string message = errorOf([&] { readIdxImages(dir.file("img.gz")); });
    EXPECT_THAT(message, HasSubstr("truncated image data"));
    EXPECT_THAT(message, HasSubstr("expected 1568 bytes, found 1468"));
}

TEST(IdxReaderTest, RejectsTruncatedHeader) {
    testing::TempDir dir;
    writeGzip(dir.file("img.gz"), Bytes{0, 0, 8, 3, 0, 0});
    EXPECT_THAT(errorOf([&] { readIdxImages(dir.file("img.gz")); }), HasSubstr("truncated header"));
}

TEST(IdxReaderTest, RejectsZeroDimension) {
    testing::TempDir dir;
    writeGzip(dir.file("img.gz"), imagesFile(1, 0, 28));
    EXPECT_THAT(errorOf([&] { readIdxImages(dir.file("img.gz")); }),
                HasSubstr("dimension 1 has implausible size 0"));
}

TEST(IdxReaderTest, RejectsHugeDeclaredSizeBeforeAllocating) {
    testing::TempDir dir;
    Bytes bytes;
    appendBigEndian32(bytes, 0x00000803);
    for (int d = 0; d < 3; ++d) appendBigEndian32(bytes, 1u << 20);
    writeGzip(dir.file("img.gz"), bytes);
    EXPECT_THAT(errorOf([&] { readIdxImages(dir.file("img.gz")); }), HasSubstr("bytes of data"));
}

TEST(IdxReaderTest, RejectsTrailingBytes) {
    testing::TempDir dir;
    Bytes bytes = labelsFile({1, 2});
    bytes.push_back(3);
    writeGzip(dir.file("lab.gz"), bytes);
    EXPECT_THAT(errorOf([&] { readIdxLabels(dir.file("lab.gz")); }),
                HasSubstr("unexpected bytes after the data"));
}

TEST(IdxReaderTest, RejectsCorruptGzipStream) {
    testing::TempDir dir;
    // A gzip header (1f 8b, deflate) followed by bytes that are not a valid deflate stream.
    const Bytes bytes{0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
    std::ofstream(dir.file("bad.gz"), std::ios::binary)
        .write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
    EXPECT_THAT(errorOf([&] { readIdxLabels(dir.file("bad.gz")); }), HasSubstr(dir.file("bad.gz")));
}

TEST(IdxReaderTest, MissingFileNamesThePath) {
    testing::TempDir dir;
    EXPECT_THAT(errorOf([&] { readIdxLabels(dir.file("absent.gz")); }),
                HasSubstr(dir.file("absent.gz") + ": cannot open"));
}

}  // namespace
}  // namespace tm2::data
