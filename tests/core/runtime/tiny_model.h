#pragma once
// A small hand-made model for format and interpreter tests:
//   input 1×4×4 (scale 0.5, zp 2) → conv2d 3×3 pad 1 → 2×4×4 (ReLU) → maxpool 2 → 2×2×2
//   → reshape 8 → fully connected → 3 int32 logits.
// Conv weights are int4 so the packed path is exercised.

#include <string>
#include <utility>
#include <vector>

#include "core/runtime/kernels/requantize.h"
#include "core/runtime/kernels/softmax_table.h"
#include "core/runtime/model_format.h"

namespace tm2::runtime::fixtures {

// Tensor `in` flattened into tensor `in + 1` (op `flatten_name`), then the 3-class
// classifier into tensor `in + 2`: `features` int8 weights a row, (i · 37) mod 255 − 127,
// bias {10, 0, −10}, multipliers 2^30 with shift 30, output scales 0.01 / 0.02 / 0.03.
inline std::vector<Op> flattenAndClassifier(std::uint32_t in, std::uint32_t features,
                                            const std::string& flatten_name) {
    Op flat;
    flat.type = OpType::Reshape;
    flat.name = flatten_name;
    flat.inputs = {{in}};
    flat.output = in + 1;
    Op fc;
    fc.type = OpType::FullyConnected;
    fc.name = "classifier";
    fc.inputs = {{in + 1}};
    fc.output = in + 2;
    for (std::uint32_t i = 0; i < 3 * features; ++i)
        fc.weights.push_back(static_cast<std::int8_t>((i * 37) % 255 - 127));
    fc.bias = {10, 0, -10};
    fc.multiplier = {1 << 30, 1 << 30, 1 << 30};
    fc.shift = {30, 30, 30};
    fc.output_scale = {0.01f, 0.02f, 0.03f};
    return {flat, fc};
}

// The front end of an image input normalised per channel by `mean` and `stddev`.
inline InputFrontEnd imageInput(std::vector<float> mean, std::vector<float> stddev) {
    InputFrontEnd image;
    image.modality = "image";
    image.kind = InputKind::Image;
    image.mean = std::move(mean);
    image.std = std::move(stddev);
    return image;
}

inline Model tinyModel() {
    Model m;
    m.tensors = {
        {"input", DataType::UInt8, 1, 4, 4, 0.5f, 2, 8},
        {"conv", DataType::UInt8, 2, 4, 4, 0.25f, 0, 8},
        {"pool", DataType::UInt8, 2, 2, 2, 0.25f, 0, 8},
        {"flat", DataType::UInt8, 8, 1, 1, 0.25f, 0, 8},
        {"logits", DataType::Int32, 3, 1, 1, 1.0f, 0, 32},
    };
    m.inputs = {{"image", 0}};
    m.output = 4;
    Op conv;
    conv.type = OpType::Conv2d;
    conv.name = "image.0.conv2d";
    conv.inputs = {{0}};
    conv.output = 1;
    conv.kernel_h = conv.kernel_w = 3;
    conv.padding = 1;
    conv.relu = true;
    conv.weight_bits = 4;
    for (int i = 0; i < 18; ++i) conv.weights.push_back(static_cast<std::int8_t>((i * 5) % 15 - 7));
    conv.bias = {3, -2};
    const Dyadic d = toDyadic(0.5 * 0.1 / 0.25);  // s_in · s_w / s_out
    conv.multiplier = {d.multiplier, d.multiplier};
    conv.shift = {d.shift, d.shift};
    Op pool;
    pool.type = OpType::MaxPool2d;
    pool.name = "image.1.maxpool2d";
    pool.inputs = {{1}};
    pool.output = 2;
    pool.kernel_h = pool.kernel_w = pool.stride = 2;
    m.ops = {conv, pool};
    for (Op& op : flattenAndClassifier(2, 8, "image.2.flatten")) m.ops.push_back(std::move(op));
    m.frontend.classes = {"a", "b", "c"};
    m.frontend.inputs = {imageInput({0.25f}, {2.0f})};
    return m;
}

// Gated fusion's ops on one branch (tmn_exporter's layout):
//   features 4 (scale 0.5, zp 0) → gate fc 4 → 4 (scale 0.25, zp 128) → lookup σ
//   (4, scale 1/255) → mul (features ⊙ σ, back on the features' grid) → fc → 2 logits.
inline Model gatedModel() {
    Model m;
    m.tensors = {
        {"input", DataType::UInt8, 4, 1, 1, 0.5f, 0, 8},
        {"fusion.gate.audio", DataType::UInt8, 4, 1, 1, 0.25f, 128, 8},
        {"fusion.gate.audio.sigmoid", DataType::UInt8, 4, 1, 1, 1.0f / 255.0f, 0, 8},
        {"fusion.gate.audio.mul", DataType::UInt8, 4, 1, 1, 0.5f, 0, 8},
        {"logits", DataType::Int32, 2, 1, 1, 1.0f, 0, 32},
    };
    m.inputs = {{"audio", 0}};
    m.output = 4;
    Op gate;
    gate.type = OpType::FullyConnected;
    gate.name = "fusion.gate.audio";
    gate.inputs = {{0}};
    gate.output = 1;
    gate.weights = {1, 0, 0, 0, 0, -1, 0, 0, 0, 0, 2, 0, 0, 0, 0, -2};
    gate.bias = {0, 0, 0, 0};
    const Dyadic d = toDyadic(0.5 * 0.5 / 0.25);  // s_in · s_w / s_out with s_w = 0.5
    gate.multiplier = std::vector<std::int32_t>(4, d.multiplier);
    gate.shift = std::vector<std::int32_t>(4, d.shift);
    Op lookup;
    lookup.type = OpType::Lookup;
    lookup.name = "fusion.gate.audio.sigmoid";
    lookup.inputs = {{1}};
    lookup.output = 2;
    for (int q = 0; q < 256; ++q) lookup.bias.push_back(q);  // an identity table: checkable by eye
    Op mul;
    mul.type = OpType::Mul;
    mul.name = "fusion.gate.audio.mul";
    mul.inputs = {{0}, {2}};
    mul.output = 3;
    const Dyadic z = toDyadic(1.0 / 255.0);
    mul.multiplier = {z.multiplier};
    mul.shift = {z.shift};
    Op fc;
    fc.type = OpType::FullyConnected;
    fc.name = "classifier";
    fc.inputs = {{3}};
    fc.output = 4;
    fc.weights = {1, 1, 1, 1, 1, -1, 1, -1};
    fc.bias = {0, 0};
    fc.multiplier = {1 << 30, 1 << 30};
    fc.shift = {30, 30};
    fc.output_scale = {0.25f, 0.25f};
    m.ops = {gate, lookup, mul, fc};
    m.frontend.classes = {"a", "b"};
    return m;
}

// FiLM's Add on top of gatedModel: the gated features plus the input, each brought
// to the sum's grid (scale 1, zp 3), then the classifier reads the sum.
inline Model filmModel() {
    Model m = gatedModel();
    m.tensors.insert(m.tensors.begin() + 4, {"fusion.film.audio.add", DataType::UInt8, 4, 1, 1, 1.0f, 3, 8});
    m.output = 5;
    Op add;
    add.type = OpType::Add;
    add.name = "fusion.film.audio.add";
    const Dyadic half = toDyadic(0.5);  // 0.5 / 1 for both inputs
    add.inputs = {{3, half.multiplier, half.shift}, {0, half.multiplier, half.shift}};
    add.output = 4;
    m.ops.insert(m.ops.begin() + 3, add);
    m.ops.back().inputs = {{4}};
    m.ops.back().output = 5;
    return m;
}

// Attention fusion's ops on two branches (tmn_exporter's layout):
//   audio 2, image 2 (scale 0.5, zp 0) → score fc 4 → 2 (scale 0.5, zp 128; row 0 sums
//   audio, row 1 image) → softmax (2 weights, scale 1/255) → per branch a broadcast mul
//   (h_b · α_b, back on h_b's grid) → classifier over both products → 2 logits.
inline Model attentionModel() {
    Model m;
    m.tensors = {
        {"input.audio", DataType::UInt8, 2, 1, 1, 0.5f, 0, 8},
        {"input.image", DataType::UInt8, 2, 1, 1, 0.5f, 0, 8},
        {"fusion.attention.score", DataType::UInt8, 2, 1, 1, 0.5f, 128, 8},
        {"fusion.attention.softmax", DataType::UInt8, 2, 1, 1, 1.0f / 255.0f, 0, 8},
        {"fusion.attention.audio.mul", DataType::UInt8, 2, 1, 1, 0.5f, 0, 8},
        {"fusion.attention.image.mul", DataType::UInt8, 2, 1, 1, 0.5f, 0, 8},
        {"logits", DataType::Int32, 2, 1, 1, 1.0f, 0, 32},
    };
    m.inputs = {{"audio", 0}, {"image", 1}};
    m.output = 6;
    Op score;
    score.type = OpType::FullyConnected;
    score.name = "fusion.attention.score";
    score.inputs = {{0}, {1}};
    score.output = 2;
    score.weights = {1, 1, 0, 0, 0, 0, 1, 1};
    score.bias = {0, 0};
    const Dyadic d = toDyadic(0.5 * 0.5 / 0.5);  // s_in · s_w / s_out with s_w = 0.5
    score.multiplier = {d.multiplier, d.multiplier};
    score.shift = {d.shift, d.shift};
    Op softmax;
    softmax.type = OpType::Softmax;
    softmax.name = "fusion.attention.softmax";
    softmax.inputs = {{2}};
    softmax.output = 3;
    softmax.bias = softmaxTable(0.5, 255);
    m.ops = {score, softmax};
    const Dyadic z = toDyadic(1.0 / 255.0);
    for (std::uint32_t b = 0; b < 2; ++b) {
        Op mul;
        mul.type = OpType::Mul;
        mul.name = m.tensors[4 + b].name;
        mul.inputs = {{b}, {3}};
        mul.padding = b + 1;  // broadcast α_b
        mul.output = 4 + b;
        mul.multiplier = {z.multiplier};
        mul.shift = {z.shift};
        m.ops.push_back(mul);
    }
    Op fc;
    fc.type = OpType::FullyConnected;
    fc.name = "classifier";
    fc.inputs = {{4}, {5}};
    fc.output = 6;
    fc.weights = {1, 1, 1, 1, 1, -1, 1, -1};
    fc.bias = {0, 0};
    fc.multiplier = {1 << 30, 1 << 30};
    fc.shift = {30, 30};
    fc.output_scale = {0.25f, 0.25f};
    m.ops.push_back(fc);
    m.frontend.classes = {"a", "b"};
    return m;
}

}  // namespace tm2::runtime::fixtures
