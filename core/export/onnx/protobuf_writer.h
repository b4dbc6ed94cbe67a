#pragma once
// The protocol-buffers wire format, writing side only: enough to emit an ONNX
// ModelProto without libprotobuf or generated code (an ONNX file is one
// serialized message). Field numbers are the caller's (onnx_writer.cpp quotes
// onnx.proto for each); encodings follow protobuf.dev/programming-guides/encoding:
// varints, little-endian fixed32, length-delimited bytes and nested messages,
// packed repeated scalars.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace tm2::onnx {

class ProtoWriter {
public:
    // int32/int64/uint64/enum/bool fields (wire type 0). Negative values take ten
    // bytes, as protobuf encodes a negative int64 (two's complement as uint64).
    void varint(std::uint32_t field, std::uint64_t value);
    void int64(std::uint32_t field, std::int64_t value) { varint(field, static_cast<std::uint64_t>(value)); }
    void float32(std::uint32_t field, float value);           // wire type 5
    void bytes(std::uint32_t field, std::string_view value);  // strings and raw bytes (wire type 2)
    void message(std::uint32_t field, const ProtoWriter& nested) { bytes(field, nested.data()); }
    // A repeated int64 field, one tag per value: onnx.proto is proto2, where repeated
    // scalars are unpacked unless marked (parsers accept both; this is the plain form).
    void repeatedInt64(std::uint32_t field, const std::vector<std::int64_t>& values);

    const std::string& data() const { return data_; }

private:
    void tag(std::uint32_t field, std::uint32_t wire_type);
    void rawVarint(std::uint64_t value);
    std::string data_;
};

}  // namespace tm2::onnx
