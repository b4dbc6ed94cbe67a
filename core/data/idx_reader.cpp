#include "core/data/idx_reader.h"

#include <zlib.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <memory>

#include "core/base/error.h"

namespace tm2::data {

namespace {

// Larger than any real IDX file (Fashion-MNIST train is 47 MB) yet small enough
// that a corrupt header cannot make us allocate gigabytes before noticing.
constexpr std::uint64_t kMaxPayloadBytes = std::uint64_t{1} << 30;
constexpr std::uint32_t kMaxDimension = 1u << 24;

struct GzCloser {
    void operator()(gzFile_s* file) const { gzclose(file); }
};
using GzFilePtr = std::unique_ptr<gzFile_s, GzCloser>;

class IdxFile {
public:
    explicit IdxFile(const std::string& path) : path_(path), file_(gzopen(path.c_str(), "rb")) {
        if (!file_) throw Error(path_ + ": cannot open IDX file");
    }

    // Reads exactly `size` bytes; `what` names the part for a truncation error,
    // which counts `before` bytes already read of `whole` (when reading in steps).
    void read(void* buffer, std::size_t size, const std::string& what, std::size_t before = 0,
              std::size_t whole = 0) {
        auto* out = static_cast<unsigned char*>(buffer);
        std::size_t got = 0;
        while (got < size) {
            // gzread takes an unsigned count; read in chunks well inside its range.
            const unsigned chunk = static_cast<unsigned>(std::min<std::size_t>(size - got, 1u << 24));
            const int n = gzread(file_.get(), out + got, chunk);
            if (n < 0) throw Error(path_ + ": cannot read " + what + " (" + zlibMessage() + ")");
            if (n == 0) break;
            got += static_cast<std::size_t>(n);
        }
        if (got < size)
            throw Error(path_ + ": truncated " + what + " (expected " + std::to_string(whole ? whole : size) +
                        " bytes, found " + std::to_string(before + got) + ")");
    }

    // Reads exactly `size` bytes into `out`, growing it as the bytes arrive: a
    // 16-byte header may claim a gigabyte, and the file must hold it before
    // it is allocated.
    void readGrowing(std::vector<std::uint8_t>& out, std::size_t size, const std::string& what) {
        constexpr std::size_t kStep = std::size_t{16} << 20;
        out.clear();
        while (out.size() < size) {
            const std::size_t have = out.size();
            const std::size_t step = std::min(size - have, kStep);
            out.resize(have + step);
            read(out.data() + have, step, what, have, size);
        }
    }

    std::uint32_t readBigEndian32(const std::string& what) {
        std::array<unsigned char, 4> b{};
        read(b.data(), b.size(), what);
        return (std::uint32_t{b[0]} << 24) | (std::uint32_t{b[1]} << 16) | (std::uint32_t{b[2]} << 8) | b[3];
    }

    void requireEnd() {
        unsigned char extra = 0;
        const int n = gzread(file_.get(), &extra, 1);
        if (n < 0) throw Error(path_ + ": cannot read (" + zlibMessage() + ")");
        if (n > 0)
            throw Error(path_ + ": unexpected bytes after the data (not an IDX file of the stated size)");
    }

    const std::string& path() const { return path_; }

private:
    std::string zlibMessage() {
        int code = 0;
        const char* message = gzerror(file_.get(), &code);
        return message && *message ? message : "zlib error " + std::to_string(code);
    }

    std::string path_;
    GzFilePtr file_;
};

std::string hex32(std::uint32_t value) {
    char text[16];
    std::snprintf(text, sizeof text, "0x%08x", value);
    return text;
}

// Reads the magic and the dimension sizes; returns the sizes.
std::vector<std::uint32_t> readHeader(IdxFile& file, std::uint32_t expected_magic, const char* kind) {
    const std::uint32_t magic = file.readBigEndian32("header");
    if (magic != expected_magic)
        throw Error(file.path() + ": wrong magic number " + hex32(magic) + " (expected " +
                    hex32(expected_magic) + " for " + kind + ")");
    const std::uint32_t dims = expected_magic & 0xffu;
    std::vector<std::uint32_t> sizes;
    std::uint64_t payload = 1;
    for (std::uint32_t d = 0; d < dims; ++d) {
        const std::uint32_t size = file.readBigEndian32("header");
        if (size == 0 || size > kMaxDimension)
            throw Error(file.path() + ": dimension " + std::to_string(d) + " has implausible size " +
                        std::to_string(size));
        payload *= size;
        if (payload > kMaxPayloadBytes)
            throw Error(file.path() + ": header declares more than " + std::to_string(kMaxPayloadBytes) +
                        " bytes of data");
        sizes.push_back(size);
    }
    return sizes;
}

}  // namespace

IdxImages readIdxImages(const std::string& path) {
    IdxFile file(path);
    const auto sizes = readHeader(file, 0x00000803u, "idx3-ubyte images");
    IdxImages images;
    images.count = static_cast<int>(sizes[0]);
    images.rows = static_cast<int>(sizes[1]);
    images.cols = static_cast<int>(sizes[2]);
    file.readGrowing(images.pixels, static_cast<std::size_t>(sizes[0]) * sizes[1] * sizes[2], "image data");
    file.requireEnd();
    return images;
}

std::vector<std::uint8_t> readIdxLabels(const std::string& path) {
    IdxFile file(path);
    const auto sizes = readHeader(file, 0x00000801u, "idx1-ubyte labels");
    std::vector<std::uint8_t> labels;
    file.readGrowing(labels, sizes[0], "label data");
    file.requireEnd();
    return labels;
}

}  // namespace tm2::data
