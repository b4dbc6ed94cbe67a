#include "core/runtime/interpreter.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>

#include "core/base/error.h"
#include "core/runtime/arena_planner.h"

namespace tm2::runtime {

namespace {
bool hasScratch(OpType t) {
    return t == OpType::Conv2d || t == OpType::DepthwiseConv2d || t == OpType::PointwiseConv2d;
}

// The codes the kernels read: int4 / int2 left packed when the model was read in place.
bool packedInPlace(const Op& op) { return op.weights_in_place != nullptr && op.weight_bits < 8; }  // int4 / int2

WeightCodes weightCodesOf(const Op& op) {
    return packedInPlace(op) ? WeightCodes::packed(op.weights_in_place, op.weight_bits)
                             : WeightCodes(op.weightData());
}

ConvGeometry geometryOf(const TensorInfo& in, const TensorInfo& out, const Op& op) {
    return {static_cast<int>(in.c),        static_cast<int>(in.h),        static_cast<int>(in.w),
            static_cast<int>(out.c),       static_cast<int>(out.h),       static_cast<int>(out.w),
            static_cast<int>(op.kernel_h), static_cast<int>(op.kernel_w), static_cast<int>(op.stride),
            static_cast<int>(op.padding)};
}

// Whether the conv kernel takes a pair path (and so reads weight pairs) on `ops`.
bool usesPairs(OpType t, const ConvGeometry& g, const SimdOps& ops) {
    switch (t) {
        case OpType::Conv2d: return conv2dUsesPairs(g, ops);
        case OpType::DepthwiseConv2d: return depthwiseConv2dUsesPairs(g, ops);
        case OpType::PointwiseConv2d: return pointwiseConv2dUsesPairs(g, ops);
        default: return false;
    }
}

// int4 weights left packed: their pairs are built per call from the nibbles (ops.int4_pairs)
// into the arena, so nothing 2 bytes a weight stays on the heap.
bool panelPerCall(const Op& op, const SimdOps& ops) { return op.packedInt4InPlace() && ops.int4_pairs; }

int pairK(const Op& op, const ConvGeometry& g) {  // weights per output channel
    return static_cast<int>(op.weightCount() / static_cast<std::size_t>(g.out_c));
}

// max |x − zp| over the codes tensor `t` can hold: its bits' range when an op writes it (outputs
// are clamped to [0, 2^bits − 1]), any byte for a model input (inputCodes() may write any).
std::int32_t inputReach(const Model& model, std::uint32_t t) {
    const TensorInfo& info = model.tensors[t];
    std::int32_t top = 255;
    const bool model_input = std::any_of(model.inputs.begin(), model.inputs.end(),
                                         [&](const ModelInput& in) { return in.tensor == t; });
    if (!model_input && info.bits >= 1 && info.bits < 8) top = (1 << info.bits) - 1;
    const std::int32_t zp = info.zero_point;
    return std::max(zp > top ? zp : top - zp, zp < 0 ? -zp : zp);
}

std::size_t scratchBytes(OpType t, const ConvGeometry& g, const SimdOps& ops) {
    switch (t) {
        case OpType::Conv2d: return conv2dScratchBytes(g, ops);
        case OpType::DepthwiseConv2d: return depthwiseConv2dScratchBytes(g, ops);
        case OpType::PointwiseConv2d: return pointwiseConv2dScratchBytes(g, ops);
        default: return 0;
    }
}
}  // namespace

Interpreter::Interpreter(Model model, InterpreterOptions options)
    : model_(std::move(model)),
      ops_(options.ops ? options.ops : &bestSimdOps()),
      keep_all_(options.keep_all_tensors),
      external_arena_(options.arena),
      external_arena_size_(options.arena ? options.arena_size : 0),
      max_arena_bytes_(options.max_arena_bytes) {
    validateModel(model_, "interpreter");
    prepare();
}

void Interpreter::prepare() {
    const std::size_t n_tensors = model_.tensors.size();
    const int last_op = static_cast<int>(model_.ops.size()) - 1;
    std::vector<BufferRequest> requests(n_tensors);
    std::vector<char> used(n_tensors, 0);
    for (std::size_t t = 0; t < n_tensors; ++t) requests[t] = {model_.tensors[t].bytes(), -1, -1};
    for (const auto& in : model_.inputs) used[in.tensor] = 1, requests[in.tensor].first_use = -1;
    for (int i = 0; i <= last_op; ++i) {
        const Op& op = model_.ops[static_cast<std::size_t>(i)];
        requests[op.output].first_use = i;
        requests[op.output].last_use = std::max(requests[op.output].last_use, i);
        used[op.output] = 1;
        for (const auto& in : op.inputs) requests[in.tensor].last_use = std::max(requests[in.tensor].last_use, i);
    }
    requests[model_.output].last_use = last_op + 1;  // read after invoke()
    for (const auto& in : model_.inputs) requests[in.tensor].last_use = std::max(requests[in.tensor].last_use, 0);
    for (std::size_t t = 0; t < n_tensors; ++t) {
        if (!used[t]) requests[t].bytes = 0;
        if (keep_all_) requests[t].first_use = -1, requests[t].last_use = last_op + 1;
    }
    prepared_.resize(model_.ops.size());
    std::vector<std::size_t> scratch_request(model_.ops.size(), 0), panel_request(model_.ops.size(), 0);
    for (int i = 0; i <= last_op; ++i) {
        const Op& op = model_.ops[static_cast<std::size_t>(i)];
        if (!hasScratch(op.type)) continue;
        const ConvGeometry g = geometryOf(model_.tensors[op.inputs[0].tensor], model_.tensors[op.output], op);
        scratch_request[static_cast<std::size_t>(i)] = requests.size();
        requests.push_back({scratchBytes(op.type, g, *ops_), i, i});
        if (g.out_c > 0 && panelPerCall(op, *ops_) && usesPairs(op.type, g, *ops_)) {
            const std::size_t bytes =
                static_cast<std::size_t>(g.out_c) * weightPairCount(pairK(op, g)) * sizeof(std::int32_t);
            panel_request[static_cast<std::size_t>(i)] = requests.size();
            requests.push_back({bytes, i, i});
            call_panel_bytes_ = std::max(call_panel_bytes_, bytes);
        }
    }
    const ArenaPlan plan = planArena(requests, 16);
    offsets_.assign(plan.offsets.begin(), plan.offsets.begin() + static_cast<std::ptrdiff_t>(n_tensors));
    arena_bytes_ = plan.peak_bytes;
    if (arena_bytes_ > max_arena_bytes_)
        throw Error(
            (model_.origin.empty() ? std::string("interpreter") : model_.origin) +
            ": this model's activations need a " + std::to_string(arena_bytes_) +
            "-byte arena, more than the limit of " + std::to_string(max_arena_bytes_) +
            " bytes (InterpreterOptions::max_arena_bytes); a model this size is corrupted or hostile");
    std::uint8_t* base = external_arena_;
    std::size_t size = external_arena_size_;
    if (!base) {
        storage_.assign(arena_bytes_ + 64, 0);
        base = storage_.data(), size = storage_.size();
    }
    const std::size_t pad = (64 - reinterpret_cast<std::uintptr_t>(base) % 64) % 64;
    if (size < pad || size - pad < arena_bytes_)
        throw Error("interpreter: the given arena has " + std::to_string(size < pad ? 0 : size - pad) +
                    " bytes after 64-byte alignment; this model needs " + std::to_string(arena_bytes_));
    arena_ = base + pad;
    std::memset(arena_, 0, arena_bytes_);

    for (std::size_t i = 0; i < model_.ops.size(); ++i) {
        const Op& op = model_.ops[i];
        Prepared& p = prepared_[i];
        const TensorInfo& in = model_.tensors[op.inputs[0].tensor];
        const TensorInfo& out = model_.tensors[op.output];
        p.geometry = geometryOf(in, out, op);
        p.stage.bias = op.bias.empty() ? nullptr : op.bias.data();
        p.stage.multiplier = op.multiplier.data();
        p.stage.shift = op.shift.data();
        p.stage.zero_point = out.zero_point;
        p.stage.lo = op.relu ? out.zero_point : 0;
        p.stage.hi = out.type == DataType::UInt8 ? (1 << out.bits) - 1 : 0;
        if (hasScratch(op.type)) {
            p.scratch = plan.offsets[scratch_request[i]];
            // Only the pair paths' loops read it (NEON's int16 ones): the MCU's portable loops skip the pass.
            if (p.geometry.out_c > 0 && usesPairs(op.type, p.geometry, *ops_))
                p.stage.acc_bound =
                    accumulatorBound(weightCodesOf(op), p.geometry.out_c, pairK(op, p.geometry),
                                     inputReach(model_, op.inputs[0].tensor));
        }
        if (panel_request[i] != 0) {  // (request 0 is a tensor's, never a panel's)
            if (call_panels_.empty()) call_panels_.assign(model_.ops.size(), kNoPanel);
            call_panels_[i] = plan.offsets[panel_request[i]];  // run() builds the pairs there
        } else if (hasScratch(op.type) && p.geometry.out_c > 0 && usesPairs(op.type, p.geometry, *ops_)) {
            // Packed once here so invoke() neither re-lays out nor allocates.
            const int k = pairK(op, p.geometry);
            p.weight_pairs.resize(static_cast<std::size_t>(p.geometry.out_c) * weightPairCount(k));
            packWeightPairs(weightCodesOf(op), p.geometry.out_c, k, p.weight_pairs.data(), *ops_);
        }
        p.segments.reserve(op.inputs.size());
        for (const auto& input : op.inputs) {
            const TensorInfo& t = model_.tensors[input.tensor];
            p.segments.push_back({arena_ + offsets_[input.tensor], t.zero_point, static_cast<int>(t.elements()),
                                  input.multiplier, input.shift});
        }
    }
}

std::size_t Interpreter::weightBytes() const {
    std::size_t n = 0;
    for (const auto& op : model_.ops)
        n += op.weightBytes() + 4 * (op.bias.size() + op.multiplier.size() + op.shift.size() + op.output_scale.size());
    return n;
}

std::size_t Interpreter::weightPanelBytes() const {
    std::size_t n = 0;
    for (const auto& p : prepared_) n += p.weight_pairs.size() * sizeof(std::int32_t);
    return n;
}

std::size_t Interpreter::inputElements(std::size_t input) const {
    if (input >= model_.inputs.size()) throw Error("model has " + std::to_string(model_.inputs.size()) + " inputs");
    return model_.tensors[model_.inputs[input].tensor].elements();
}

void Interpreter::setInput(std::size_t input, const float* values, std::size_t count) {
    if (count != inputElements(input))
        throw Error("input '" + model_.inputs[input].modality + "' takes " + std::to_string(inputElements(input)) +
                    " values, got " + std::to_string(count));
    const TensorInfo& t = model_.tensors[model_.inputs[input].tensor];
    std::uint8_t* dst = arena_ + offsets_[model_.inputs[input].tensor];
    const float levels = static_cast<float>((1 << t.bits) - 1);
    const auto zero = static_cast<float>(t.zero_point);
    // Float32 arithmetic and round-half-even, as the fake-quant input quantizer computes it.
    for (std::size_t i = 0; i < count; ++i) {
        float q = std::nearbyint(values[i] / t.scale) + zero;
        q = std::isnan(q) ? zero : std::min(std::max(q, 0.0f), levels);
        dst[i] = static_cast<std::uint8_t>(q);
    }
}

std::uint8_t* Interpreter::inputCodes(std::size_t input) {
    if (input >= model_.inputs.size()) throw Error("model has " + std::to_string(model_.inputs.size()) + " inputs");
    return arena_ + offsets_[model_.inputs[input].tensor];
}

void Interpreter::invoke() {
    for (std::size_t i = 0; i < model_.ops.size(); ++i) run(i);
}

void Interpreter::invokeProfiled(std::vector<double>& per_op_us) {
    per_op_us.resize(model_.ops.size());
    for (std::size_t i = 0; i < model_.ops.size(); ++i) {
        const auto start = std::chrono::steady_clock::now();
        run(i);
        per_op_us[i] = std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start).count();
    }
}

