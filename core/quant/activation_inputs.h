#pragma once
// Which activations each weight layer of a network reads, and at what width:
// the input to BOPS that count what runs (bit_allocation.h). A layer's bits
// set its own OUTPUT quantizer, so a layer reads the previous layer's width;
// the network inputs are quantized at 8 bits; after a concat each segment
// keeps its branch's grid (the integer runtime accumulates them separately).

#include <cstdint>
#include <vector>

#include "core/quant/bit_allocation.h"
#include "core/train/multimodal_net.h"

namespace tm2::quant {

// The inputs of `layer` (one of net's quantizable layers) with its `macs`
// split over them: a concat's segments by width. An input that no quantizer
// feeds (e.g. after a float batchnorm, or a sum fusion) is counted at 32 bits.
std::vector<ActivationInput> activationInputs(train::MultimodalNet& net, const train::QuantizableLayer& layer,
                                              std::int64_t macs);

}  // namespace tm2::quant
