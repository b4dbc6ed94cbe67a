#pragma once
// The `.tmn` integer model: what the exporter writes and the runtime reads.
//
// File layout (all little-endian):
//   header   "TM2N" | u32 version | u32 section count | u64 payload bytes | u32 CRC-32 of the payload
//   payload  section table (per section: u32 kind, u64 offset from payload start, u64 bytes),
//            then the sections: tensors, inputs, ops, weight blob, front-end (model_frontend.h).
// Weights are int8, int4 (two per byte, low nibble first) or int2 (four per byte,
// lowest two bits first; weight_bits 2, read since format 2 without a version bump:
// an older reader refuses the file naming the width), biases int32,
// requantization per output channel as a dyadic number m · 2^-shift with an
// int32 m (HAWQ-V3 / gemmlowp). The reader checks every count, offset and
// shape against the file and the graph before anything runs. Every array has bytes
// of its own in the blob (the reader refuses arrays that overlap), so what it
// allocates stays within about twice the file's size, whatever the op count.

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/runtime/model_frontend.h"

namespace tm2::runtime {

// 2: the front-end is a typed section (model_frontend.h). Version 1 files load when
// they carry no front-end; their text front-end (JSON inside) is refused by name.
constexpr std::uint32_t kFormatVersion = 2;

enum class OpType : std::uint8_t {
    Conv2d = 1,
    DepthwiseConv2d = 2,   // one filter per channel (groups == channels)
    PointwiseConv2d = 3,   // 1×1, stride 1, no padding
    FullyConnected = 4,    // input segments = a fused concat (each rescaled to the first's scale)
    MaxPool2d = 5,
    Concat = 6,            // each input requantized to the output's scale
    Reshape = 7,           // flatten: same bytes, new shape
    Lookup = 8,            // out = bias[in]: a table per input code (gated fusion's sigmoid)
    Mul = 9,               // elementwise product of two inputs, requantized by multiplier[0] / shift[0]
                           // (padding = k + 1: input 0 times element k of input 1, see mulBroadcastIndex)
    Add = 10,              // elementwise sum of two inputs, each brought to the output's scale by its own factor
    Softmax = 11,          // attention fusion's weights: bias = exp table per code distance (softmax_table.h)
};
const char* toString(OpType type);

enum class DataType : std::uint8_t { UInt8 = 1, Int32 = 2 };

// Activations are unsigned b-bit codes q with real value scale · (q − zero_point);
// Int32 tensors are logits (accumulators), their real value is per channel.
struct TensorInfo {
    std::string name;
    DataType type = DataType::UInt8;
    std::uint32_t c = 1, h = 1, w = 1;
    float scale = 1.0f;
    std::int32_t zero_point = 0;
    std::uint8_t bits = 8;
    std::size_t elements() const { return std::size_t{c} * h * w; }
    std::size_t bytes() const { return elements() * (type == DataType::Int32 ? 4 : 1); }
};

// One input of an op; multiplier/shift rescale it (FullyConnected: its
// accumulator to the first segment's scale; Concat: its codes to the output's).
struct OpInput {
    std::uint32_t tensor = 0;
    std::int32_t multiplier = 1 << 30;
    std::int32_t shift = 30;  // m · 2^-shift = 1
};

struct Op {
    OpType type = OpType::Conv2d;
    std::string name;  // the layer it came from ("image.0.conv2d")
    std::vector<OpInput> inputs;
    std::uint32_t output = 0;
    std::uint32_t kernel_h = 1, kernel_w = 1, stride = 1, padding = 0;
    bool relu = false;
    std::uint8_t weight_bits = 8;         // 2, 4 or 8 (storage; values always fit int8 in memory)
    std::vector<std::int8_t> weights;     // conv: out × in/groups × kh × kw; fc: out × in
    // Parsed with ParseOptions::weights_in_place: weights left in the caller's bytes (a
    // C array in flash) instead of `weights`, which stays empty. int8 codes, or for an
    // int4 layer its packed nibbles (two per byte, low nibble first; a row may start mid-byte),
    // for an int2 layer its packed crumbs (four per byte, lowest bits first).
    const std::uint8_t* weights_in_place = nullptr;
    std::size_t weights_in_place_count = 0;  // weights, not bytes
    std::vector<std::int32_t> bias;       // per output channel, at scale s_in · s_w,c
    std::vector<std::int32_t> multiplier, shift;  // per output channel: s_in · s_w,c / s_out
    std::vector<float> output_scale;      // Int32 output (logits): real = acc · output_scale[c]

