#pragma once
// The quantized network as `quantize` leaves it, saved whole so nothing
// downstream re-quantizes: the batchnorm-folded (and QAT-tuned) weights, every
// layer's bit width, every activation quantizer's range and bits (the network
// inputs' included), how they were made (the options) and on what data (the
// fingerprint, the classes). Export, the runtime parity check and the panes
// load it; loading rebuilds the very network whose accuracy `quantize` reported.

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/model/model_spec.h"
#include "core/train/multimodal_net.h"

namespace tm2::quant {

// Version of the archive's layout; a reader refuses any other with a message naming it.
constexpr int kQuantizedModelFormat = 1;

struct QuantizedModelInfo {
    int format = kQuantizedModelFormat;
    std::string id;         // ties the archive to the plan JSON that names it
    model::ModelSpec spec;  // bound to the data (input shapes, classes)
    bool aux_heads = false;
    std::vector<std::string> classes;
    std::string data_fingerprint;  // of the data it was calibrated (and fine-tuned) on
    nlohmann::json options;        // quantizeOptionsToJson: how the bits, ranges and weights were made
};

// Writes `net` (folded, bits set, activations calibrated) as a LibTorch archive at
// `path`, whole or not at all. Throws tm2::Error when `net` is not quantized.
void saveQuantizedModel(train::MultimodalNet& net, const QuantizedModelInfo& info, const std::string& path);

struct LoadedQuantizedModel {
    train::MultimodalNet net{nullptr};  // eval mode, every quantizer quantizing
    QuantizedModelInfo info;
    std::map<std::string, int> bits;  // layer → bits
};
// Rebuilds the saved network exactly. Errors name the file and what is wrong
// (not an archive, another format version, a layer the spec lacks).
LoadedQuantizedModel loadQuantizedModel(const std::string& path);

// Per activation quantizer ("input.<modality>", "<layer>.output"): bits, range
// [lo, hi] and the grid the runtime uses (scale, zero point). A readable copy for the plan JSON.
nlohmann::json activationQuantizersToJson(train::MultimodalNet& net);

}  // namespace tm2::quant
