#include "core/base/npy.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <iterator>
#include <limits>
#include <string>

#include "core/base/error.h"
#include "tests/support/allocation_meter.h"  // this program's operator new
#include "tests/support/temp_dir.h"

namespace tm2 {
namespace {

using ::testing::HasSubstr;

// A .npy file with a hand-written header dict (padded to 64 bytes like NumPy does).
std::string npyWithHeader(std::string dict, const std::string& data) {
    const std::size_t unpadded = 10 + dict.size() + 1;
    dict.append((unpadded + 63) / 64 * 64 - unpadded, ' ');
    dict += '\n';
    std::string bytes("\x93NUMPY\x01\x00", 8);
    bytes += static_cast<char>(dict.size() & 0xFF);
    bytes += static_cast<char>(dict.size() >> 8);
    return bytes + dict + data;
}

std::string errorOf(const std::string& path) {
    try {
        readNpy(path);
    } catch (const Error& e) {
        return e.what();
    }
    return "no error";
}

Tensor sampleTensor() {
    Tensor t({2, 3, 4});
    for (std::size_t i = 0; i < t.size(); ++i) t.values[i] = static_cast<float>(i) * 0.1f - 1.0f;
    t.values[5] = std::numeric_limits<float>::denorm_min();
    t.values[6] = -std::numeric_limits<float>::max();
    return t;
}

TEST(NpyTest, RoundTripsValuesAndShapeExactly) {
    testing::TempDir dir;
    const Tensor t = sampleTensor();
    writeNpy(dir.file("t.npy"), t);
    const Tensor back = readNpy(dir.file("t.npy"));
    EXPECT_EQ(back.shape, t.shape);
    ASSERT_EQ(back.values.size(), t.values.size());
    for (std::size_t i = 0; i < t.size(); ++i) EXPECT_EQ(back.values[i], t.values[i]) << "index " << i;
}

TEST(NpyTest, RoundTripsRankOneRankZeroAndEmptyTensors) {
    testing::TempDir dir;
    for (const auto& shape :
         {std::vector<std::size_t>{5}, std::vector<std::size_t>{}, std::vector<std::size_t>{0, 3}}) {
        Tensor t(shape, 2.5f);
        writeNpy(dir.file("t.npy"), t);
        const Tensor back = readNpy(dir.file("t.npy"));
        EXPECT_EQ(back.shape, shape);
        EXPECT_EQ(back.values, t.values);
    }
}

TEST(NpyTest, HeaderStartsWithMagicAndIsPaddedToSixtyFourBytes) {
    testing::TempDir dir;
    writeNpy(dir.file("t.npy"), sampleTensor());
    const std::string bytes = testing::readFileBytes(dir.file("t.npy"));
    ASSERT_GE(bytes.size(), 10u);
    EXPECT_EQ(bytes.substr(0, 8), std::string("\x93NUMPY\x01\x00", 8));
    const std::size_t header_len = static_cast<unsigned char>(bytes[8]) |
                                   (static_cast<std::size_t>(static_cast<unsigned char>(bytes[9])) << 8);
    const std::size_t data_start = 10 + header_len;
    EXPECT_EQ(data_start % 64, 0u);
    EXPECT_EQ(bytes[data_start - 1], '\n');
    EXPECT_EQ(bytes.size() - data_start, 24u * 4u);
    EXPECT_THAT(bytes.substr(10, header_len),
                HasSubstr("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3, 4), }"));
}

TEST(NpyTest, WritesLittleEndianFloat32) {
    testing::TempDir dir;
    Tensor t({1});
    t.values[0] = 1.0f;  // IEEE-754 0x3F800000, stored low byte first
    writeNpy(dir.file("one.npy"), t);
    const std::string bytes = testing::readFileBytes(dir.file("one.npy"));
    EXPECT_EQ(bytes.substr(bytes.size() - 4), std::string("\x00\x00\x80\x3F", 4));
}

TEST(NpyTest, ReadsHeaderWrittenByNumpy) {
    // Header text exactly as np.save(np.arange(6, dtype='<f4').reshape(2, 3)) writes it (NumPy 1.24).
    testing::TempDir dir;
    std::string data;
    for (int i = 0; i < 6; ++i) {
        float f = static_cast<float>(i);
        data.append(reinterpret_cast<const char*>(&f), 4);
    }
    testing::writeTextFile(dir.file("np.npy"),
               npyWithHeader("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", data));
    const Tensor t = readNpy(dir.file("np.npy"));
    EXPECT_EQ(t.shape, (std::vector<std::size_t>{2, 3}));
    EXPECT_EQ(t.at(1, 2), 5.0f);
}

TEST(NpyTest, RejectsTruncatedData) {
    testing::TempDir dir;
    writeNpy(dir.file("t.npy"), sampleTensor());
    const std::string bytes = testing::readFileBytes(dir.file("t.npy"));
    testing::writeTextFile(dir.file("cut.npy"), bytes.substr(0, bytes.size() - 3));
    const std::string err = errorOf(dir.file("cut.npy"));
    EXPECT_THAT(err, HasSubstr("cut.npy"));
    EXPECT_THAT(err, HasSubstr("truncated"));
}

TEST(NpyTest, RejectsTruncatedHeader) {
    testing::TempDir dir;
    writeNpy(dir.file("t.npy"), sampleTensor());
    testing::writeTextFile(dir.file("cut.npy"), testing::readFileBytes(dir.file("t.npy")).substr(0, 40));
    EXPECT_THAT(errorOf(dir.file("cut.npy")), HasSubstr("truncated .npy header"));
    testing::writeTextFile(dir.file("tiny.npy"), std::string("\x93NUM", 4));
    EXPECT_THAT(errorOf(dir.file("tiny.npy")), HasSubstr("not a .npy file"));
}

TEST(NpyTest, RejectsOtherDtypesAndFortranOrder) {
    testing::TempDir dir;
    testing::writeTextFile(dir.file("f8.npy"), npyWithHeader("{'descr': '<f8', 'fortran_order': False, 'shape': (1,), }",
                                                 std::string(8, '\0')));
    EXPECT_THAT(errorOf(dir.file("f8.npy")), HasSubstr("unsupported dtype '<f8'"));
    testing::writeTextFile(dir.file("be.npy"), npyWithHeader("{'descr': '>f4', 'fortran_order': False, 'shape': (1,), }",
                                                 std::string(4, '\0')));
    EXPECT_THAT(errorOf(dir.file("be.npy")), HasSubstr("unsupported dtype '>f4'"));
    testing::writeTextFile(dir.file("fo.npy"), npyWithHeader("{'descr': '<f4', 'fortran_order': True, 'shape': (1,), }",
                                                 std::string(4, '\0')));
    EXPECT_THAT(errorOf(dir.file("fo.npy")), HasSubstr("Fortran-order"));
}

TEST(NpyTest, RejectsMalformedHeadersWithoutReadingOutOfBounds) {
    testing::TempDir dir;
    const std::string four(4, '\0');
    for (const std::string& dict : {
             std::string("{'descr': '<f4', 'fortran_order': False, }"),                       // no shape
             std::string("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), 'x': 1}"),  // extra key
             std::string("{'descr': '<f4', 'fortran_order': Fals"),                           // cut inside
             std::string("{'descr': '<f4, 'fortran_order': False, 'shape': (1,), }"),         // bad quote
             std::string("{'descr': '<f4', 'fortran_order': False, 'shape': (-1,), }"),       // negative
             std::string("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), } junk"),   // trailing
             std::string("{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999999999999,), }"),
         }) {
        testing::writeTextFile(dir.file("bad.npy"), npyWithHeader(dict, four));
        EXPECT_THAT(errorOf(dir.file("bad.npy")), HasSubstr("malformed .npy header")) << dict;
    }
}

TEST(NpyTest, RejectsShapesWhoseProductWouldOverflow) {
    // 2^32 * 2^32 wraps to 0 in 64-bit arithmetic; a naive reader would accept it as empty.
    testing::TempDir dir;
    testing::writeTextFile(dir.file("huge.npy"),
               npyWithHeader("{'descr': '<f4', 'fortran_order': False, 'shape': (4294967296, 4294967296), }",
                             std::string(4, '\0')));
    EXPECT_THAT(errorOf(dir.file("huge.npy")), HasSubstr("truncated .npy data"));
}

TEST(NpyTest, AClaimedShapeBeyondTheBytesPresentIsRefusedBeforeAllocatingIt) {
    // (1000000000,) float32 claims 4 GB; the file holds 16 bytes of data.
    testing::TempDir dir;
    testing::writeTextFile(dir.file("claims.npy"),
                           npyWithHeader("{'descr': '<f4', 'fortran_order': False, 'shape': (1000000000,), }",
                                         std::string(16, '\0')));
    std::string err;
    std::size_t peak = 0;
    {
        ::testing::AllocationMeter meter(std::size_t{64} << 20);
        err = errorOf(dir.file("claims.npy"));
        peak = meter.peak();
    }
    EXPECT_THAT(err, HasSubstr("shape (1000000000,) needs more than the 16 bytes present"));
    if (TM2_ALLOCATION_METER) {
        EXPECT_LT(peak, std::size_t{64} * 1024);
    }
}

TEST(NpyTest, DevicesAndFoldersAreRefusedInsteadOfReadWithoutEnd) {
    // /dev/zero never ends: read to its end it fills memory with zeros (the meter's
    // limit turns that into std::bad_alloc here).
    std::string err;
    {
        ::testing::AllocationMeter meter(std::size_t{64} << 20);
        try {
            err = errorOf("/dev/zero");
        } catch (const std::bad_alloc&) {
            err = "std::bad_alloc";
        }
    }
    EXPECT_THAT(err, HasSubstr("/dev/zero: cannot read"));
    testing::TempDir dir;
    EXPECT_THAT(errorOf(dir.path().string()), HasSubstr("cannot"));
}

TEST(NpyTest, RejectsTrailingBytesAndWrongVersion) {
    testing::TempDir dir;
    writeNpy(dir.file("t.npy"), sampleTensor());
    std::string bytes = testing::readFileBytes(dir.file("t.npy"));
    testing::writeTextFile(dir.file("long.npy"), bytes + "xx");
    EXPECT_THAT(errorOf(dir.file("long.npy")), HasSubstr("needs 96"));
    bytes[6] = '\x03';
    testing::writeTextFile(dir.file("v3.npy"), bytes);
    EXPECT_THAT(errorOf(dir.file("v3.npy")), HasSubstr("version 3.0"));
}

TEST(NpyTest, MissingFileNamesThePath) {
    testing::TempDir dir;
    EXPECT_THAT(errorOf(dir.file("absent.npy")), HasSubstr("absent.npy: cannot open"));
}

TEST(CsvTest, WritesRowsWithFullFloatPrecision) {
    testing::TempDir dir;
    Tensor t({2, 2});
    t.values = {0.1f, -2.0f, 1.0f / 3.0f, 16777216.0f};
    writeCsv(dir.file("t.csv"), t);
    const std::string text = testing::readFileBytes(dir.file("t.csv"));
    // max_digits10 (9) significant digits so every float parses back to itself.
    EXPECT_EQ(text, "0.100000001,-2\n0.333333343,16777216\n");
    EXPECT_EQ(std::stof("0.333333343"), t.values[2]);
}

TEST(CsvTest, RejectsTensorsThatAreNotRankTwo) {
    testing::TempDir dir;
    EXPECT_THROW(writeCsv(dir.file("t.csv"), Tensor({2, 2, 2})), Error);
}

}  // namespace
}  // namespace tm2
