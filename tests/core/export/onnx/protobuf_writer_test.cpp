// The wire format against the encodings spelled out in protobuf's encoding guide
// (protobuf.dev/programming-guides/encoding): field 1 = 150 is 08 96 01, etc.

#include "core/export/onnx/protobuf_writer.h"

#include <gtest/gtest.h>

#include <string>

namespace {

using tm2::onnx::ProtoWriter;

std::string hex(const std::string& bytes) {
    static const char* digits = "0123456789abcdef";
    std::string out;
    for (const unsigned char b : bytes) {
        if (!out.empty()) out += ' ';
        out += digits[b >> 4];
        out += digits[b & 15];
    }
    return out;
}

TEST(ProtoWriter, VarintFieldMatchesTheGuidesExample) {
    ProtoWriter w;
    w.varint(1, 150);  // tag (1 << 3 | 0) = 08; 150 = 0b1_0010110 → 96 01
    EXPECT_EQ(hex(w.data()), "08 96 01");
}

TEST(ProtoWriter, NegativeInt64TakesTenBytes) {
    ProtoWriter w;
    w.int64(1, -1);  // two's complement: 64 one bits → nine 0xff groups of 7, then 01
    EXPECT_EQ(hex(w.data()), "08 ff ff ff ff ff ff ff ff ff 01");
}

TEST(ProtoWriter, StringFieldIsLengthDelimited) {
    ProtoWriter w;
    w.bytes(2, "testing");  // tag (2 << 3 | 2) = 12, length 07, then the bytes
    EXPECT_EQ(hex(w.data()), "12 07 74 65 73 74 69 6e 67");
}

TEST(ProtoWriter, FloatIsLittleEndianFixed32) {
    ProtoWriter w;
    w.float32(2, 1.0f);  // tag (2 << 3 | 5) = 15; 1.0f = 0x3f800000
    EXPECT_EQ(hex(w.data()), "15 00 00 80 3f");
}

TEST(ProtoWriter, NestedMessageIsItsBytesLengthDelimited) {
    ProtoWriter inner;
    inner.varint(1, 150);
    ProtoWriter outer;
    outer.message(3, inner);  // the guide's Test3 { Test1 c = 3; }: 1a 03 08 96 01
    EXPECT_EQ(hex(outer.data()), "1a 03 08 96 01");
}

TEST(ProtoWriter, RepeatedInt64WritesOneTagPerValue) {
    ProtoWriter w;
    w.repeatedInt64(4, {3, 270});  // tag 20 each; 270 = 0b10_0001110 → 8e 02
    EXPECT_EQ(hex(w.data()), "20 03 20 8e 02");
}

}  // namespace
