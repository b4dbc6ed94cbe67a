#include "core/export/network_match.h"

#include "core/export/tmn_exporter.h"

namespace tm2::exporter {

namespace {

std::string tensorDifference(const runtime::TensorInfo& a, const runtime::TensorInfo& b) {
    if (a.name != b.name) return "tensor '" + a.name + "' is '" + b.name + "' there";
    if (a.type != b.type || a.c != b.c || a.h != b.h || a.w != b.w)
        return "tensor '" + a.name + "': shape differs";
    if (a.scale != b.scale || a.zero_point != b.zero_point || a.bits != b.bits)
        return "tensor '" + a.name + "': scale, zero point or bits differ";
    return {};
}

std::string opDifference(const runtime::Op& a, const runtime::Op& b) {
    const std::string where = "op '" + a.name + "': ";
    if (a.name != b.name || a.type != b.type) return "op '" + a.name + "' is '" + b.name + "' there";
    if (a.weight_bits != b.weight_bits) return where + "bit width differs";
    if (a.weightCodes() != b.weightCodes()) return where + "weight codes differ";
    if (a.bias != b.bias) return where + "bias codes differ";
    if (a.multiplier != b.multiplier || a.shift != b.shift || a.output_scale != b.output_scale)
        return where + "requantization differs";
    if (a.inputs.size() != b.inputs.size() || a.output != b.output || a.kernel_h != b.kernel_h ||
        a.kernel_w != b.kernel_w || a.stride != b.stride || a.padding != b.padding || a.relu != b.relu)
        return where + "its inputs, output or geometry differ";
    for (std::size_t i = 0; i < a.inputs.size(); ++i)
        if (a.inputs[i].tensor != b.inputs[i].tensor || a.inputs[i].multiplier != b.inputs[i].multiplier ||
            a.inputs[i].shift != b.inputs[i].shift)
            return where + "input " + std::to_string(i) + " differs";
    return {};
}

}  // namespace

std::string networkDifference(const runtime::Model& model, train::MultimodalNet& net) {
    const runtime::Model built = buildRuntimeModel(net);
    if (model.ops.size() != built.ops.size())
        return std::to_string(model.ops.size()) + " ops, the network exports " +
               std::to_string(built.ops.size());
    for (std::size_t i = 0; i < model.ops.size(); ++i)
        if (std::string d = opDifference(model.ops[i], built.ops[i]); !d.empty()) return d;
    if (model.tensors.size() != built.tensors.size()) return "the number of tensors differs";
    for (std::size_t i = 0; i < model.tensors.size(); ++i)
        if (std::string d = tensorDifference(model.tensors[i], built.tensors[i]); !d.empty()) return d;
    if (model.output != built.output || model.inputs.size() != built.inputs.size())
        return "inputs or output differ";
    for (std::size_t i = 0; i < model.inputs.size(); ++i)
        if (model.inputs[i].modality != built.inputs[i].modality ||
            model.inputs[i].tensor != built.inputs[i].tensor)
            return "input '" + model.inputs[i].modality + "' differs";
    return {};
}

}  // namespace tm2::exporter
