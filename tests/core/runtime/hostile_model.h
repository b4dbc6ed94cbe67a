#pragma once
// .tmn files the exporter never writes, for the reader's memory tests: a chain of
// fully connected layers whose arrays all point at the same bytes of one blob.
//   fcChain(n, width)      the graph: width uint8 features → n − 1 uint8 layers → width int32 logits
//   encodeWithRefs(...)    the bytes of that graph with a given blob and per-op array references

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "core/runtime/byte_io.h"
#include "core/runtime/crc32.h"
#include "core/runtime/model_format.h"

namespace tm2::runtime::fixtures {

// Each op i reads tensor i and writes tensor i + 1 (width values); arrays are left empty.
inline Model fcChain(std::uint32_t ops, std::uint32_t width) {
    Model m;
    for (std::uint32_t i = 0; i <= ops; ++i)
        m.tensors.push_back({"t" + std::to_string(i), i == ops ? DataType::Int32 : DataType::UInt8, width, 1,
                             1, i == ops ? 1.0f : 0.5f, 0, static_cast<std::uint8_t>(i == ops ? 32 : 8)});
    m.inputs = {{"audio", 0}};
    m.output = ops;
    for (std::uint32_t i = 0; i < ops; ++i) {
        Op op;
        op.type = OpType::FullyConnected;
        op.name = "fc" + std::to_string(i);
        op.inputs = {{i}};
        op.output = i + 1;
        m.ops.push_back(op);
    }
    return m;
}

// Offset and element count of one array in the blob.
struct ArrayRef {
    std::uint64_t offset = 0, count = 0;
};
// weights, bias, multiplier, shift, output scale: the order of the ops section.
using OpRefs = std::array<ArrayRef, 5>;

// The file for `graph` (its ops' arrays ignored) with `blob` as the weight blob and
// op i's arrays at refs[i], laid out as model_format.h describes.
inline std::vector<std::uint8_t> encodeWithRefs(const Model& graph, const std::vector<std::uint8_t>& blob,
                                                const std::vector<OpRefs>& refs) {
    ByteWriter tensors, io, ops, blob_section;
    tensors.u32(static_cast<std::uint32_t>(graph.tensors.size()));
    for (const auto& t : graph.tensors) {
        tensors.str(t.name);
        tensors.u8(static_cast<std::uint8_t>(t.type));
        tensors.u32(t.c), tensors.u32(t.h), tensors.u32(t.w);
        tensors.f32(t.scale);
        tensors.i32(t.zero_point);
        tensors.u8(t.bits);
    }
    io.u32(static_cast<std::uint32_t>(graph.inputs.size()));
    for (const auto& in : graph.inputs) io.str(in.modality), io.u32(in.tensor);
    io.u32(graph.output);
    ops.u32(static_cast<std::uint32_t>(graph.ops.size()));
    for (std::size_t i = 0; i < graph.ops.size(); ++i) {
        const Op& op = graph.ops[i];
        ops.u8(static_cast<std::uint8_t>(op.type));
        ops.str(op.name);
        ops.u32(static_cast<std::uint32_t>(op.inputs.size()));
        for (const auto& in : op.inputs) ops.u32(in.tensor), ops.i32(in.multiplier), ops.i32(in.shift);
        ops.u32(op.output);
        ops.u32(op.kernel_h), ops.u32(op.kernel_w), ops.u32(op.stride), ops.u32(op.padding);
        ops.u8(op.relu ? 1 : 0);
        ops.u8(op.weight_bits);
        for (const ArrayRef& r : refs[i]) ops.u64(r.offset), ops.u64(r.count);
    }
    blob_section.raw(blob.data(), blob.size());

    ByteWriter* sections[] = {&tensors, &io, &ops, &blob_section};
    ByteWriter payload;
    std::uint64_t offset = 4 * 20;  // the section table: kind, offset, bytes per section
    for (std::uint32_t kind = 1; kind <= 4; ++kind) {
        payload.u32(kind), payload.u64(offset), payload.u64(sections[kind - 1]->size());
        offset += sections[kind - 1]->size();
    }
    for (ByteWriter* s : sections) payload.raw(s->bytes().data(), s->size());
    ByteWriter file;
    file.raw("TM2N", 4);
    file.u32(kFormatVersion);
    file.u32(4);
    file.u64(payload.size());
    file.u32(crc32(payload.bytes().data(), payload.size()));
    file.raw(payload.bytes().data(), payload.size());
    return std::move(file.bytes());
}

// A valid graph whose layers all use one width × width weight matrix and one
// requantization (m = 2^30, shift 30, i.e. × 1): each layer alone passes validation.
inline std::vector<std::uint8_t> sharedWeightsChain(std::uint32_t ops, std::uint32_t width) {
    ByteWriter blob;
    const std::uint64_t weights = std::uint64_t{width} * width;
    for (std::uint64_t k = 0; k < weights; ++k) blob.u8(static_cast<std::uint8_t>(k % 5));
    const std::uint64_t multiplier_at = blob.size();
    for (std::uint32_t c = 0; c < width; ++c) blob.i32(1 << 30);
    const std::uint64_t shift_at = blob.size();
    for (std::uint32_t c = 0; c < width; ++c) blob.i32(30);
    const std::uint64_t scale_at = blob.size();
    for (std::uint32_t c = 0; c < width; ++c) blob.f32(1.0f);
    const OpRefs hidden{{{0, weights}, {0, 0}, {multiplier_at, width}, {shift_at, width}, {0, 0}}};
    OpRefs last = hidden;
    last[4] = {scale_at, width};
    std::vector<OpRefs> refs(ops, hidden);
    refs.back() = last;
    return encodeWithRefs(fcChain(ops, width), blob.bytes(), refs);
}

// Every array of every op claims the whole `blob_bytes`-byte blob: an old reader
// copied 5 × blob_bytes per op before it validated anything.
inline std::vector<std::uint8_t> everyArrayTheWholeBlob(std::uint32_t ops, std::uint64_t blob_bytes) {
    const OpRefs whole{{{0, blob_bytes},
                        {0, blob_bytes / 4},
                        {0, blob_bytes / 4},
                        {0, blob_bytes / 4},
                        {0, blob_bytes / 4}}};
    return encodeWithRefs(fcChain(ops, 16), std::vector<std::uint8_t>(blob_bytes, 1),
                          std::vector<OpRefs>(ops, whole));
}

}  // namespace tm2::runtime::fixtures
