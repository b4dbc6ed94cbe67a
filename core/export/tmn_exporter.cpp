#include "core/export/tmn_exporter.h"

#include <algorithm>
#include <cmath>

#include "core/base/error.h"
#include "core/runtime/kernels/requantize.h"
#include "core/runtime/kernels/sigmoid_table.h"
#include "core/runtime/kernels/softmax_table.h"
#include "core/train/fake_quant.h"

namespace tm2::exporter {

namespace {

using model::LayerType;
using runtime::DataType;
using runtime::OpType;

const model::LayerShape& shapeOf(const model::ShapeReport& shapes, const std::string& branch, int index) {
    for (const auto& l : shapes.layers)
        if (l.branch == branch && l.index == index) return l;
    throw Error("export: no shape for " + branch + " layer " + std::to_string(index));
}

struct Quant {
    double scale = 1;
    std::int32_t zero_point = 0;
    int bits = 8;
};

// The scale / zero point fakeQuantizeActivation uses for [lo, hi] at `bits`.
Quant activationQuant(const train::ActivationQuantizer& q, const std::string& layer) {
    if (!q || q->mode != train::ActivationQuantizerImpl::Mode::Quantize || !(q->hi > q->lo))
        throw Error("export: layer '" + layer + "' has no calibrated activation quantizer (run quantize first)");
    const train::ActivationGrid g = train::activationGrid(q->lo, q->hi, q->bits);
    Quant out;
    out.scale = g.scale;
    out.zero_point = static_cast<std::int32_t>(g.zero_point);
    out.bits = q->bits;
    return out;
}

class Builder {
public:
    explicit Builder(train::MultimodalNet& net) : net_(net) {}

    std::uint32_t addTensor(const std::string& name, std::vector<std::size_t> shape, const Quant& q,
                            DataType type = DataType::UInt8) {
        while (shape.size() < 3) shape.push_back(1);
        runtime::TensorInfo t;
        t.name = name;
        t.type = type;
        t.c = static_cast<std::uint32_t>(shape[0]), t.h = static_cast<std::uint32_t>(shape[1]),
        t.w = static_cast<std::uint32_t>(shape[2]);
        t.scale = static_cast<float>(q.scale);
        t.zero_point = q.zero_point;
        t.bits = static_cast<std::uint8_t>(type == DataType::Int32 ? 32 : q.bits);
        model_.tensors.push_back(t);
        quant_.push_back(q);
        return static_cast<std::uint32_t>(model_.tensors.size() - 1);
    }

    // Weight codes exactly as fakeQuantizeWeight computes them, with their float32 scales.
    void quantizeWeights(train::QuantizableLayer& unit, runtime::Op& op, std::vector<double>& scales) {
        const int bits = unit.bits();
        if (bits != 2 && bits != 4 && bits != 8)
            throw Error("export: layer '" + unit.name + "' is at " + std::to_string(bits) +
                        " bits; the runtime takes 2, 4 or 8 (quantize the run first)");
        const torch::Tensor w = unit.weight().detach();
        const torch::Tensor scale = train::weightScales(w, bits);
        const torch::Tensor codes = train::weightCodes(w, bits).to(torch::kInt8).contiguous();
        op.weights.assign(codes.data_ptr<std::int8_t>(), codes.data_ptr<std::int8_t>() + codes.numel());
        op.weight_bits = static_cast<std::uint8_t>(bits);
        const torch::Tensor s = scale.to(torch::kFloat64).contiguous();
        scales.assign(s.data_ptr<double>(), s.data_ptr<double>() + s.numel());
    }