    bool packedInt4InPlace() const { return weights_in_place != nullptr && weight_bits == 4; }
    // The int8 codes, owned or in place; null for packed int4 / int2 in place (the kernels
    // read those as WeightCodes::packed and through fullyConnectedPackedInt4 / Int2).
    const std::int8_t* weightData() const;
    std::size_t weightCount() const { return weights_in_place ? weights_in_place_count : weights.size(); }
    // Bytes the weights take where they are: packed int4 / int2 in place at their width,
    // int8 (in place or owned) one per weight.
    std::size_t weightBytes() const;
    std::vector<std::int8_t> weightCodes() const;  // every weight as int8 (unpacks int4 / int2 in place)
};

// Mul's broadcast form (attention fusion's α_b ⊙ h_b): `padding` = k + 1 scales every
// element of input 0 by element k of input 1 (the softmax's B weights); 0 = elementwise.
// A Mul has no window, so the field is free; files written before it hold 0.
inline bool mulBroadcasts(const Op& op) { return op.type == OpType::Mul && op.padding > 0; }
inline std::uint32_t mulBroadcastIndex(const Op& op) { return op.padding - 1; }

struct ModelInput {
    std::string modality;
    std::uint32_t tensor = 0;  // its quantization is the tensor's scale / zero point / bits
};

struct Model {
    std::vector<TensorInfo> tensors;
    std::vector<ModelInput> inputs;
    std::uint32_t output = 0;  // logits (Int32, c = classes)
    std::vector<Op> ops;       // in execution order
    ModelFrontEnd frontend;    // what the device does before the network (MFCC, normalisation, classes)
    std::string origin;        // where it was read from (parseModel's `origin`), for errors; not serialised
    // The ops' weights as the file stores them (int8, int4 two per byte, int2 four) when
    // the model owns them (readModel, parseOwnedModel): their weights_in_place point into
    // it, and every copy of the model shares it, so a copy stays valid after the original
    // is gone. Null for a model built in memory or parsed from the caller's bytes. Not serialised.
    std::shared_ptr<const std::vector<std::uint8_t>> storage;
};

// Serialises to bytes / a file (written atomically). Throws tm2::Error on a
// model that would not read back (e.g. int4 weights outside −8..7, int2 outside −2..1).
std::vector<std::uint8_t> serializeModel(const Model& model);
void writeModel(const std::string& path, const Model& model);

// Parses and validates; `origin` names the source in error messages. Throws
// tm2::Error naming the field at fault on any truncated, corrupted,
// wrong-version or inconsistent input.
struct ParseOptions {
    // Leave the weights in `data` (which must then outlive the model) rather than
    // copying them: int8 codes as they are, int4 codes packed two per byte, int2 four per
    // byte (read so by the kernels, never unpacked). A microcontroller keeps them in flash.
    bool weights_in_place = false;
};
Model parseModel(const std::uint8_t* data, std::size_t size, const std::string& origin = "model",
                 ParseOptions options = {});
// Parses `bytes` and keeps each op's weights as the file stores them in Model::storage:
// int4 / int2 stay packed (the kernels read them so, never unpacked), so a model's
// weight memory is its weights' size in the file at any width. `bytes` may go after.
Model parseOwnedModel(const std::vector<std::uint8_t>& bytes, const std::string& origin = "model");
// Reads the file whole and parses it with parseOwnedModel.
Model readModel(const std::string& path);

// Structural checks shared by the reader and the writer: ids, shapes, array
// lengths, shifts. Throws tm2::Error prefixed with `origin`.
void validateModel(const Model& model, const std::string& origin);

}  // namespace tm2::runtime
