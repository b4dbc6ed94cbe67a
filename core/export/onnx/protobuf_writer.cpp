#include "core/export/onnx/protobuf_writer.h"

#include <cstring>

namespace tm2::onnx {

void ProtoWriter::rawVarint(std::uint64_t value) {
    // Seven bits per byte, least significant group first, high bit = more follow.
    while (value >= 0x80) {
        data_.push_back(static_cast<char>((value & 0x7f) | 0x80));
        value >>= 7;
    }
    data_.push_back(static_cast<char>(value));
}

void ProtoWriter::tag(std::uint32_t field, std::uint32_t wire_type) {
    rawVarint((std::uint64_t{field} << 3) | wire_type);
}

void ProtoWriter::varint(std::uint32_t field, std::uint64_t value) {
    tag(field, 0);
    rawVarint(value);
}

void ProtoWriter::float32(std::uint32_t field, float value) {
    tag(field, 5);
    std::uint32_t bits = 0;
    std::memcpy(&bits, &value, sizeof bits);
    for (int i = 0; i < 4; ++i) data_.push_back(static_cast<char>((bits >> (8 * i)) & 0xff));
}

void ProtoWriter::bytes(std::uint32_t field, std::string_view value) {
    tag(field, 2);
    rawVarint(value.size());
    data_.append(value.data(), value.size());
}

void ProtoWriter::repeatedInt64(std::uint32_t field, const std::vector<std::int64_t>& values) {
    for (const std::int64_t v : values) int64(field, v);
}

}  // namespace tm2::onnx
