#include "core/export/onnx/onnx_writer.h"

#include <cstring>
#include <nlohmann/json.hpp>
#include <type_traits>
#include <utility>

#include "core/base/atomic_write.h"
#include "core/base/error.h"
#include "core/export/onnx/protobuf_writer.h"

namespace tm2::onnx {

namespace {

// onnx.proto (ONNX 1.12) field numbers and enum values used below.
namespace model_field {
constexpr std::uint32_t kIrVersion = 1, kProducerName = 2, kProducerVersion = 3, kDocString = 6, kGraph = 7,
                        kOpsetImport = 8, kMetadataProps = 14;
}
namespace graph_field {
constexpr std::uint32_t kNode = 1, kName = 2, kInitializer = 5, kDocString = 10, kInput = 11, kOutput = 12;
}
namespace node_field {
constexpr std::uint32_t kInput = 1, kOutput = 2, kName = 3, kOpType = 4, kAttribute = 5;
}
namespace attribute_field {
constexpr std::uint32_t kName = 1, kI = 3, kInts = 8, kType = 20;
constexpr std::uint64_t kTypeInt = 2, kTypeInts = 7;
}  // namespace attribute_field
namespace tensor_field {
constexpr std::uint32_t kDims = 1, kDataType = 2, kName = 8, kRawData = 9, kDocString = 12;
}
namespace data_type {
constexpr std::uint64_t kFloat = 1, kUInt8 = 2, kInt8 = 3, kInt32 = 6;
}

using Dims = std::vector<std::int64_t>;

// Little-endian bytes of 1- or 4-byte values (raw_data is little-endian whatever the host).
template <typename T>
std::string littleEndian(const std::vector<T>& values) {
    static_assert(sizeof(T) == 1 || sizeof(T) == 4, "int8, uint8, int32 or float");
    using Word = std::conditional_t<sizeof(T) == 1, std::uint8_t, std::uint32_t>;
    std::string out;
    out.reserve(values.size() * sizeof(T));
    for (const T& v : values) {
        Word word = 0;
        std::memcpy(&word, &v, sizeof(T));
        for (std::size_t i = 0; i < sizeof(T); ++i)
            out.push_back(static_cast<char>((word >> (8 * i)) & 0xffu));
    }
    return out;
}

struct Attribute {
    std::string name;
    Dims ints;
    bool single = false;  // an INT attribute (ints[0]) rather than INTS
};
Attribute intAttr(std::string name, std::int64_t v) { return {std::move(name), {v}, true}; }
Attribute intsAttr(std::string name, Dims v) { return {std::move(name), std::move(v), false}; }

class GraphBuilder {
public:
    GraphBuilder(const OnnxSource& source, QuantForm form)
        : source_(source), model_(source.model), form_(form) {}

    std::string build(OnnxSummary* summary) {
        if (!source_.weight_scales.empty() && source_.weight_scales.size() != model_.ops.size())
            throw Error("onnx export: " + std::to_string(source_.weight_scales.size()) +
                        " weight-scale lists for " + std::to_string(model_.ops.size()) + " ops");
        float_.assign(model_.tensors.size(), "");
        rank_.assign(model_.tensors.size(), 0);
        for (std::size_t i = 0; i < model_.inputs.size(); ++i) addInput(i);
        for (std::size_t i = 0; i < model_.ops.size(); ++i) addOp(i);
        return serialize(summary);
    }

private:
    // ---- initializers and nodes -------------------------------------------------
    void tensor(const std::string& name, const Dims& dims, std::uint64_t type, std::string raw,
                const std::string& doc = {}) {
        ProtoWriter t;
        t.repeatedInt64(tensor_field::kDims, dims);
        t.varint(tensor_field::kDataType, type);
        t.bytes(tensor_field::kName, name);
        t.bytes(tensor_field::kRawData, raw);
        if (!doc.empty()) t.bytes(tensor_field::kDocString, doc);
        initializers_.push_back(std::move(t));
    }
    std::string floatConst(const std::string& name, float v) {
        tensor(name, {}, data_type::kFloat, littleEndian(std::vector<float>{v}));
        return name;
    }

