#pragma once
// Little-endian encoding for the .tmn format. ByteReader never reads past its
// end: every read checks the bytes left and throws tm2::Error naming the field.

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "core/base/error.h"

namespace tm2::runtime {

class ByteWriter {
public:
    void u8(std::uint8_t v) { bytes_.push_back(v); }
    void u32(std::uint32_t v) {
        for (int i = 0; i < 4; ++i) bytes_.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
    }
    void i32(std::int32_t v) { u32(static_cast<std::uint32_t>(v)); }
    void u64(std::uint64_t v) {
        for (int i = 0; i < 8; ++i) bytes_.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
    }
    void f32(float v) {
        std::uint32_t bits = 0;
        std::memcpy(&bits, &v, 4);
        u32(bits);
    }
    void str(const std::string& s) {
        u32(static_cast<std::uint32_t>(s.size()));
        bytes_.insert(bytes_.end(), s.begin(), s.end());
    }
    void raw(const void* data, std::size_t n) {
        const auto* p = static_cast<const std::uint8_t*>(data);
        bytes_.insert(bytes_.end(), p, p + n);
    }
    std::size_t size() const { return bytes_.size(); }
    std::vector<std::uint8_t>& bytes() { return bytes_; }

private:
    std::vector<std::uint8_t> bytes_;
};

class ByteReader {
public:
    ByteReader(const std::uint8_t* data, std::size_t size, std::string where)
        : data_(data), size_(size), where_(std::move(where)) {}

    const std::uint8_t* take(std::size_t n, const char* field) {
        if (n > size_ - pos_)
            throw Error(where_ + ": truncated at byte " + std::to_string(pos_) + " reading " + field + " (" +
                        std::to_string(n) + " bytes wanted, " + std::to_string(size_ - pos_) + " left)");
        const std::uint8_t* p = data_ + pos_;
        pos_ += n;
        return p;
    }
    std::uint8_t u8(const char* field) { return *take(1, field); }
    std::uint32_t u32(const char* field) {
        const std::uint8_t* p = take(4, field);
        return std::uint32_t{p[0]} | std::uint32_t{p[1]} << 8 | std::uint32_t{p[2]} << 16 | std::uint32_t{p[3]} << 24;
    }
    std::int32_t i32(const char* field) { return static_cast<std::int32_t>(u32(field)); }
    std::uint64_t u64(const char* field) {
        const std::uint64_t lo = u32(field);
        return lo | std::uint64_t{u32(field)} << 32;
    }
    float f32(const char* field) {
        const std::uint32_t bits = u32(field);
        float v = 0;
        std::memcpy(&v, &bits, 4);
        return v;
    }
    std::string str(const char* field) {
        const std::uint32_t n = u32(field);
        const std::uint8_t* p = take(n, field);
        return std::string(reinterpret_cast<const char*>(p), n);
    }
    // A count of items each at least `min_item_bytes` long: rejects counts the
    // remaining bytes cannot hold before anything is allocated for them.
    std::uint32_t count(const char* field, std::size_t min_item_bytes) {
        const std::uint32_t n = u32(field);
        if (min_item_bytes > 0 && n > (size_ - pos_) / min_item_bytes)
            throw Error(where_ + ": " + field + " " + std::to_string(n) + " does not fit in the " +
                        std::to_string(size_ - pos_) + " bytes left");
        return n;
    }
    std::size_t position() const { return pos_; }
    std::size_t left() const { return size_ - pos_; }
    const std::string& where() const { return where_; }

private:
    const std::uint8_t* data_;
    std::size_t size_;
    std::size_t pos_ = 0;
    std::string where_;
};

}  // namespace tm2::runtime
