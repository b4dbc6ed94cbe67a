#pragma once
// Runtime against the LibTorch fake-quant reference on a split: prediction
// agreement, logit differences, and per layer the max / mean difference of
// the dequantized activations, so a mismatch points at the layer causing it.

#include <string>
#include <vector>

#include "core/runtime/model_format.h"
#include "core/train/multimodal_net.h"
#include "core/train/training_data.h"

namespace tm2::exporter {

struct LayerParity {
    std::string name;
    double max_abs = 0, mean_abs = 0;  // real units, against the float fake-quant reference
    double step = 0;                   // the layer's quantization step (output scale)
    double max_steps = 0;              // max_abs / step
    // Against the integer-exact reference: the largest code difference and how
    // many codes differ (both 0 when the runtime computes what the network defines).
    double exact_max_steps = 0;
    std::int64_t exact_mismatches = 0;
};

// Logits of the runtime against one reference.
struct LogitParity {
    double max_abs = 0, mean_abs = 0;
    // In units of one input step of the classifier (s_in · max|W_c| · s_w,c), i.e.
    // what one flipped code feeding the classifier can move a logit by.
    double max_steps = 0;
    std::int64_t within_one_step = 0;  // samples whose every logit is within one step
    std::int64_t agree = 0;            // same argmax
    double agreement = 0;
    double reference_accuracy = 0;
};

// Two references, both LibTorch evaluations of the quantized network:
// - fake_quant: the float fake-quant model `quantize` evaluated (and QAT trained). It
//   rounds the float product s_in · s_w · acc / s_out, which differs from the integer
//   pipeline's dyadic rounding on near-ties; a flipped code can grow downstream.
// - integer: the same network evaluated integer-exactly (setIntegerExact, HAWQ-V3's
//   dyadic simulation), computed from the network's own weights and quantizers, so
//   it checks the exporter as well as the kernels. The runtime must match it exactly.
struct ParityReport {
    std::int64_t samples = 0;
    double runtime_accuracy = 0;
    LogitParity fake_quant, integer;
    std::vector<LayerParity> layers;  // filled when asked for
};

// `net` must be the quantized network `model` was exported from; `input_order`
// maps branches to the split's inputs (train::branchInputOrder).
ParityReport compareWithReference(train::MultimodalNet& net, const runtime::Model& model,
                                  const train::SplitTensors& split, const std::vector<std::size_t>& input_order,
                                  bool per_layer = true);

}  // namespace tm2::exporter
