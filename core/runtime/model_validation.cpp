// The checks that make a parsed model safe to run: after validateModel every
// kernel's reads and writes stay inside its tensors and weight arrays, and no
// int32 accumulator can overflow.

#include <cmath>

#include "core/base/error.h"
#include "core/runtime/kernels/kernels.h"
#include "core/runtime/kernels/softmax_table.h"
#include "core/runtime/model_format.h"

namespace tm2::runtime {

namespace {

constexpr std::size_t kMaxTensorElements = std::size_t{1} << 26;
// |w · (x − zp)| ≤ 128 · 255, so 65536 terms stay below 2^31.
constexpr std::size_t kMaxAccumulation = 65536;

class OpChecker {
public:
    OpChecker(const Model& m, const Op& op, std::size_t index, const std::string& origin)
        : m_(m), op_(op), prefix_(origin + ": op " + std::to_string(index) + " (" + toString(op.type) + " '" +
                                  op.name + "')") {}

    [[noreturn]] void fail(const std::string& what) const { throw Error(prefix_ + ": " + what); }
    void require(bool ok, const std::string& what) const {
        if (!ok) fail(what);
    }
    const TensorInfo& in(std::size_t k) const { return m_.tensors[op_.inputs[k].tensor]; }
    const TensorInfo& out() const { return m_.tensors[op_.output]; }
    void requireSize(std::size_t got, std::size_t want, const char* what) const {
        if (got != want) fail(std::string(what) + " has " + std::to_string(got) + " values, expected " + std::to_string(want));
    }
    void requireShift(std::int32_t multiplier, std::int32_t shift) const {
        require(multiplier >= 0 && shift >= 1 && shift <= 62, "requantization shift " + std::to_string(shift) +
                                                                  " / multiplier " + std::to_string(multiplier) +
                                                                  " out of range");
    }
    void requireOutputStage(std::size_t channels) const {
        require(op_.bias.empty() || op_.bias.size() == channels, "bias count does not match the output channels");
        requireSize(op_.multiplier.size(), channels, "multiplier");
        requireSize(op_.shift.size(), channels, "shift");
        for (std::size_t c = 0; c < channels; ++c) requireShift(op_.multiplier[c], op_.shift[c]);
    }
    void requireWindow(std::uint32_t in_h, std::uint32_t in_w) const {
        require(op_.kernel_h >= 1 && op_.kernel_w >= 1 && op_.kernel_h <= 64 && op_.kernel_w <= 64, "kernel size out of range");
        require(op_.stride >= 1 && op_.stride <= 64, "stride out of range");
        require(op_.padding < op_.kernel_h && op_.padding < op_.kernel_w, "padding must be smaller than the kernel");
        const int oh = convOutputSize(static_cast<int>(in_h), static_cast<int>(op_.kernel_h), static_cast<int>(op_.stride),
                                      static_cast<int>(op_.padding));
        const int ow = convOutputSize(static_cast<int>(in_w), static_cast<int>(op_.kernel_w), static_cast<int>(op_.stride),
                                      static_cast<int>(op_.padding));
        require(oh >= 1 && ow >= 1 && out().h == static_cast<std::uint32_t>(oh) && out().w == static_cast<std::uint32_t>(ow),
                "output " + std::to_string(out().h) + "×" + std::to_string(out().w) + " does not follow from the input " +
                    std::to_string(in_h) + "×" + std::to_string(in_w));
    }

private:
    const Model& m_;
    const Op& op_;
    std::string prefix_;
};

void checkOp(const Model& m, const Op& op, std::size_t index, const std::string& origin) {
    OpChecker c(m, op, index, origin);
    c.require(op.output < m.tensors.size(), "output tensor id out of range");
    c.require(!op.inputs.empty(), "no inputs");
    for (const auto& in : op.inputs) {
        c.require(in.tensor < m.tensors.size(), "input tensor id out of range");
        c.require(m.tensors[in.tensor].type == DataType::UInt8, "input tensor is not uint8");
        c.require(in.tensor != op.output, "reads its own output");
    }
    const bool single = op.inputs.size() == 1;
    const TensorInfo& out = c.out();
    c.require(out.type == DataType::UInt8 || op.type == OpType::FullyConnected, "output tensor is not uint8");
    switch (op.type) {
        case OpType::Conv2d: {
            c.require(single, "needs one input");
            c.requireWindow(c.in(0).h, c.in(0).w);
            const std::size_t taps = std::size_t{c.in(0).c} * op.kernel_h * op.kernel_w;
            c.require(taps <= kMaxAccumulation, "accumulates too many terms");
            c.requireSize(op.weightCount(), out.c * taps, "weights");
            c.requireOutputStage(out.c);
            break;
        }
        case OpType::DepthwiseConv2d:
            c.require(single && c.in(0).c == out.c, "needs one input with as many channels as the output");
            c.requireWindow(c.in(0).h, c.in(0).w);
            c.requireSize(op.weightCount(), std::size_t{out.c} * op.kernel_h * op.kernel_w, "weights");
            c.requireOutputStage(out.c);
            break;
        case OpType::PointwiseConv2d:
            c.require(single, "needs one input");
            c.require(op.kernel_h == 1 && op.kernel_w == 1 && op.stride == 1 && op.padding == 0, "must be 1×1, stride 1, no padding");
            c.require(c.in(0).h == out.h && c.in(0).w == out.w, "input and output planes differ");
            c.require(c.in(0).c <= kMaxAccumulation, "accumulates too many terms");
            c.requireSize(op.weightCount(), std::size_t{out.c} * c.in(0).c, "weights");
            c.requireOutputStage(out.c);
            break;
        case OpType::FullyConnected: {
            std::size_t features = 0;
            for (std::size_t k = 0; k < op.inputs.size(); ++k) {
                features += c.in(k).elements();
                if (k > 0) c.requireShift(op.inputs[k].multiplier, op.inputs[k].shift);
            }
            c.require(features <= kMaxAccumulation, "accumulates too many terms");
            const std::size_t n = out.elements();
            c.requireSize(op.weightCount(), n * features, "weights");
            c.requireOutputStage(n);
            if (out.type == DataType::Int32) c.requireSize(op.output_scale.size(), n, "output scale");
            break;
        }
        case OpType::MaxPool2d:
            c.require(single && c.in(0).c == out.c, "needs one input with as many channels as the output");
            c.requireWindow(c.in(0).h, c.in(0).w);
            break;
        case OpType::Concat: {
            std::size_t total = 0;
            for (std::size_t k = 0; k < op.inputs.size(); ++k) {
                total += c.in(k).elements();
                c.requireShift(op.inputs[k].multiplier, op.inputs[k].shift);
            }
            c.requireSize(out.elements(), total, "output");
            break;
        }
        case OpType::Reshape:
            c.require(single && c.in(0).elements() == out.elements(), "changes the element count");
            break;
        case OpType::Lookup: {
            // The kernel indexes the table with every code the input may hold.
            c.require(single && c.in(0).elements() == out.elements(),
                      "needs one input with the output's element count");
            c.requireSize(op.bias.size(), std::size_t{1} << c.in(0).bits, "lookup table");
            const std::int32_t hi = (1 << out.bits) - 1;
            for (const std::int32_t v : op.bias)
                c.require(v >= 0 && v <= hi, "lookup table entry outside the output's codes");
            break;
        }
        case OpType::Mul:
            if (mulBroadcasts(op)) {
                c.require(op.inputs.size() == 2 && c.in(0).elements() == out.elements(),
                          "needs two inputs, the first with the output's element count");
                c.require(mulBroadcastIndex(op) < c.in(1).elements(),
                          "broadcasts element " + std::to_string(mulBroadcastIndex(op)) + " (padding " +
                              std::to_string(op.padding) + ") of a " + std::to_string(c.in(1).elements()) +
                              "-element input");
            } else {
                c.require(op.inputs.size() == 2 && c.in(0).elements() == out.elements() &&
                              c.in(1).elements() == out.elements(),
                          "needs two inputs with the output's element count");
            }
            c.requireSize(op.multiplier.size(), 1, "multiplier");
            c.requireSize(op.shift.size(), 1, "shift");
            c.requireShift(op.multiplier[0], op.shift[0]);
            break;
        case OpType::Add:
            c.require(op.inputs.size() == 2 && c.in(0).elements() == out.elements() &&
                          c.in(1).elements() == out.elements(),
                      "needs two inputs with the output's element count");
            for (const auto& in : op.inputs) c.requireShift(in.multiplier, in.shift);
            break;
        case OpType::Softmax: {
            // The kernel reads table[q_max − q] for every pair of input codes and divides by
            // Σe ≥ table[0]; its weights are codes 0..255.
            c.require(single && c.in(0).elements() == out.elements(),
                      "needs one input with the output's element count");
            c.require(out.bits == 8, "output must be 8-bit (weights on the grid 1/255), not " +
                                         std::to_string(out.bits) + "-bit");
            c.requireSize(op.bias.size(), std::size_t{1} << c.in(0).bits, "softmax table");
            for (const std::int32_t v : op.bias)
                c.require(v >= 0 && v <= kSoftmaxOne, "softmax table entry " + std::to_string(v) +
                                                          " outside 0.." + std::to_string(kSoftmaxOne));
            c.require(op.bias[0] > 0, "softmax table[0] is 0 (the largest score's term; it must be 2^15)");
            break;
        }
        default:
            c.fail("unknown op type " + std::to_string(static_cast<int>(op.type)));
    }
}

}  // namespace

void validateModel(const Model& m, const std::string& origin) {
    for (std::size_t i = 0; i < m.tensors.size(); ++i) {
        const TensorInfo& t = m.tensors[i];
        const std::string where = origin + ": tensor " + std::to_string(i) + " ('" + t.name + "')";
        // Each side ≤ 2^26, so c·h (≤ 2^52) cannot wrap, and once c·h ≤ 2^26 neither can c·h·w;
        // checking c·h·w alone let 2^26 × 2^26 × 2^12 wrap to 0 elements and pass.
        if (t.c == 0 || t.h == 0 || t.w == 0 || t.c > kMaxTensorElements || t.h > kMaxTensorElements ||
            t.w > kMaxTensorElements || std::size_t{t.c} * t.h > kMaxTensorElements ||
            t.elements() > kMaxTensorElements)
            throw Error(where + ": shape " + std::to_string(t.c) + "×" + std::to_string(t.h) + "×" + std::to_string(t.w) +
                        " is empty or too large");
        if (t.type == DataType::UInt8) {
            if (t.bits < 1 || t.bits > 8) throw Error(where + ": bits " + std::to_string(t.bits) + " (1..8)");
            if (t.zero_point < 0 || t.zero_point > (1 << t.bits) - 1)
                throw Error(where + ": zero point " + std::to_string(t.zero_point) + " outside its code range");
            if (!(t.scale > 0) || !std::isfinite(t.scale)) throw Error(where + ": scale must be positive and finite");
        } else if (t.type != DataType::Int32) {
            throw Error(where + ": unknown data type " + std::to_string(static_cast<int>(t.type)));
        }
    }
    if (m.inputs.empty()) throw Error(origin + ": the model has no inputs");
    std::vector<char> ready(m.tensors.size(), 0);
    for (const auto& in : m.inputs) {
        if (in.tensor >= m.tensors.size() || m.tensors[in.tensor].type != DataType::UInt8)
            throw Error(origin + ": input '" + in.modality + "' names a bad tensor");
        if (ready[in.tensor]) throw Error(origin + ": input '" + in.modality + "' repeats a tensor");
        ready[in.tensor] = 1;
    }
    if (m.output >= m.tensors.size() || m.tensors[m.output].type != DataType::Int32)
        throw Error(origin + ": the output tensor must be an int32 tensor of logits");
    for (std::size_t i = 0; i < m.ops.size(); ++i) {
        const Op& op = m.ops[i];
        checkOp(m, op, i, origin);
        // Execution order: inputs exist before the op, every tensor is written once.
        for (const auto& in : op.inputs)
            if (!ready[in.tensor])
                throw Error(origin + ": op " + std::to_string(i) + " ('" + op.name + "') reads tensor " +
                            std::to_string(in.tensor) + " before it is written");
        if (ready[op.output])
            throw Error(origin + ": op " + std::to_string(i) + " ('" + op.name + "') overwrites tensor " +
                        std::to_string(op.output));
        ready[op.output] = 1;
    }
    if (!ready[m.output]) throw Error(origin + ": no op writes the output tensor");
}

}  // namespace tm2::runtime
