#include "core/quant/activation_inputs.h"

#include "core/base/error.h"

namespace tm2::quant {

namespace {

constexpr int kFloatBits = 32;

// The input read through `q`: the layer whose output quantizer it is, a network input, or float.
ActivationInput inputThrough(train::MultimodalNet& net, const train::ActivationQuantizer& q, std::int64_t macs) {
    ActivationInput in;
    in.macs = macs;
    in.bits = kFloatBits;
    if (!q) return in;
    for (const auto& producer : net->quantizableLayers())
        if (producer.output && producer.output.get() == q.get()) {
            in.from = producer.name;
            return in;
        }
    for (const auto& input : net->inputQuantizers())
        if (input.get() == q.get()) {
            in.bits = input->bits;
            return in;
        }
    for (const auto& [name, fusion] : net->fusionQuantizers())
        if (fusion.get() == q.get()) {  // FiLM's output: its own bits, no layer's choice
            in.bits = fusion->bits;
            return in;
        }
    throw Error("internal: an activation quantizer that is neither a layer's output nor a network input");
}

}  // namespace

std::vector<ActivationInput> activationInputs(train::MultimodalNet& net, const train::QuantizableLayer& layer,
                                              std::int64_t macs) {
    if (layer.conv) return {inputThrough(net, layer.conv->input_quantizer, macs)};
    const auto& segments = layer.linear->segments;
    if (segments.empty()) return {inputThrough(net, layer.linear->input_quantizer, macs)};
    std::int64_t width = 0;
    for (const auto& s : segments) width += s.width;
    if (width <= 0 || macs % width != 0)
        throw Error("internal: layer '" + layer.name + "' has " + std::to_string(macs) +
                    " MACs, not a multiple of its fused input width " + std::to_string(width));
    std::vector<ActivationInput> inputs;
    for (const auto& s : segments) inputs.push_back(inputThrough(net, s.quantizer, macs / width * s.width));
    return inputs;
}

}  // namespace tm2::quant