    void node(const std::string& op, const std::vector<std::string>& inputs, const std::string& output,
              const std::vector<Attribute>& attributes = {}) {
        ProtoWriter n;
        for (const auto& in : inputs) n.bytes(node_field::kInput, in);
        n.bytes(node_field::kOutput, output);
        n.bytes(node_field::kName, op + ":" + output);
        n.bytes(node_field::kOpType, op);
        for (const auto& a : attributes) {
            ProtoWriter w;
            w.bytes(attribute_field::kName, a.name);
            if (a.single) {
                w.int64(attribute_field::kI, a.ints.at(0));
                w.varint(attribute_field::kType, attribute_field::kTypeInt);
            } else {
                w.repeatedInt64(attribute_field::kInts, a.ints);
                w.varint(attribute_field::kType, attribute_field::kTypeInts);
            }
            n.message(node_field::kAttribute, w);
        }
        nodes_.push_back(std::move(n));
    }

    // ---- activation quantizers ----------------------------------------------------
    // `x` (float) onto tensor t's grid: codes q = clamp(round(x / s) + z, 0, 2^b − 1), real
    // value s · (q − z), as fakeQuantizeActivation computes it. Output name: the tensor's name.
    void quantize(const std::string& x, std::size_t t) {
        const runtime::TensorInfo& info = model_.tensors[t];
        const std::string& name = info.name;
        const std::int64_t levels = (std::int64_t{1} << info.bits) - 1;
        const std::int64_t z = info.zero_point;
        if (form_ == QuantForm::Qdq) {
            if (z < 0 || z > levels)
                throw Error("onnx export: tensor '" + name + "' has zero point " + std::to_string(z) +
                            " outside 0.." + std::to_string(levels) +
                            "; QuantizeLinear cannot hold it (use the arithmetic form)");
            std::string in = x;
            if (info.bits < 8) {
                // uint8 saturates at 255; a b-bit grid stops at 2^b − 1.
                const std::string lo = floatConst(name + ".min", static_cast<float>(-z) * info.scale);
                const std::string hi = floatConst(name + ".max", static_cast<float>(levels - z) * info.scale);
                in = name + ".clipped";
                node("Clip", {x, lo, hi}, in);
            }
            const std::string s = floatConst(name + ".scale", info.scale);
            tensor(name + ".zero_point", {}, data_type::kUInt8,
                   std::string(1, static_cast<char>(static_cast<std::uint8_t>(z))),
                   std::to_string(info.bits) + "-bit activation codes (0.." + std::to_string(levels) +
                       ") in uint8");
            node("QuantizeLinear", {in, s, name + ".zero_point"}, name + ".codes");
            node("DequantizeLinear", {name + ".codes", s, name + ".zero_point"}, name);
            return;
        }
        // Arithmetic form: every intermediate is an integer-valued float, so the clamp is exact.
        const std::string s = floatConst(name + ".scale", info.scale);
        node("Div", {x, s}, name + ".scaled");
        node("Round", {name + ".scaled"}, name + ".rounded");
        node("Add", {name + ".rounded", floatConst(name + ".zero_point", static_cast<float>(z))},
             name + ".shifted");
        node("Relu", {name + ".shifted"}, name + ".at_least_0");  // max(v, 0)
        // min(v, L) = L − max(L − v, 0), as Add(−L), Neg, Relu, Neg, then + (L − z) for the centring.
        node("Add", {name + ".at_least_0", floatConst(name + ".minus_top", static_cast<float>(-levels))},
             name + ".minus_top_code");
        node("Neg", {name + ".minus_top_code"}, name + ".below_top");
        node("Relu", {name + ".below_top"}, name + ".headroom");
        node("Neg", {name + ".headroom"}, name + ".minus_headroom");
        node("Add",
             {name + ".minus_headroom", floatConst(name + ".top_centred", static_cast<float>(levels - z))},
             name + ".centred");
        node("Mul", {name + ".centred", s}, name);
    }

    // ---- weights and biases -------------------------------------------------------
    const std::vector<float>& weightScales(std::size_t op_index, std::size_t channels) const {
        const runtime::Op& op = model_.ops[op_index];
        if (source_.weight_scales.size() <= op_index || source_.weight_scales[op_index].size() != channels)
            throw Error("onnx export: op '" + op.name + "' needs " + std::to_string(channels) +
                        " weight scales (one per output channel)");
        return source_.weight_scales[op_index];
    }

