#include "core/runtime/op_cost.h"

namespace tm2::runtime {

std::uint64_t opMacs(const Model& model, const Op& op) {
    const TensorInfo& in = model.tensors[op.inputs[0].tensor];
    const TensorInfo& out = model.tensors[op.output];
    const std::uint64_t window = std::uint64_t{op.kernel_h} * op.kernel_w;
    switch (op.type) {
        case OpType::Conv2d:
            return out.elements() * in.c * window;
        case OpType::DepthwiseConv2d:
            return out.elements() * window;
        case OpType::PointwiseConv2d:
            return out.elements() * in.c;
        case OpType::FullyConnected: {
            // The fused concat: every output reads every segment.
            std::uint64_t inputs = 0;
            for (const auto& segment : op.inputs) inputs += model.tensors[segment.tensor].elements();
            return out.elements() * inputs;
        }
        case OpType::Mul:  // one product per element
            return out.elements();
        case OpType::MaxPool2d:
        case OpType::Concat:
        case OpType::Reshape:
        case OpType::Lookup:
        case OpType::Add:
        case OpType::Softmax:  // a table read, an add and a division per score
            return 0;
    }
    return 0;
}

std::uint64_t modelMacs(const Model& model) {
    std::uint64_t total = 0;
    for (const auto& op : model.ops) total += opMacs(model, op);
    return total;
}

}  // namespace tm2::runtime
