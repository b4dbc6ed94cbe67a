#pragma once
// From the fake-quantized, batchnorm-folded LibTorch network (after
// quant::quantizeModel) to the runtime's integer model: the same weight codes
// and scales fakeQuantizeWeight uses, int32 biases at s_in · s_w,c, dyadic
// requantization s_in · s_w,c / s_out per output channel, and the calibrated
// activation ranges as scales and zero points. Concat fusion becomes the
// following fully connected layer's input segments, so no extra rounding is
// added that the fake-quant model does not have. Gated fusion adds, per branch,
// its gate fc, a sigmoid Lookup and a Mul (train/gated_fusion.h); FiLM, per branch
// after the first, scale and shift fcs, a Mul and an Add (train/film_fusion.h);
// attention one score fc, a Softmax and a broadcast Mul per branch (train/attention_fusion.h).

#include <string>
#include <utility>
#include <vector>

#include "core/runtime/model_format.h"
#include "core/train/multimodal_net.h"

namespace tm2::exporter {

// What a device needs beside the network (per input: kind, MFCC settings, normalisation; classes).
using FrontEndSettings = runtime::ModelFrontEnd;

// Throws tm2::Error naming the layer when the network cannot be expressed
// (float layers, unfolded or standalone batchnorm, sum/late fusion).
runtime::Model buildRuntimeModel(train::MultimodalNet& net, const FrontEndSettings& frontend = {});

// The runtime model plus, per op, the scale of each output channel's weight codes
// (the .tmn keeps them only folded into the requantization); the ONNX writer needs them.
struct QuantizedGraph {
    runtime::Model model;
    std::vector<std::vector<float>> weight_scales;  // per op; empty for ops without weights
};
QuantizedGraph buildQuantizedGraph(train::MultimodalNet& net, const FrontEndSettings& frontend = {});

struct ExportSummary {
    std::size_t file_bytes = 0;
    std::size_t weight_bytes = 0;  // packed weights + int32 bias + requantization words
    std::size_t ops = 0;
};
ExportSummary exportModel(train::MultimodalNet& net, const FrontEndSettings& frontend, const std::string& path);

// LibTorch module names cannot hold dots: "image.0.conv2d" → "image_0_conv2d" (as MultimodalNet names them).
std::string torchModuleName(std::string layer_name);

}  // namespace tm2::exporter