    // Returns the name of the float weight tensor (dims as the ONNX op takes them).
    std::string weights(std::size_t op_index, const Dims& dims) {
        const runtime::Op& op = model_.ops[op_index];
        const std::size_t channels = static_cast<std::size_t>(dims[0]);
        const std::vector<float>& scales = weightScales(op_index, channels);
        const std::vector<std::int8_t> codes = op.weightCodes();
        const std::size_t per_channel = codes.size() / channels;
        const std::string name = op.name + ".weight";
        if (form_ == QuantForm::Qdq) {
            const std::string doc = std::to_string(op.weight_bits) + "-bit symmetric weight codes (±" +
                                    std::to_string((1 << (op.weight_bits - 1)) - 1) +
                                    ") stored in int8; real weight = code · scale[output channel]";
            tensor(name + ".codes", dims, data_type::kInt8, littleEndian(codes), doc);
            tensor(name + ".scale", {static_cast<std::int64_t>(channels)}, data_type::kFloat,
                   littleEndian(scales));
            tensor(name + ".zero_point", {static_cast<std::int64_t>(channels)}, data_type::kInt8,
                   std::string(channels, '\0'));
            node("DequantizeLinear", {name + ".codes", name + ".scale", name + ".zero_point"}, name,
                 {intAttr("axis", 0)});
        } else {
            std::vector<float> real(codes.size());
            for (std::size_t i = 0; i < codes.size(); ++i)
                real[i] = static_cast<float>(codes[i]) * scales[i / per_channel];
            tensor(name, dims, data_type::kFloat, littleEndian(real),
                   std::to_string(op.weight_bits) + "-bit weight codes · scale, dequantized");
        }
        return name;
    }

    // int32 bias codes at s_in · s_w,c (the runtime's accumulator scale).
    std::string bias(std::size_t op_index, double input_scale) {
        const runtime::Op& op = model_.ops[op_index];
        const std::vector<float>& scales = weightScales(op_index, op.bias.size());
        std::vector<float> acc_scale(op.bias.size());
        for (std::size_t c = 0; c < op.bias.size(); ++c)
            acc_scale[c] = static_cast<float>(input_scale * static_cast<double>(scales[c]));
        const std::string name = op.name + ".bias";
        const auto n = static_cast<std::int64_t>(op.bias.size());
        if (form_ == QuantForm::Qdq) {
            tensor(name + ".codes", {n}, data_type::kInt32, littleEndian(op.bias),
                   "int32 bias codes at input scale · weight scale");
            tensor(name + ".scale", {n}, data_type::kFloat, littleEndian(acc_scale));
            tensor(name + ".zero_point", {n}, data_type::kInt32, std::string(op.bias.size() * 4, '\0'));
            node("DequantizeLinear", {name + ".codes", name + ".scale", name + ".zero_point"}, name,
                 {intAttr("axis", 0)});
        } else {
            std::vector<float> real(op.bias.size());
            for (std::size_t c = 0; c < real.size(); ++c)
                real[c] = static_cast<float>(static_cast<double>(op.bias[c]) * acc_scale[c]);
            tensor(name, {n}, data_type::kFloat, littleEndian(real), "int32 bias codes · accumulator scale");
        }
        return name;
    }

    // ---- graph ------------------------------------------------------------------
    static ProtoWriter valueInfo(const std::string& name, const Dims& dims) {
        ProtoWriter shape;
        for (std::size_t i = 0; i < dims.size(); ++i) {
            ProtoWriter dim;
            if (i == 0)
                dim.bytes(2, "batch");  // Dimension.dim_param
            else
                dim.int64(1, dims[i]);  // Dimension.dim_value
            shape.message(1, dim);      // TensorShapeProto.dim
        }
        ProtoWriter tensor_type;
        tensor_type.varint(1, data_type::kFloat);  // TypeProto.Tensor.elem_type
        tensor_type.message(2, shape);             // TypeProto.Tensor.shape
        ProtoWriter type;
        type.message(1, tensor_type);  // TypeProto.tensor_type
        ProtoWriter info;
        info.bytes(1, name);    // ValueInfoProto.name
        info.message(2, type);  // ValueInfoProto.type
        return info;
    }

