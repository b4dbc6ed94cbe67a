#pragma once
// The integer model the `.tmn` ships (runtime::Model: weight codes, int32 biases,
// activation scales / zero points / bit widths), plus the per-channel weight scales
// the exporter quantized with, as an ONNX model (opset 13, IR 7): float Conv / Gemm /
// MaxPool / Relu / Flatten / Concat between quantizers, inputs = the network's
// features per modality (the MFCC front-end stays outside the graph), output "logits".
//
// Two forms of the same network (docs/onnx-export.md):
// - Qdq: QuantizeLinear / DequantizeLinear (uint8 activations, int8 weight codes
//   per output channel, int32 biases), Clip before a sub-8-bit activation's
//   QuantizeLinear. What Netron shows as quantized and QDQ runtimes fuse.
// - Arithmetic: each Q/DQ pair written out as Div, Round, a clamp made of Relu/Neg/Add,
//   and Mul, weights and biases as their dequantized float values — for runtimes
//   without working QDQ support (OpenCV 4.6's DNN module reads QDQ files but
//   computes garbage; it runs this form).

#include <cstdint>
#include <string>
#include <vector>

#include "core/runtime/model_format.h"

namespace tm2::onnx {

constexpr std::int64_t kOpsetVersion = 13;
constexpr std::int64_t kIrVersion = 7;  // the IR that goes with opset 13 (ONNX 1.8+)

enum class QuantForm { Qdq, Arithmetic };
const char* toString(QuantForm form);
// "qdq" | "arithmetic"; throws tm2::Error naming the value otherwise.
QuantForm parseQuantForm(const std::string& name);

struct OnnxSource {
    runtime::Model model;
    // Per op (model.ops order): the scale of each output channel's weight codes
    // (real weight = code · scale); empty for ops without weights.
    std::vector<std::vector<float>> weight_scales;
    // Per model input: its shape without the batch dimension as the network takes it
    // (e.g. {1, 40, 32}); empty: {c, h, w} of the input tensor.
    std::vector<std::vector<std::int64_t>> input_dims;
};

struct OnnxSummary {
    std::size_t bytes = 0;
    std::size_t nodes = 0;
    std::size_t initializers = 0;
};

// The serialized ModelProto. Throws tm2::Error naming the op or tensor that cannot
// be expressed (a missing weight scale, a zero point outside uint8 in the QDQ form).
std::string serializeOnnx(const OnnxSource& source, QuantForm form, OnnxSummary* summary = nullptr);
// serializeOnnx, written atomically to `path`.
OnnxSummary writeOnnx(const std::string& path, const OnnxSource& source, QuantForm form);

}  // namespace tm2::onnx
