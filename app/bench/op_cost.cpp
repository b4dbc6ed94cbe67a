#include "app/bench/op_cost.h"

namespace tm2::bench {

std::uint64_t opMacs(const runtime::Model& model, const runtime::Op& op) {
    using runtime::OpType;
    const runtime::TensorInfo& in = model.tensors[op.inputs[0].tensor];
    const runtime::TensorInfo& out = model.tensors[op.output];
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
        case OpType::MaxPool2d:
        case OpType::Concat:
        case OpType::Reshape:
            return 0;
    }
    return 0;
}

std::uint64_t modelMacs(const runtime::Model& model) {
    std::uint64_t total = 0;
    for (const auto& op : model.ops) total += opMacs(model, op);
    return total;
}

}  // namespace tm2::bench