    void addInput(std::size_t i) {
        const runtime::ModelInput& in = model_.inputs[i];
        const runtime::TensorInfo& t = model_.tensors.at(in.tensor);
        Dims dims{0};  // batch
        if (i < source_.input_dims.size() && !source_.input_dims[i].empty()) {
            dims.insert(dims.end(), source_.input_dims[i].begin(), source_.input_dims[i].end());
            std::int64_t n = 1;
            for (std::size_t k = 1; k < dims.size(); ++k) n *= dims[k];
            if (n != static_cast<std::int64_t>(t.elements()))
                throw Error("onnx export: input '" + in.modality + "' shape has " + std::to_string(n) +
                            " elements, its tensor '" + t.name + "' " + std::to_string(t.elements()));
        } else {
            dims.insert(dims.end(), {t.c, t.h, t.w});
        }
        inputs_.push_back(valueInfo(in.modality, dims));
        quantize(in.modality, in.tensor);
        float_[in.tensor] = t.name;
        rank_[in.tensor] = dims.size();
    }

    std::string asMatrix(std::uint32_t t) {
        if (rank_[t] == 2) return float_[t];
        const std::string flat = model_.tensors[t].name + ".flat";
        node("Flatten", {float_[t]}, flat, {intAttr("axis", 1)});
        return flat;
    }

    void addOp(std::size_t index) {
        const runtime::Op& op = model_.ops[index];
        const runtime::TensorInfo& out = model_.tensors.at(op.output);
        const auto k = static_cast<std::int64_t>(op.kernel_h), kw = static_cast<std::int64_t>(op.kernel_w);
        const auto p = static_cast<std::int64_t>(op.padding), s = static_cast<std::int64_t>(op.stride);
        const std::uint32_t in = op.inputs.at(0).tensor;
        const runtime::TensorInfo& in_info = model_.tensors.at(in);
        std::string result;
        switch (op.type) {
            case runtime::OpType::Conv2d:
            case runtime::OpType::DepthwiseConv2d:
            case runtime::OpType::PointwiseConv2d: {
                const bool depthwise = op.type == runtime::OpType::DepthwiseConv2d;
                const auto o = static_cast<std::int64_t>(out.c);
                const Dims wdims{o, depthwise ? 1 : static_cast<std::int64_t>(in_info.c), k, kw};
                const std::string w = weights(index, wdims);
                const std::string b = bias(index, in_info.scale);
                result = out.name + ".conv";
                node("Conv", {float_[in], w, b}, result,
                     {intsAttr("kernel_shape", {k, kw}), intsAttr("strides", {s, s}),
                      intsAttr("pads", {p, p, p, p}), intAttr("group", depthwise ? o : 1)});
                rank_[op.output] = 4;
                break;
            }
            case runtime::OpType::FullyConnected: {
                std::vector<std::string> segments;
                for (const auto& seg : op.inputs) segments.push_back(asMatrix(seg.tensor));
                std::string x = segments[0];
                if (segments.size() >
                    1) {  // the fused concat: float values side by side, each on its own grid
                    x = out.name + ".concat";
                    node("Concat", segments, x, {intAttr("axis", 1)});
                }
                const auto o = static_cast<std::int64_t>(out.c);
                const std::string w = weights(index, {o, static_cast<std::int64_t>(op.weightCount()) / o});
                const std::string b = bias(index, in_info.scale);  // the first segment's scale (tmn_exporter)
                const bool logits = op.output == model_.output;
                result = logits && !op.relu ? std::string("logits") : out.name + ".gemm";
                node("Gemm", {x, w, b}, result, {intAttr("transB", 1)});
                rank_[op.output] = 2;
                break;
            }
            case runtime::OpType::MaxPool2d:
                // Max commutes with the (monotone) quantizer: the codes keep their grid, no new quantizer.
                node("MaxPool", {float_[in]}, out.name,
                     {intsAttr("kernel_shape", {k, kw}), intsAttr("strides", {s, s}),
                      intsAttr("pads", {p, p, p, p})});
                float_[op.output] = out.name;
                rank_[op.output] = 4;
                return;
            case runtime::OpType::Reshape:
                node("Flatten", {float_[in]}, out.name, {intAttr("axis", 1)});
                float_[op.output] = out.name;
                rank_[op.output] = 2;
                return;
            case runtime::OpType::Lookup:
            case runtime::OpType::Mul:
            case runtime::OpType::Add:
            case runtime::OpType::Softmax:
                throw Error(
                    "onnx export: op '" + op.name + "' (" + runtime::toString(op.type) +
                    ", gated, attention or FiLM fusion) has no ONNX form yet; export the .tmn instead");
            case runtime::OpType::Concat: {
                std::vector<std::string> parts;
                for (const auto& seg : op.inputs) parts.push_back(float_[seg.tensor]);
                result = out.name + ".concat";
                node("Concat", parts, result, {intAttr("axis", 1)});
                rank_[op.output] = rank_[in];
                break;
            }
        }
        if (op.relu) {
            const bool logits = op.output == model_.output;
            node("Relu", {result}, logits ? std::string("logits") : out.name + ".relu");
            result = logits ? std::string("logits") : out.name + ".relu";
        }
        if (op.output == model_.output) {
            if (out.type != runtime::DataType::Int32)
                throw Error("onnx export: the output '" + out.name + "' is not logits");
            float_[op.output] = "logits";
            outputs_.push_back(valueInfo("logits", {0, static_cast<std::int64_t>(out.c)}));
            return;
        }
        quantize(result, op.output);
        float_[op.output] = out.name;
    }