    // int32 bias at s_in · s_w,c and dyadic s_in · s_w,c / s_out per output channel.
    void outputStage(train::QuantizableLayer& unit, runtime::Op& op, double s_in, const std::vector<double>& s_w,
                     const Quant* out) {
        torch::Tensor b = unit.bias();
        std::vector<double> bias(s_w.size(), 0.0);
        if (b.defined()) {
            const torch::Tensor d = b.detach().to(torch::kFloat64).contiguous();
            bias.assign(d.data_ptr<double>(), d.data_ptr<double>() + d.numel());
        }
        for (std::size_t c = 0; c < s_w.size(); ++c) {
            const double acc_scale = s_in * s_w[c];
            const double q = std::round(bias[c] / acc_scale);
            if (std::abs(q) > 1e9) throw Error("export: layer '" + unit.name + "': bias does not fit int32");
            op.bias.push_back(static_cast<std::int32_t>(q));
            if (out) {
                const runtime::Dyadic d = runtime::toDyadic(acc_scale / out->scale);
                op.multiplier.push_back(d.multiplier);
                op.shift.push_back(d.shift);
            } else {
                op.multiplier.push_back(1 << 30);  // logits keep the accumulator; see output_scale
                op.shift.push_back(30);
                op.output_scale.push_back(static_cast<float>(acc_scale));
            }
        }
    }

    std::uint32_t addConv(train::QuantizableLayer& unit, OpType type, std::uint32_t in, const model::LayerSpec& layer,
                          std::vector<std::size_t> out_shape, bool relu) {
        runtime::Op op;
        op.type = type;
        op.name = unit.name;
        op.inputs = {{in}};
        const bool one_by_one = type == OpType::PointwiseConv2d;
        op.kernel_h = op.kernel_w = static_cast<std::uint32_t>(one_by_one ? 1 : layer.kernel);
        op.stride = static_cast<std::uint32_t>(one_by_one ? 1 : layer.stride);
        op.padding = static_cast<std::uint32_t>(one_by_one ? 0 : layer.padding);
        op.relu = relu;
        std::vector<double> s_w;
        quantizeWeights(unit, op, s_w);
        const Quant out = activationQuant(unit.output, unit.name);
        outputStage(unit, op, quant_[in].scale, s_w, &out);
        op.output = addTensor(unit.name, out_shape, out);
        pushOp(std::move(op), s_w);
        return model_.ops.back().output;
    }

    // A fully connected layer over one or more segments (a fused concat); null `unit.output` = logits.
    std::uint32_t addFc(train::QuantizableLayer& unit, const std::vector<std::uint32_t>& segments, bool relu) {
        runtime::Op op;
        op.type = OpType::FullyConnected;
        op.name = unit.name;
        const double s_ref = quant_[segments[0]].scale;
        for (std::size_t k = 0; k < segments.size(); ++k) {
            const runtime::Dyadic d = runtime::toDyadic(k == 0 ? 1.0 : quant_[segments[k]].scale / s_ref);
            op.inputs.push_back({segments[k], d.multiplier, d.shift});
        }
        op.relu = relu;
        std::vector<double> s_w;
        quantizeWeights(unit, op, s_w);
        const std::size_t n = s_w.size();
        if (unit.output) {
            const Quant out = activationQuant(unit.output, unit.name);
            outputStage(unit, op, s_ref, s_w, &out);
            op.output = addTensor(unit.name, {n}, out);
        } else {
            outputStage(unit, op, s_ref, s_w, nullptr);
            op.output = addTensor(unit.name, {n}, Quant{}, DataType::Int32);
        }
        pushOp(std::move(op), s_w);
        return model_.ops.back().output;
    }

    std::uint32_t addPassThrough(OpType type, const std::string& name, std::uint32_t in, std::vector<std::size_t> shape,
                                 const model::LayerSpec* pool) {
        runtime::Op op;
        op.type = type;
        op.name = name;
        op.inputs = {{in}};
        if (pool) {
            op.kernel_h = op.kernel_w = static_cast<std::uint32_t>(pool->kernel);
            op.stride = static_cast<std::uint32_t>(pool->stride > 0 ? pool->stride : pool->kernel);
            op.padding = static_cast<std::uint32_t>(pool->padding);
        }
        const Quant q = quant_[in];  // max-pool and flatten keep the codes and their scale
        op.output = addTensor(name, shape, q);
        pushOp(std::move(op), {});
        return model_.ops.back().output;
    }

