#include "core/base/npy.h"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <limits>
#include <locale>
#include <sstream>
#include <vector>

#include "core/base/atomic_write.h"
#include "core/base/error.h"

namespace tm2 {

namespace {

// NumPy's format spec: magic, major, minor, u16 little-endian header length.
constexpr char kMagic[] = "\x93NUMPY";
constexpr std::size_t kMagicSize = 6;
constexpr std::size_t kPreludeSize = kMagicSize + 2 + 2;
// Header (prelude + dict + padding + '\n') is padded to this for aligned mmap.
constexpr std::size_t kHeaderAlign = 64;

std::string shapeTuple(const std::vector<std::size_t>& shape) {
    std::string s = "(";
    for (std::size_t i = 0; i < shape.size(); ++i) {
        if (i > 0) s += ", ";
        s += std::to_string(shape[i]);
    }
    if (shape.size() == 1) s += ",";  // Python's one-element tuple
    return s + ")";
}

// A parser for exactly the dict literal np.save writes:
// {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }
class HeaderParser {
public:
    HeaderParser(const std::string& text, const std::string& path) : text_(text), path_(path) {}

    void parse(std::string& descr, bool& fortran, std::vector<std::size_t>& shape) {
        bool have_descr = false, have_fortran = false, have_shape = false;
        expect('{');
        while (true) {
            skipSpace();
            if (peek() == '}') break;
            const std::string key = quoted();
            expect(':');
            if (key == "descr" && !have_descr) {
                descr = quoted();
                have_descr = true;
            } else if (key == "fortran_order" && !have_fortran) {
                fortran = boolean();
                have_fortran = true;
            } else if (key == "shape" && !have_shape) {
                shape = tuple();
                have_shape = true;
            } else {
                fail("unexpected or repeated key '" + key + "'");
            }
            skipSpace();
            if (peek() == ',') {
                ++pos_;
                continue;
            }
            skipSpace();
            if (peek() != '}') fail("expected ',' or '}'");
        }
        ++pos_;
        skipSpace();
        if (pos_ != text_.size()) fail("trailing characters after the header dict");
        if (!have_descr || !have_fortran || !have_shape)
            fail("header must have 'descr', 'fortran_order' and 'shape'");
    }

private:
    [[noreturn]] void fail(const std::string& why) const {
        throw Error(path_ + ": malformed .npy header (" + why + ")");
    }
    char peek() const { return pos_ < text_.size() ? text_[pos_] : '\0'; }
    void skipSpace() {
        while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\n')) ++pos_;
    }
    void expect(char c) {
        skipSpace();
        if (peek() != c) fail(std::string("expected '") + c + "'");
        ++pos_;
    }
    std::string quoted() {
        skipSpace();
        const char q = peek();
        if (q != '\'' && q != '"') fail("expected a quoted string");
        const std::size_t end = text_.find(q, pos_ + 1);
        if (end == std::string::npos) fail("unterminated string");
        std::string s = text_.substr(pos_ + 1, end - pos_ - 1);
        pos_ = end + 1;
        return s;
    }
    bool boolean() {
        skipSpace();
        if (text_.compare(pos_, 4, "True") == 0) {
            pos_ += 4;
            return true;
        }
        if (text_.compare(pos_, 5, "False") == 0) {
            pos_ += 5;
            return false;
        }
        fail("expected True or False");
    }
    std::vector<std::size_t> tuple() {
        std::vector<std::size_t> dims;
        expect('(');
        while (true) {
            skipSpace();
            if (peek() == ')') break;
            if (!std::isdigit(static_cast<unsigned char>(peek()))) fail("expected a dimension");
            std::size_t d = 0;
            while (std::isdigit(static_cast<unsigned char>(peek()))) {
                const std::size_t digit = static_cast<std::size_t>(peek() - '0');
                if (d > (std::numeric_limits<std::size_t>::max() - digit) / 10) fail("dimension too large");
                d = d * 10 + digit;
                ++pos_;
            }
            dims.push_back(d);
            skipSpace();
            if (peek() == ',') {
                ++pos_;
                continue;
            }
            if (peek() != ')') fail("expected ',' or ')' in shape");
        }
        ++pos_;
        return dims;
    }