    std::string serialize(OnnxSummary* summary) {
        ProtoWriter graph;
        for (const auto& n : nodes_) graph.message(graph_field::kNode, n);
        graph.bytes(graph_field::kName, "tinym2net");
        for (const auto& t : initializers_) graph.message(graph_field::kInitializer, t);
        graph.bytes(graph_field::kDocString, "TinyM2Net quantized network (" + std::string(toString(form_)) +
                                                 " form); inputs are the normalised features per modality, "
                                                 "the output the logits");
        for (const auto& i : inputs_) graph.message(graph_field::kInput, i);
        for (const auto& o : outputs_) graph.message(graph_field::kOutput, o);

        ProtoWriter opset;
        opset.bytes(1, "");  // OperatorSetIdProto.domain: the default (ai.onnx)
        opset.int64(2, kOpsetVersion);
        ProtoWriter model;
        model.int64(model_field::kIrVersion, kIrVersion);
        model.bytes(model_field::kProducerName, "tinym2net");
        model.bytes(model_field::kProducerVersion, "1");
        model.bytes(model_field::kDocString,
                    "Exported from a TinyM2Net Workbench quantized run; see docs/onnx-export.md");
        model.message(model_field::kGraph, graph);
        model.message(model_field::kOpsetImport, opset);
        nlohmann::json bits = nlohmann::json::object();
        for (const auto& op : model_.ops)
            if (!op.bias.empty()) bits[op.name] = op.weight_bits;
        const std::vector<std::pair<std::string, std::string>> metadata{
            {"tinym2net.form", toString(form_)},
            {"tinym2net.classes", nlohmann::json(model_.frontend.classes).dump()},
            {"tinym2net.weight_bits", bits.dump()}};
        for (const auto& [key, value] : metadata) {
            ProtoWriter entry;
            entry.bytes(1, key);
            entry.bytes(2, value);
            model.message(model_field::kMetadataProps, entry);
        }
        if (summary) {
            summary->bytes = model.data().size();
            summary->nodes = nodes_.size();
            summary->initializers = initializers_.size();
        }
        return model.data();
    }

    const OnnxSource& source_;
    const runtime::Model& model_;
    QuantForm form_;
    std::vector<std::string> float_;  // per runtime tensor: the ONNX name of its real (dequantized) value
    std::vector<std::size_t> rank_;   // per runtime tensor: rank in the ONNX graph (batch included)
    std::vector<ProtoWriter> nodes_, initializers_, inputs_, outputs_;
};

}  // namespace

const char* toString(QuantForm form) { return form == QuantForm::Qdq ? "qdq" : "arithmetic"; }

QuantForm parseQuantForm(const std::string& name) {
    if (name == "qdq") return QuantForm::Qdq;
    if (name == "arithmetic") return QuantForm::Arithmetic;
    throw Error("ONNX form '" + name + "': expected qdq or arithmetic");
}

std::string serializeOnnx(const OnnxSource& source, QuantForm form, OnnxSummary* summary) {
    runtime::validateModel(source.model, "onnx export");
    return GraphBuilder(source, form).build(summary);
}

OnnxSummary writeOnnx(const std::string& path, const OnnxSource& source, QuantForm form) {
    OnnxSummary summary;
    const std::string bytes = serializeOnnx(source, form, &summary);
    writeFileAtomically(path, bytes);
    return summary;
}

}  // namespace tm2::onnx