    // Gated fusion (train/gated_fusion.h): per branch, gate fc over every branch's
    // features → sigmoid table (Lookup) → product with the branch's features (Mul)
    // back on their grid. Returns the gated features, one segment per branch.
    std::vector<std::uint32_t> addGatedFusion(const model::ModelSpec& spec,
                                              const std::vector<std::uint32_t>& features) {
        std::vector<std::uint32_t> gated;
        for (std::size_t b = 0; b < features.size(); ++b) {
            const std::string name = "fusion.gate." + spec.branches[b].modality;
            const std::uint32_t u = addFc(net_->quantizableLayer(name), features, false);
            const std::size_t width = model_.tensors[u].c;

            runtime::Op lookup;
            lookup.type = OpType::Lookup;
            lookup.name = name + ".sigmoid";
            lookup.inputs = {{u}};
            lookup.bias =
                runtime::sigmoidTable(quant_[u].scale, quant_[u].zero_point, (1 << quant_[u].bits) - 1);
            lookup.output = addTensor(lookup.name, {width}, Quant{runtime::kSigmoidScale, 0, 8});
            const std::uint32_t z = lookup.output;
            pushOp(std::move(lookup), {});

            runtime::Op mul;
            mul.type = OpType::Mul;
            mul.name = name + ".mul";
            mul.inputs = {{features[b]}, {z}};
            const runtime::Dyadic d = runtime::toDyadic(runtime::kSigmoidScale);  // s_h · s_z / s_h
            mul.multiplier = {d.multiplier};
            mul.shift = {d.shift};
            mul.output = addTensor(mul.name, {width}, quant_[features[b]]);
            pushOp(std::move(mul), {});
            gated.push_back(model_.ops.back().output);
        }
        return gated;
    }

    // FiLM fusion (train/film_fusion.h): per branch after the first, scale and shift
    // fcs of the first branch's features → Mul (γ ⊙ h onto the product's grid) →
    // Add (product + β onto the output's grid). Returns [h_1, f_2, …] as segments.
    std::vector<std::uint32_t> addFilmFusion(const model::ModelSpec& spec,
                                             const std::vector<std::uint32_t>& features) {
        std::vector<std::uint32_t> out{features[0]};
        for (std::size_t b = 1; b < features.size(); ++b) {
            const std::string name = "fusion.film." + spec.branches[b].modality;
            const std::uint32_t gamma = addFc(net_->quantizableLayer(name + ".scale"), {features[0]}, false);
            const std::uint32_t beta = addFc(net_->quantizableLayer(name + ".shift"), {features[0]}, false);
            const std::size_t width = model_.tensors[gamma].c;
            const Quant p = activationQuant(net_->fusionQuantizer(name + ".mul"), name + ".mul");
            const Quant f = activationQuant(net_->fusionQuantizer(name + ".add"), name + ".add");

            runtime::Op mul;
            mul.type = OpType::Mul;
            mul.name = name + ".mul";
            mul.inputs = {{gamma}, {features[b]}};
            const runtime::Dyadic d =
                runtime::toDyadic(quant_[gamma].scale * quant_[features[b]].scale / p.scale);
            mul.multiplier = {d.multiplier};
            mul.shift = {d.shift};
            mul.output = addTensor(mul.name, {width}, p);
            const std::uint32_t product = mul.output;
            pushOp(std::move(mul), {});

            runtime::Op add;
            add.type = OpType::Add;
            add.name = name + ".add";
            const runtime::Dyadic dp = runtime::toDyadic(p.scale / f.scale);
            const runtime::Dyadic db = runtime::toDyadic(quant_[beta].scale / f.scale);
            add.inputs = {{product, dp.multiplier, dp.shift}, {beta, db.multiplier, db.shift}};
            add.output = addTensor(add.name, {width}, f);
            pushOp(std::move(add), {});
            out.push_back(model_.ops.back().output);
        }
        return out;
    }