    const std::string& text_;
    const std::string& path_;
    std::size_t pos_ = 0;
};

}  // namespace

void writeNpy(const std::string& path, const Tensor& tensor, FileSync sync) {
    if (tensor.values.size() != elementCount(tensor.shape))
        throw Error(path + ": tensor has " + std::to_string(tensor.values.size()) +
                    " values but its shape needs " + std::to_string(elementCount(tensor.shape)));
    std::string dict =
        "{'descr': '<f4', 'fortran_order': False, 'shape': " + shapeTuple(tensor.shape) + ", }";
    const std::size_t unpadded = kPreludeSize + dict.size() + 1;  // +1 for the closing '\n'
    const std::size_t total = (unpadded + kHeaderAlign - 1) / kHeaderAlign * kHeaderAlign;
    const std::size_t header_len = total - kPreludeSize;
    if (header_len > 0xFFFF) throw Error(path + ": tensor rank too large for .npy format 1.0");
    dict.append(total - unpadded, ' ');
    dict += '\n';

    std::string bytes(kMagic, kMagicSize);
    bytes += '\x01';
    bytes += '\x00';
    bytes += static_cast<char>(header_len & 0xFF);
    bytes += static_cast<char>((header_len >> 8) & 0xFF);
    bytes += dict;
    bytes.reserve(bytes.size() + tensor.values.size() * 4);
    for (float v : tensor.values) {
        std::uint32_t u;
        std::memcpy(&u, &v, 4);
        for (int b = 0; b < 4; ++b) bytes += static_cast<char>((u >> (8 * b)) & 0xFF);
    }
    writeFileAtomically(path, bytes, sync);
}

namespace {

// Opens `path` and returns its size; a device (/dev/zero) or folder must not pass for a
// file whose size then drives reading (a folder reports 2^63 − 1 bytes), and no feature
// file comes near 4 GiB.
std::uint64_t openedFileSize(std::ifstream& in, const std::string& path) {
    if (!in) throw Error(path + ": cannot open");
    in.seekg(0, std::ios::end);
    const std::streamoff size = in.tellg();
    if (size < 0 || size > (std::streamoff{1} << 32) || !in.seekg(0))
        throw Error(path + ": cannot read (not a regular file, or larger than 4 GiB)");
    return static_cast<std::uint64_t>(size);
}

// The prelude's header length; `prelude` holds at least kPreludeSize bytes of a `file_size`-byte file.
std::size_t headerLength(const std::string& prelude, std::uint64_t file_size, const std::string& path) {
    if (file_size < kPreludeSize || prelude.size() < kPreludeSize ||
        prelude.compare(0, kMagicSize, kMagic, kMagicSize) != 0)
        throw Error(path + ": not a .npy file (missing \\x93NUMPY magic)");
    const auto major = static_cast<unsigned char>(prelude[6]);
    const auto minor = static_cast<unsigned char>(prelude[7]);
    if (major != 1 || minor != 0)
        throw Error(path + ": unsupported .npy format version " + std::to_string(major) + "." +
                    std::to_string(minor) + " (only 1.0)");
    const std::size_t header_len = static_cast<unsigned char>(prelude[8]) |
                                   (static_cast<std::size_t>(static_cast<unsigned char>(prelude[9])) << 8);
    if (file_size - kPreludeSize < header_len)
        throw Error(path + ": truncated .npy header (needs " + std::to_string(header_len) + " bytes)");
    return header_len;
}

// Parses the header dict and checks the data size, so a hostile shape never drives allocation:
// the file must hold exactly the shape's count of float32 values after the header.
NpyLayout layoutOf(const std::string& header, std::size_t header_len, std::uint64_t file_size,
                   const std::string& path) {
    std::string descr;
    bool fortran = false;
    NpyLayout layout;
    HeaderParser(header, path).parse(descr, fortran, layout.shape);
    if (descr != "<f4") throw Error(path + ": unsupported dtype '" + descr + "' (only '<f4' float32)");
    if (fortran) throw Error(path + ": Fortran-order arrays are not supported (only C order)");
    layout.data_offset = kPreludeSize + header_len;
    const std::uint64_t data_bytes = file_size - layout.data_offset;
    // Multiply with an overflow check: a hostile shape must not wrap to a small count.
    bool too_large = false;
    std::uint64_t count = 1;
    for (std::size_t d : layout.shape) {
        if (d == 0) {
            count = 0;
            too_large = false;
            break;
        }
        if (count > data_bytes / 4 / d)
            too_large = true;
        else
            count *= d;
    }
    if (too_large || count * 4 > data_bytes)
        throw Error(path + ": truncated .npy data (shape " + shapeTuple(layout.shape) +
                    " needs more than the " + std::to_string(data_bytes) + " bytes present)");
    if (count * 4 != data_bytes)
        throw Error(path + ": .npy data has " + std::to_string(data_bytes) + " bytes but shape " +
                    shapeTuple(layout.shape) + " needs " + std::to_string(count * 4));
    layout.count = static_cast<std::size_t>(count);
    return layout;
}

void decodeFloats(const unsigned char* p, std::size_t count, float* out) {
    for (std::size_t i = 0; i < count; ++i, p += 4) {
        const std::uint32_t u = p[0] | (static_cast<std::uint32_t>(p[1]) << 8) |
                                (static_cast<std::uint32_t>(p[2]) << 16) |
                                (static_cast<std::uint32_t>(p[3]) << 24);
        std::memcpy(&out[i], &u, 4);
    }
}

}  // namespace

Tensor readNpy(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    const std::uint64_t size = openedFileSize(in, path);
    std::string bytes(static_cast<std::size_t>(size), '\0');
    if (!in.read(bytes.data(), static_cast<std::streamsize>(size)) ||
        in.peek() != std::char_traits<char>::eof())
        throw Error(path + ": cannot read (not a regular file, or it changed while read)");
    const std::size_t header_len = headerLength(bytes, bytes.size(), path);
    const NpyLayout layout = layoutOf(bytes.substr(kPreludeSize, header_len), header_len, bytes.size(), path);
    Tensor t;
    t.shape = layout.shape;
    t.values.resize(layout.count);
    decodeFloats(reinterpret_cast<const unsigned char*>(bytes.data() + layout.data_offset), layout.count,
                 t.values.data());
    return t;
}

NpyLayout readNpyLayout(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    const std::uint64_t size = openedFileSize(in, path);
    std::string prelude(kPreludeSize, '\0');
    if (size >= kPreludeSize && !in.read(prelude.data(), kPreludeSize))
        throw Error(path + ": cannot read (it changed while read)");
    const std::size_t header_len = headerLength(prelude, size, path);  // ≤ 65535, checked against the size
    std::string header(header_len, '\0');
    if (!in.read(header.data(), static_cast<std::streamsize>(header_len)))
        throw Error(path + ": cannot read (it changed while read)");
    return layoutOf(header, header_len, size, path);
}

void readNpyValues(const std::string& path, std::uint64_t offset, std::size_t count, float* out) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Error(path + ": cannot open (the feature cache changed; run again to re-extract)");
    // Read in blocks: the caller's buffer is sized by the layout, never by the file.
    constexpr std::size_t kBlock = 1 << 14;  // floats per read
    std::vector<unsigned char> bytes(std::min(count, kBlock) * 4);
    in.seekg(static_cast<std::streamoff>(offset));
    for (std::size_t done = 0; done < count;) {
        const std::size_t n = std::min(kBlock, count - done);
        if (!in.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(n * 4)))
            throw Error(path + ": shorter than its .npy header says (the feature cache changed; run again)");
        decodeFloats(bytes.data(), n, out + done);
        done += n;
    }
}

void writeCsv(const std::string& path, const Tensor& tensor) {
    if (tensor.rank() != 2)
        throw Error(path + ": CSV output needs a rank-2 tensor, got rank " + std::to_string(tensor.rank()));
    if (tensor.values.size() != elementCount(tensor.shape))
        throw Error(path + ": tensor values do not match its shape");
    std::ostringstream out;
    out.imbue(std::locale::classic());  // '.' decimal point whatever the user's locale
    out.precision(std::numeric_limits<float>::max_digits10);
    for (std::size_t r = 0; r < tensor.shape[0]; ++r) {
        for (std::size_t c = 0; c < tensor.shape[1]; ++c) {
            if (c > 0) out << ',';
            out << tensor.at(r, c);
        }
        out << '\n';
    }
    writeFileAtomically(path, out.str());
}

}  // namespace tm2
