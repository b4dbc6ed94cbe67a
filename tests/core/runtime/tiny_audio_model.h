#pragma once
// A keyword-spotter-shaped model with an audio front-end, made by hand (no
// training), for the tests that time or run the audio path (tinym2net-bench
// --audio, the Benchmark pane's front-end vs network).

#include <cstdint>

#include "core/runtime/model_format.h"

namespace tm2::runtime::fixtures {

// A keyword-spotter-shaped model made by hand, no training: the 1 s, 16 kHz
// audio's 13 × 101 MFCC (the default front-end settings) → flatten → fully
// connected → 2 logits.
inline Model audioOnlyModel() {
    Model m;
    const std::uint32_t features = 13 * 101;
    m.tensors = {{"audio", DataType::UInt8, 1, 13, 101, 0.1f, 128, 8},
                 {"flat", DataType::UInt8, features, 1, 1, 0.1f, 128, 8},
                 {"logits", DataType::Int32, 2, 1, 1, 1.0f, 0, 32}};
    m.inputs = {{"audio", 0}};
    m.output = 2;
    Op flat;
    flat.type = OpType::Reshape;
    flat.name = "audio.0.flatten";
    flat.inputs = {{0}};
    flat.output = 1;
    Op fc;
    fc.type = OpType::FullyConnected;
    fc.name = "classifier";
    fc.inputs = {{1}};
    fc.output = 2;
    for (std::uint32_t i = 0; i < 2 * features; ++i)
        fc.weights.push_back(static_cast<std::int8_t>((i * 37) % 255 - 127));
    fc.bias = {5, -5};
    fc.multiplier = {1 << 30, 1 << 30};
    fc.shift = {30, 30};
    fc.output_scale = {0.01f, 0.01f};
    m.ops = {flat, fc};
    m.frontend.classes = {"yes", "no"};
    InputFrontEnd audio;
    audio.modality = "audio";
    audio.kind = InputKind::Audio;
    audio.sample_rate = 16000;
    audio.window_s = 1.0;
    audio.mean.assign(13, -20.0f);
    audio.std.assign(13, 40.0f);
    m.frontend.inputs = {audio};
    return m;
}

}  // namespace tm2::runtime::fixtures