    // Attention fusion (train/attention_fusion.h): one score fc over every branch's
    // features → Softmax (exp table on the scores' grid, weights on 1/255) → per branch
    // a broadcast Mul (h_b · α_b back on h_b's grid). Returns the weighted features.
    std::vector<std::uint32_t> addAttentionFusion(const model::ModelSpec& spec,
                                                  const std::vector<std::uint32_t>& features) {
        const std::uint32_t scores = addFc(net_->quantizableLayer("fusion.attention.score"), features, false);
        runtime::Op softmax;
        softmax.type = OpType::Softmax;
        softmax.name = "fusion.attention.softmax";
        softmax.inputs = {{scores}};
        softmax.bias = runtime::softmaxTable(quant_[scores].scale, (1 << quant_[scores].bits) - 1);
        softmax.output = addTensor(softmax.name, {features.size()}, Quant{runtime::kSoftmaxScale, 0, 8});
        const std::uint32_t alpha = softmax.output;
        pushOp(std::move(softmax), {});

        std::vector<std::uint32_t> weighted;
        const runtime::Dyadic d = runtime::toDyadic(runtime::kSoftmaxScale);  // s_h · s_α / s_h
        for (std::size_t b = 0; b < features.size(); ++b) {
            runtime::Op mul;
            mul.type = OpType::Mul;
            mul.name = "fusion.attention." + spec.branches[b].modality + ".mul";
            mul.inputs = {{features[b]}, {alpha}};
            mul.padding = static_cast<std::uint32_t>(b + 1);  // broadcast α_b (runtime::mulBroadcastIndex)
            mul.multiplier = {d.multiplier};
            mul.shift = {d.shift};
            mul.output = addTensor(mul.name, {model_.tensors[features[b]].elements()}, quant_[features[b]]);
            pushOp(std::move(mul), {});
            weighted.push_back(model_.ops.back().output);
        }
        return weighted;
    }

    // One branch's (or the head's) layers; returns the current tensor(s).
    std::vector<std::uint32_t> addLayers(const std::vector<model::LayerSpec>& layers, const std::string& branch,
                                         std::vector<std::uint32_t> current) {
        const model::ShapeReport& shapes = net_->shapes();
        for (std::size_t i = 0; i < layers.size(); ++i) {
            const model::LayerSpec& layer = layers[i];
            const model::LayerShape& shape = shapeOf(shapes, branch, static_cast<int>(i));
            const bool bn_next = i + 1 < layers.size() && layers[i + 1].type == LayerType::BatchNorm;
            const bool relu = layer.activation == model::Activation::Relu;
            if (layer.type != LayerType::Fc && layer.type != LayerType::Dropout && current.size() != 1)
                throw Error("export: '" + shape.name + "' follows the concat fusion; only fc can (or dropout)");
            switch (layer.type) {
                case LayerType::Conv2d:
                    current = {addConv(net_->quantizableLayer(shape.name), OpType::Conv2d, current[0], layer, shape.out, relu)};
                    break;
                case LayerType::DsConv2d: {
                    auto& dw = net_->quantizableLayer(shape.name + ".depthwise");
                    std::vector<std::size_t> dw_shape = shape.out;
                    dw_shape[0] = shape.in[0];
                    const std::uint32_t mid = addConv(dw, OpType::DepthwiseConv2d, current[0], layer, dw_shape, false);
                    current = {addConv(net_->quantizableLayer(shape.name + ".pointwise"), OpType::PointwiseConv2d, mid,
                                       layer, shape.out, relu)};
                    break;
                }
                case LayerType::Fc:
                    current = {addFc(net_->quantizableLayer(shape.name), current, relu)};
                    break;
                case LayerType::MaxPool2d:
                    current = {addPassThrough(OpType::MaxPool2d, shape.name, current[0], shape.out, &layer)};
                    break;
                case LayerType::Flatten:
                    current = {addPassThrough(OpType::Reshape, shape.name, current[0], shape.out, nullptr)};
                    break;
                case LayerType::Dropout:
                    break;  // identity at inference
                case LayerType::BatchNorm:
                    throw Error("export: '" + shape.name +
                                "' is a batchnorm that does not follow a weight layer; the integer runtime cannot fold it");
            }
            if (bn_next) ++i;  // folded into the layer before
        }
        return current;
    }

