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
    double max_abs = 0, mean_abs = 0;  // real units
    double step = 0;                   // the layer's quantization step (output scale)
    double max_steps = 0;              // max_abs / step
};

struct ParityReport {
    std::int64_t samples = 0;
    std::int64_t agree = 0;                  // same argmax
    double agreement = 0;                    // agree / samples
    double runtime_accuracy = 0, reference_accuracy = 0;
    double max_logit_diff = 0, mean_logit_diff = 0;
    // Logit differences in units of one input step of the classifier (s_in · max|W_c| ·
    // s_w,c), i.e. what one flipped code feeding the classifier can move a logit by.
    double max_logit_diff_steps = 0;
    std::int64_t logits_within_one_step = 0;  // samples whose every logit is within one step
    std::vector<LayerParity> layers;          // filled when asked for
};

// `net` must be the quantized network `model` was exported from; `input_order`
// maps branches to the split's inputs (train::branchInputOrder).
ParityReport compareWithReference(train::MultimodalNet& net, const runtime::Model& model,
                                  const train::SplitTensors& split, const std::vector<std::size_t>& input_order,
                                  bool per_layer = true);

}  // namespace tm2::exporter