void Interpreter::run(std::size_t index) {
    const Op& op = model_.ops[index];
    Prepared& p = prepared_[index];
    const std::uint8_t* in = arena_ + offsets_[op.inputs[0].tensor];
    const std::int32_t in_zp = model_.tensors[op.inputs[0].tensor].zero_point;
    std::uint8_t* out = arena_ + offsets_[op.output];
    auto* scratch = reinterpret_cast<std::int32_t*>(arena_ + p.scratch);
    const std::int32_t* pairs = p.weight_pairs.empty() ? nullptr : p.weight_pairs.data();
    if (!call_panels_.empty() && call_panels_[index] != kNoPanel) {
        auto* panel = reinterpret_cast<std::int32_t*>(arena_ + call_panels_[index]);
        packWeightPairs(weightCodesOf(op), p.geometry.out_c, pairK(op, p.geometry), panel, *ops_);
        pairs = panel;
    }
    switch (op.type) {
        case OpType::Conv2d:
            conv2d(p.geometry, in, in_zp, weightCodesOf(op), p.stage, out, scratch, *ops_, pairs);
            break;
        case OpType::DepthwiseConv2d:
            depthwiseConv2d(p.geometry, in, in_zp, weightCodesOf(op), p.stage, out, scratch, *ops_, pairs);
            break;
        case OpType::PointwiseConv2d:
            pointwiseConv2d(p.geometry, in, in_zp, weightCodesOf(op), p.stage, out, scratch, *ops_, pairs);
            break;
        case OpType::FullyConnected: {
            const bool logits = model_.tensors[op.output].type == DataType::Int32;
            const int n = static_cast<int>(model_.tensors[op.output].elements());
            std::int32_t* raw = logits ? reinterpret_cast<std::int32_t*>(out) : nullptr;
            if (op.packedInt4InPlace())
                fullyConnectedPackedInt4(p.segments.data(), static_cast<int>(p.segments.size()), n,
                                         op.weights_in_place, p.stage, logits ? nullptr : out, raw, *ops_);
            else if (packedInPlace(op))
                fullyConnectedPackedInt2(p.segments.data(), static_cast<int>(p.segments.size()), n,
                                         op.weights_in_place, p.stage, logits ? nullptr : out, raw);
            else
                fullyConnected(p.segments.data(), static_cast<int>(p.segments.size()), n, op.weightData(), p.stage,
                               logits ? nullptr : out, raw, *ops_);
            break;
        }
        case OpType::MaxPool2d:
            maxPool2d(p.geometry, in, out, *ops_);
            break;
        case OpType::Concat: {
            std::uint8_t* dst = out;
            for (const FcSegment& s : p.segments) {
                requantizeCodes(s.data, s.length, s.zero_point, s.multiplier, s.shift, p.stage.zero_point, p.stage.hi, dst);
                dst += s.length;
            }
            break;
        }
        case OpType::Reshape:
            std::memmove(out, in, model_.tensors[op.output].elements());
            break;
        case OpType::Lookup:
            lookupCodes(in, static_cast<int>(model_.tensors[op.output].elements()), op.bias.data(), out);
            break;
        case OpType::Mul: {
            const FcSegment& b = p.segments[1];
            if (mulBroadcasts(op))
                multiplyByCode(in, in_zp, b.data[mulBroadcastIndex(op)], b.zero_point, p.segments[0].length,
                               op.multiplier[0], op.shift[0], p.stage.zero_point, p.stage.hi, out);
            else
                multiplyCodes(in, in_zp, b.data, b.zero_point, b.length, op.multiplier[0], op.shift[0],
                              p.stage.zero_point, p.stage.hi, out);
            break;
        }
        case OpType::Softmax:
            softmaxCodes(in, static_cast<int>(model_.tensors[op.output].elements()), op.bias.data(), out);
            break;
        case OpType::Add:
            addCodes(p.segments[0], p.segments[1], p.stage.zero_point, p.stage.hi, out);
            break;
    }
}

const std::int32_t* Interpreter::rawLogits() const {
    return reinterpret_cast<const std::int32_t*>(arena_ + offsets_[model_.output]);
}

float Interpreter::logit(std::size_t c) const {
    const Op* producer = nullptr;
    for (const auto& op : model_.ops)
        if (op.output == model_.output) producer = &op;
    return static_cast<float>(rawLogits()[c]) * producer->output_scale[c];
}

std::size_t Interpreter::argmax() const {
    std::size_t best = 0;
    for (std::size_t c = 1; c < classCount(); ++c)
        if (logit(c) > logit(best)) best = c;
    return best;
}

std::vector<float> Interpreter::dequantized(std::size_t tensor) const {
    const TensorInfo& t = model_.tensors.at(tensor);
    std::vector<float> values(t.elements());
    if (t.type == DataType::Int32) {
        for (std::size_t c = 0; c < values.size(); ++c) values[c] = tensor == model_.output ? logit(c) : 0.0f;
        return values;
    }
    const std::uint8_t* codes = tensorCodes(tensor);
    for (std::size_t i = 0; i < values.size(); ++i) values[i] = t.scale * static_cast<float>(codes[i] - t.zero_point);
    return values;
}

}  // namespace tm2::runtime