    void pushOp(runtime::Op op, const std::vector<double>& weight_scales) {
        model_.ops.push_back(std::move(op));
        weight_scales_.emplace_back(weight_scales.begin(), weight_scales.end());  // float32 in the network: exact
    }

    QuantizedGraph build(const FrontEndSettings& frontend) {
        const model::ModelSpec& spec = net_->spec();
        for (auto& q : net_->quantizableLayers())
            if (q.batchnorm && !net_->batchNormsFolded())
                throw Error("export: batchnorms are not folded yet (quantize the network first)");
        const bool gated = spec.fusion.type == model::FusionType::Gated;
        const bool film = spec.fusion.type == model::FusionType::Film;
        const bool attention = spec.fusion.type == model::FusionType::Attention;
        if (spec.branches.size() > 1 && spec.fusion.type != model::FusionType::Concat && !gated && !film &&
            !attention)
            throw Error("export: only concat, gated, film and attention fusion are supported by the runtime");
        std::vector<std::uint32_t> features;
        for (std::size_t b = 0; b < spec.branches.size(); ++b) {
            const auto& branch = spec.branches[b];
            const Quant q = activationQuant(net_->inputQuantizers()[b], "input " + branch.modality);
            const std::uint32_t input = addTensor("input." + branch.modality, branch.input, q);
            model_.inputs.push_back({branch.modality, input});
            const auto out = addLayers(branch.layers, branch.modality, {input});
            features.push_back(out[0]);
        }
        if (gated) features = addGatedFusion(spec, features);
        if (film) features = addFilmFusion(spec, features);
        if (attention) features = addAttentionFusion(spec, features);
        features = addLayers(spec.head, "head", features);
        model_.output = addFc(net_->quantizableLayer("classifier"), features, false);
        model_.frontend = frontend;
        runtime::validateModel(model_, "export");
        return QuantizedGraph{std::move(model_), std::move(weight_scales_)};
    }

private:
    train::MultimodalNet& net_;
    runtime::Model model_;
    std::vector<Quant> quant_;  // per tensor, with the double scale fake quantization uses
    std::vector<std::vector<float>> weight_scales_;  // per op
};

}  // namespace

std::string torchModuleName(std::string name) {
    std::replace(name.begin(), name.end(), '.', '_');
    std::replace(name.begin(), name.end(), '-', '_');
    return name;
}

QuantizedGraph buildQuantizedGraph(train::MultimodalNet& net, const FrontEndSettings& frontend) {
    torch::NoGradGuard no_grad;
    return Builder(net).build(frontend);
}

runtime::Model buildRuntimeModel(train::MultimodalNet& net, const FrontEndSettings& frontend) {
    return buildQuantizedGraph(net, frontend).model;
}

ExportSummary exportModel(train::MultimodalNet& net, const FrontEndSettings& frontend, const std::string& path) {
    const runtime::Model model = buildRuntimeModel(net, frontend);
    runtime::writeModel(path, model);
    ExportSummary s;
    s.file_bytes = runtime::serializeModel(model).size();
    s.ops = model.ops.size();
    for (const auto& op : model.ops)
        s.weight_bytes += (op.weights.size() * op.weight_bits + 7) / 8 +
                          4 * (op.bias.size() + op.multiplier.size() + op.shift.size() + op.output_scale.size());
    return s;
}

}  // namespace tm2::exporter
