#pragma once
// Groups of layers a quantization keeps at the highest width, as HAWQ-V3's
// uniform INT4 baselines keep the first and last layers at 8 bits:
// `first` (each branch's first weight layer, both halves of a separable
// convolution), `head` (the fusion head's layers and the classifier) and
// `classifier` (the layer that writes the logits; one per branch with late fusion).

#include <map>
#include <set>
#include <string>
#include <vector>

namespace tm2::quant {

enum class PinGroup { First, Head, Classifier };
PinGroup pinGroupFromString(const std::string& text);  // first | head | classifier
const char* toString(PinGroup group);

struct NamedLayer {
    std::string name, branch;  // as MultimodalNet::quantizableLayers names them, in network order
};

// Layer → width for every layer a group pins (at `width`), then the explicit
// per-layer pins on top. Throws tm2::Error when an explicit pin names no layer.
std::map<std::string, int> pinnedLayerBits(const std::vector<NamedLayer>& layers, const std::set<PinGroup>& groups,
                                           int width, const std::map<std::string, int>& explicit_pins = {});

}  // namespace tm2::quant
