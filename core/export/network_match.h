#pragma once
// Is this `.tmn` the export of that quantized network? Compared on what the
// runtime computes with (ops, weight codes, biases, requantization, every
// tensor's grid), not on the front-end settings, so a model is matched to the
// quantized-model artifact it came from whatever its file name.

#include <string>

#include "core/runtime/model_format.h"
#include "core/train/multimodal_net.h"

namespace tm2::exporter {

// Empty when `model`'s network is exactly what buildRuntimeModel(net) gives;
// otherwise the first difference, named ("op 'image.0.conv2d': weight codes differ").
std::string networkDifference(const runtime::Model& model, train::MultimodalNet& net);

}  // namespace tm2::exporter
