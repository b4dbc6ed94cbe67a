#pragma once
// A small hand-made model for format and interpreter tests:
//   input 1×4×4 (scale 0.5, zp 2) → conv2d 3×3 pad 1 → 2×4×4 (ReLU) → maxpool 2 → 2×2×2
//   → reshape 8 → fully connected → 3 int32 logits.
// Conv weights are int4 so the packed path is exercised.

#include "core/runtime/kernels/requantize.h"
#include "core/runtime/model_format.h"

namespace tm2::runtime::fixtures {

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
    Op flat;
    flat.type = OpType::Reshape;
    flat.name = "image.2.flatten";
    flat.inputs = {{2}};
    flat.output = 3;
    Op fc;
    fc.type = OpType::FullyConnected;
    fc.name = "classifier";
    fc.inputs = {{3}};
    fc.output = 4;
    for (int i = 0; i < 24; ++i) fc.weights.push_back(static_cast<std::int8_t>((i * 37) % 255 - 127));
    fc.bias = {10, 0, -10};
    fc.multiplier = {1 << 30, 1 << 30, 1 << 30};
    fc.shift = {30, 30, 30};
    fc.output_scale = {0.01f, 0.02f, 0.03f};
    m.ops = {conv, pool, flat, fc};
    m.frontend.classes = {"a", "b", "c"};
    InputFrontEnd image;
    image.modality = "image";
    image.kind = InputKind::Image;
    image.mean = {0.25f};
    image.std = {2.0f};
    m.frontend.inputs = {image};
    return m;
}

}  // namespace tm2::runtime::fixtures
