#pragma once
// Reader for the IDX files MNIST and Fashion-MNIST ship in (optionally gzipped;
// zlib reads plain files transparently). Format: big-endian magic 0x0000TTDD
// (TT = 0x08 unsigned byte, DD = dimension count), one 32-bit big-endian size
// per dimension, then the data in row-major order.

#include <cstdint>
#include <string>
#include <vector>

namespace tm2::data {

struct IdxImages {
    int count = 0;
    int rows = 0;
    int cols = 0;
    std::vector<std::uint8_t> pixels;  // count * rows * cols, image-major

    const std::uint8_t* image(int index) const {
        return pixels.data() + static_cast<std::size_t>(index) * rows * cols;
    }
};

// An idx3-ubyte file (magic 0x00000803). Throws tm2::Error naming the path and
// the fault: unreadable, wrong magic, zero or implausible dimensions, truncated
// data, trailing bytes.
IdxImages readIdxImages(const std::string& path);

// An idx1-ubyte file (magic 0x00000801); same checks as readIdxImages.
std::vector<std::uint8_t> readIdxLabels(const std::string& path);

}  // namespace tm2::data
