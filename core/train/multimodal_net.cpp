#include "core/train/multimodal_net.h"

#include <algorithm>

#include "core/base/error.h"
#include "core/train/activation_width.h"
#include "core/train/attention_fusion.h"
#include "core/train/film_fusion.h"
#include "core/train/gated_fusion.h"

namespace tm2::train {

namespace {

using model::LayerSpec;
using model::LayerType;

// LibTorch module names may not contain dots.
std::string moduleName(std::string name) {
    std::replace(name.begin(), name.end(), '.', '_');
    std::replace(name.begin(), name.end(), '-', '_');
    return name;
}

// The shapes entry for (branch, index) from the shape report.
const model::LayerShape& shapeOf(const model::ShapeReport& shapes, const std::string& branch, int index) {
    for (const auto& l : shapes.layers)
        if (l.branch == branch && l.index == index) return l;
    throw Error("internal: no shape for " + branch + " layer " + std::to_string(index));
}

bool isWeightLayer(LayerType t) { return t == LayerType::Conv2d || t == LayerType::DsConv2d || t == LayerType::Fc; }

}  // namespace

torch::Tensor& QuantizableLayer::weight() { return conv ? conv->weight : linear->weight; }
torch::Tensor& QuantizableLayer::bias() { return conv ? conv->bias : linear->bias; }
int QuantizableLayer::bits() const { return conv ? conv->bits : linear->bits; }
void QuantizableLayer::setBits(int b) {
    if (conv)
        conv->bits = b;
    else
        linear->bits = b;
    // Activations follow the weights' width, but never below 4 bits (a 2-bit layer outputs 4-bit codes).
    if (output) output->bits = activationBitsFor(b);
}

// One weight layer becomes a unit: op [→ bn] [→ relu] → activation quantizer.
// The bn (when the spec puts one right after the layer) is part of the unit so
// it can be folded into the weights before quantization.
torch::nn::Sequential MultimodalNetImpl::buildSequence(const std::vector<LayerSpec>& layers, const std::string& branch,
                                                      ActivationQuantizer& feeding) {
    namespace nn = torch::nn;
    nn::Sequential seq;
    for (std::size_t i = 0; i < layers.size(); ++i) {
        const LayerSpec& layer = layers[i];
        const auto& shape = shapeOf(shapes_, branch, static_cast<int>(i));
        const std::string name = moduleName(shape.name);
        const int64_t channels = shape.in.empty() ? 0 : static_cast<int64_t>(shape.in[0]);
        if (!isWeightLayer(layer.type)) {
            switch (layer.type) {
                case LayerType::MaxPool2d:
                    seq->push_back(std::string(name), nn::MaxPool2d(nn::MaxPool2dOptions(layer.kernel)
                                                           .stride(layer.stride > 0 ? layer.stride : layer.kernel)
                                                           .padding(layer.padding)));
                    break;
                case LayerType::BatchNorm:  // not after a weight layer: stays a float op
                    feeding = nullptr;  // its output is no longer on the quantizer's grid
                    if (shape.in.size() == 3)
                        seq->push_back(std::string(name), nn::BatchNorm2d(channels));
                    else
                        seq->push_back(std::string(name), nn::BatchNorm1d(channels));
                    break;
                case LayerType::Dropout:
                    seq->push_back(std::string(name), nn::Dropout(layer.p));
                    break;
                case LayerType::Flatten:
                    seq->push_back(std::string(name), nn::Flatten());
                    break;
                default:
                    break;
            }
            continue;
        }
        QuantizableLayer unit;
        unit.branch = branch;
        unit.name = shape.name;
        const bool bn_next = i + 1 < layers.size() && layers[i + 1].type == LayerType::BatchNorm;
        // A bias is needed to fold a following batchnorm into (it absorbs β − μ·γ/σ).
        const bool bias = layer.bias || bn_next;
        if (layer.type == LayerType::Conv2d) {
            unit.conv = QuantConv2d(nn::Conv2dOptions(channels, layer.out_channels, layer.kernel)
                                        .stride(layer.stride)
                                        .padding(layer.padding)
                                        .bias(bias));
            unit.conv->input_quantizer = feeding;
            seq->push_back(std::string(name), unit.conv);
        } else if (layer.type == LayerType::DsConv2d) {
            // The depthwise half is a unit of its own (no bn, no activation).
            QuantizableLayer dw;
            dw.branch = branch;
            dw.name = shape.name + ".depthwise";
            dw.conv = QuantConv2d(nn::Conv2dOptions(channels, channels, layer.kernel)
                                      .stride(layer.stride)
                                      .padding(layer.padding)
                                      .groups(channels)
                                      .bias(false));
            dw.output = ActivationQuantizer();
            dw.conv->input_quantizer = feeding;
            dw.conv->output_quantizer = dw.output;
            seq->push_back(moduleName(dw.name), dw.conv);
            seq->push_back(moduleName(dw.name) + "_aq", dw.output);
            quantizable_.push_back(dw);
            unit.name = shape.name + ".pointwise";
            unit.conv = QuantConv2d(nn::Conv2dOptions(channels, layer.out_channels, 1).bias(bias));
            unit.conv->input_quantizer = dw.output;
            seq->push_back(moduleName(unit.name), unit.conv);
        } else {
            unit.linear = QuantLinear(nn::LinearOptions(channels, layer.out_features).bias(bias));
            unit.linear->input_quantizer = feeding;
            seq->push_back(std::string(name), unit.linear);
        }
        if (bn_next) {
            const auto& bn_shape = shapeOf(shapes_, branch, static_cast<int>(i + 1));
            const int64_t out_channels = static_cast<int64_t>(bn_shape.in[0]);
            if (bn_shape.in.size() == 3) {
                nn::BatchNorm2d bn(out_channels);
                seq->push_back(moduleName(bn_shape.name), bn);
                unit.batchnorm = bn.ptr();
            } else {
                nn::BatchNorm1d bn(out_channels);
                seq->push_back(moduleName(bn_shape.name), bn);
                unit.batchnorm = bn.ptr();
            }
            ++i;
        }
        if (layer.activation == model::Activation::Relu) seq->push_back(name + "_relu", nn::ReLU(nn::ReLUOptions().inplace(true)));
        unit.output = ActivationQuantizer();
        if (unit.conv)
            unit.conv->output_quantizer = unit.output;
        else
            unit.linear->output_quantizer = unit.output;
        feeding = unit.output;
        seq->push_back(name + "_aq", unit.output);
        quantizable_.push_back(unit);
    }
    return seq;
}

MultimodalNetImpl::MultimodalNetImpl(const model::ModelSpec& spec, bool aux_heads)
    : spec_(spec), shapes_(model::inferShapes(spec)) {
    const auto classes = static_cast<int64_t>(spec_.num_classes);
    // The quantizer feeding the fusion's first segment: with concat the head's first
    // layer sees it (the integer runtime rescales the other segments to its scale).
    ActivationQuantizer fused{nullptr};
    std::vector<QuantLinearImpl::Segment> fused_segments;  // each branch's features, for integer-exact evaluation
    for (std::size_t b = 0; b < spec_.branches.size(); ++b) {
        const auto& branch = spec_.branches[b];
        input_quantizers_.push_back(register_module("input_" + moduleName(branch.modality), ActivationQuantizer()));
        ActivationQuantizer feeding = input_quantizers_.back();
        branches_.push_back(register_module("branch_" + moduleName(branch.modality),
                                            buildSequence(branch.layers, branch.modality, feeding)));
        const bool concatenates =
            spec_.fusion.type == model::FusionType::Concat || spec_.fusion.type == model::FusionType::Gated ||
            spec_.fusion.type == model::FusionType::Film || spec_.fusion.type == model::FusionType::Attention;
        if (b == 0 && concatenates) fused = feeding;
        const auto width = static_cast<int64_t>(shapes_.branch_outputs[b][0]);
        fused_segments.push_back({width, feeding});
        branch_features_.push_back(feeding);
        if (spec_.fusion.type == model::FusionType::Late) {
            QuantizableLayer unit;
            unit.name = branch.modality + ".classifier";
            unit.branch = branch.modality;
            unit.linear = register_module("classifier_" + moduleName(branch.modality), QuantLinear(width, classes));
            unit.linear->input_quantizer = feeding;
            branch_classifiers_.push_back(unit.linear);
            quantizable_.push_back(unit);
        }
        if (aux_heads)
            aux_classifiers_.push_back(
                register_module("aux_" + moduleName(branch.modality), torch::nn::Linear(width, classes)));
    }
    std::size_t fusion_end = quantizable_.size();
    if (spec_.fusion.type == model::FusionType::Gated) {
        // Each gate reads the concatenated features (segments, as the head does) and
        // its output grid is calibrated like any layer's; gated features keep h_b's grid.
        const auto fused_width = static_cast<int64_t>(shapes_.fused_features);
        for (std::size_t b = 0; b < spec_.branches.size(); ++b) {
            QuantizableLayer unit;
            unit.name = "fusion.gate." + spec_.branches[b].modality;
            unit.branch = "head";
            unit.linear =
                register_module(moduleName(unit.name), QuantLinear(fused_width, fused_segments[b].width));
            unit.linear->input_quantizer = fused;
            unit.linear->segments = fused_segments;
            unit.output = register_module(moduleName(unit.name) + "_aq", ActivationQuantizer());
            unit.linear->output_quantizer = unit.output;
            gates_.push_back(unit.linear);
            gate_outputs_.push_back(unit.output);
            quantizable_.push_back(unit);
        }
        fusion_end = quantizable_.size();
    }
    if (spec_.fusion.type == model::FusionType::Film) {
        // γ_b and β_b are fcs of the first branch's features; the head reads f_b on
        // the FiLM output's grid (two standalone quantizers per branch, fusionQuantizers()).
        const int64_t condition = fused_segments[0].width;
        for (std::size_t b = 1; b < spec_.branches.size(); ++b) {
            const std::string name = "fusion.film." + spec_.branches[b].modality;
            FilmQuantizers q;
            q.features = branch_features_[b];
            for (const char* part : {".scale", ".shift"}) {
                QuantizableLayer unit;
                unit.name = name + part;
                unit.branch = "head";
                unit.linear =
                    register_module(moduleName(unit.name), QuantLinear(condition, fused_segments[b].width));
                unit.linear->input_quantizer = fused;
                unit.output = register_module(moduleName(unit.name) + "_aq", ActivationQuantizer());
                unit.linear->output_quantizer = unit.output;
                quantizable_.push_back(unit);
                (part[2] == 'c' ? film_scales_ : film_shifts_).push_back(unit.linear);
                (part[2] == 'c' ? q.scale : q.shift) = unit.output;
            }
            {
                torch::NoGradGuard no_grad;
                film_scales_.back()->bias.fill_(1.0);  // γ starts near 1: f_b ≈ h_b + β_b
            }
            q.product = register_module(moduleName(name + ".mul") + "_aq", ActivationQuantizer());
            q.output = register_module(moduleName(name + ".add") + "_aq", ActivationQuantizer());
            fusion_quantizers_.emplace_back(name + ".mul", q.product);
            fusion_quantizers_.emplace_back(name + ".add", q.output);
            fused_segments[b].quantizer = q.output;
            film_.push_back(q);
        }
        fusion_end = quantizable_.size();
    }
    if (spec_.fusion.type == model::FusionType::Attention) {
        // One fc scores every branch from the concatenated features (one grid for all
        // scores, as the runtime's softmax needs); the weighted features keep h_b's grid.
        QuantizableLayer unit;
        unit.name = "fusion.attention.score";
        unit.branch = "head";
        unit.linear =
            register_module(moduleName(unit.name), QuantLinear(static_cast<int64_t>(shapes_.fused_features),
                                                               static_cast<int64_t>(spec_.branches.size())));
        unit.linear->input_quantizer = fused;
        unit.linear->segments = fused_segments;
        unit.output = register_module(moduleName(unit.name) + "_aq", ActivationQuantizer());
        unit.linear->output_quantizer = unit.output;
        attention_score_ = unit.linear;
        attention_score_output_ = unit.output;
        quantizable_.push_back(unit);
        fusion_end = quantizable_.size();
    }
    if (spec_.fusion.type != model::FusionType::Late) {
        std::vector<std::size_t> in{shapes_.fused_features};
        if (!spec_.head.empty()) in = shapeOf(shapes_, "head", static_cast<int>(spec_.head.size()) - 1).out;
        const ActivationQuantizer concat = fused;  // buildSequence moves `fused` to the head's output
        head_ = register_module("head", buildSequence(spec_.head, "head", fused));
        classifier_ = register_module("classifier", QuantLinear(static_cast<int64_t>(in[0]), classes));
        classifier_->input_quantizer = fused;
        QuantizableLayer unit;
        unit.name = "classifier";
        unit.branch = "head";
        unit.linear = classifier_;
        quantizable_.push_back(unit);
        // The layer that reads the concat (the head's first fc, or the classifier) sees its segments.
        if (spec_.fusion.type != model::FusionType::Sum)
            for (std::size_t k = fusion_end; k < quantizable_.size(); ++k) {
                auto& q = quantizable_[k];
                if (concat && q.linear && q.linear->input_quantizer.get() == concat.get()) {
                    q.linear->segments = fused_segments;
                    break;
                }
            }
    }
}

NetOutput MultimodalNetImpl::forward(const std::vector<torch::Tensor>& inputs, const torch::Tensor& present) {
    if (inputs.size() != branches_.size())
        throw Error("network has " + std::to_string(branches_.size()) + " branches, got " +
                    std::to_string(inputs.size()) + " inputs");
    NetOutput out;
    std::vector<torch::Tensor> features;
    for (std::size_t b = 0; b < branches_.size(); ++b) {
        torch::Tensor f = branches_[b]->forward(input_quantizers_[b]->forward(inputs[b]));
        if (present.defined()) f = f * present.select(1, static_cast<int64_t>(b)).unsqueeze(1);
        if (!aux_classifiers_.empty()) out.aux_logits.push_back(aux_classifiers_[b]->forward(f));
        features.push_back(f);
    }
    switch (spec_.fusion.type) {
        case model::FusionType::Concat:
        case model::FusionType::Sum:
        case model::FusionType::Gated:
        case model::FusionType::Film:
        case model::FusionType::Attention:
            out.logits = classifier_->forward(applyHead(fuseFeatures(features)));
            break;
        case model::FusionType::Late: {
            // Average the logits of the branches that are present for each sample.
            torch::Tensor total, weight;
            for (std::size_t b = 0; b < features.size(); ++b) {
                torch::Tensor logits = branch_classifiers_[b]->forward(features[b]);
                torch::Tensor w = present.defined() ? present.select(1, static_cast<int64_t>(b)).unsqueeze(1)
                                                    : torch::ones({logits.size(0), 1});
                total = b == 0 ? logits * w : total + logits * w;
                weight = b == 0 ? w : weight + w;
            }
            out.logits = total / weight.clamp_min(1.0);
            break;
        }
    }
    return out;
}

torch::Tensor MultimodalNetImpl::fuseFeatures(const std::vector<torch::Tensor>& features,
                                              std::map<std::string, torch::Tensor>* record) {
    switch (spec_.fusion.type) {
        case model::FusionType::Concat:
            return torch::cat(features, 1);
        case model::FusionType::Sum: {
            torch::Tensor sum = features[0];
            for (std::size_t b = 1; b < features.size(); ++b) sum = sum + features[b];
            return sum;
        }
        case model::FusionType::Gated: {
            const torch::Tensor all = torch::cat(features, 1);
            std::vector<torch::Tensor> gated;
            for (std::size_t b = 0; b < features.size(); ++b) {
                const torch::Tensor u = gate_outputs_[b]->forward(gates_[b]->forward(all));
                gated.push_back(
                    gateFeatures(u, features[b], gate_outputs_[b], branch_features_[b], integer_exact_));
                if (record) {
                    const std::string name = moduleName("fusion.gate." + spec_.branches[b].modality);
                    (*record)[name + "_aq"] = u;
                    (*record)[name + "_mul"] = gated.back();
                }
            }
            return torch::cat(gated, 1);
        }
        case model::FusionType::Film: {
            std::vector<torch::Tensor> parts{features[0]};
            for (std::size_t b = 1; b < features.size(); ++b) {
                FilmQuantizers& q = film_[b - 1];
                const torch::Tensor gamma = q.scale->forward(film_scales_[b - 1]->forward(features[0]));
                const torch::Tensor beta = q.shift->forward(film_shifts_[b - 1]->forward(features[0]));
                parts.push_back(filmFeatures(gamma, beta, features[b], q, integer_exact_));
                if (record) {
                    const std::string name = moduleName("fusion.film." + spec_.branches[b].modality);
                    (*record)[name + "_scale_aq"] = gamma;
                    (*record)[name + "_shift_aq"] = beta;
                    (*record)[name + "_add"] = parts.back();
                }
            }
            return torch::cat(parts, 1);
        }
        case model::FusionType::Attention: {
            const torch::Tensor scores =
                attention_score_output_->forward(attention_score_->forward(torch::cat(features, 1)));
            torch::Tensor alpha;
            std::vector<torch::Tensor> parts = attendFeatures(scores, features, attention_score_output_,
                                                              branch_features_, integer_exact_, &alpha);
            if (record) {
                (*record)["fusion_attention_score_aq"] = scores;
                (*record)["fusion_attention_softmax"] = alpha;
                for (std::size_t b = 0; b < parts.size(); ++b)
                    (*record)[moduleName("fusion.attention." + spec_.branches[b].modality) + "_mul"] =
                        parts[b];
            }
            return torch::cat(parts, 1);
        }
        case model::FusionType::Late:
            break;
    }
    throw Error("internal: late fusion has no fused features (each branch has its own classifier)");
}

torch::Tensor MultimodalNetImpl::applyHead(const torch::Tensor& x) {
    return head_->is_empty() ? x : head_->forward(x);
}

QuantizableLayer& MultimodalNetImpl::quantizableLayer(const std::string& name) {
    for (auto& q : quantizable_)
        if (q.name == name) return q;
    std::string names;
    for (const auto& q : quantizable_) names += (names.empty() ? "" : ", ") + q.name;
    throw Error("no quantizable layer '" + name + "' (layers: " + names + ")");
}

ActivationQuantizer MultimodalNetImpl::fusionQuantizer(const std::string& name) {
    std::string names;
    for (const auto& [n, q] : fusion_quantizers_) {
        if (n == name) return q;
        names += (names.empty() ? "" : ", ") + n;
    }
    throw Error("no fusion quantizer '" + name + "' (quantizers: " + names + ")");
}

void MultimodalNetImpl::setBits(const std::map<std::string, int>& bits) {
    for (const auto& [name, b] : bits) quantizableLayer(name).setBits(b);
}

void MultimodalNetImpl::setActivationMode(ActivationQuantizerImpl::Mode mode) {
    for (auto& q : quantizable_)
        if (q.output) q.output->mode = mode;
    for (auto& q : input_quantizers_) q->mode = mode;
    for (auto& [name, q] : fusion_quantizers_) q->mode = mode;
}

void MultimodalNetImpl::setIntegerExact(bool on) {
    integer_exact_ = on;
    for (auto& q : quantizable_) {
        if (q.conv) q.conv->integer_exact = on;
        if (q.linear) q.linear->integer_exact = on;
    }
}

void MultimodalNetImpl::foldBatchNorms() {
    if (folded_) return;
    torch::NoGradGuard no_grad;
    for (auto& q : quantizable_) {
        if (!q.batchnorm) continue;
        torch::Tensor *mean, *var, *gamma, *beta;
        double eps;
        if (auto* bn2 = dynamic_cast<torch::nn::BatchNorm2dImpl*>(q.batchnorm.get())) {
            mean = &bn2->running_mean, var = &bn2->running_var, gamma = &bn2->weight, beta = &bn2->bias;
            eps = bn2->options.eps();
        } else {
            auto* bn1 = dynamic_cast<torch::nn::BatchNorm1dImpl*>(q.batchnorm.get());
            mean = &bn1->running_mean, var = &bn1->running_var, gamma = &bn1->weight, beta = &bn1->bias;
            eps = bn1->options.eps();
        }
        const torch::Tensor factor = *gamma / torch::sqrt(*var + eps);  // γ/σ per output channel
        std::vector<int64_t> view(static_cast<std::size_t>(q.weight().dim()), 1);
        view[0] = -1;
        q.weight().mul_(factor.reshape(view));
        // Units with a batchnorm always have a bias (see buildSequence).
        q.bias().copy_(*beta + (q.bias() - *mean) * factor);
        // The batchnorm becomes y = x: mean 0, var 1, γ 1, β 0.
        mean->zero_();
        var->fill_(1.0);
        gamma->fill_(1.0);
        beta->zero_();
    }
    freezeFoldedBatchNorms();
}

void MultimodalNetImpl::freezeFoldedBatchNorms() {
    for (auto& q : quantizable_) {
        if (!q.batchnorm) continue;
        // eps 0 makes the folded batchnorm an exact identity ((x − 0) · 1/√1 · 1 + 0 = x), so
        // nothing float sits between a quantized layer and its ReLU (the exporter drops it);
        // frozen, so quantization-aware fine-tuning cannot grow a per-channel affine there.
        if (auto* bn2 = dynamic_cast<torch::nn::BatchNorm2dImpl*>(q.batchnorm.get()))
            bn2->options.eps(0.0);
        else if (auto* bn1 = dynamic_cast<torch::nn::BatchNorm1dImpl*>(q.batchnorm.get()))
            bn1->options.eps(0.0);
        for (auto& p : q.batchnorm->parameters()) p.set_requires_grad(false);
        q.batchnorm->eval();
    }
    folded_ = true;
}

void MultimodalNetImpl::restoreFoldedBatchNorms() {
    torch::NoGradGuard no_grad;
    for (auto& q : quantizable_) {
        if (!q.batchnorm) continue;
        torch::Tensor mean, var, gamma, beta;
        if (auto* bn2 = dynamic_cast<torch::nn::BatchNorm2dImpl*>(q.batchnorm.get()))
            mean = bn2->running_mean, var = bn2->running_var, gamma = bn2->weight, beta = bn2->bias;
        else if (auto* bn1 = dynamic_cast<torch::nn::BatchNorm1dImpl*>(q.batchnorm.get()))
            mean = bn1->running_mean, var = bn1->running_var, gamma = bn1->weight, beta = bn1->bias;
        const bool identity = mean.eq(0).all().item<bool>() && var.eq(1).all().item<bool>() &&
                              gamma.eq(1).all().item<bool>() && beta.eq(0).all().item<bool>();
        if (!identity)
            throw Error("the batchnorm after layer '" + q.name +
                        "' is not folded (mean 0, var 1, γ 1, β 0 expected); the saved network was not quantized");
    }
    freezeFoldedBatchNorms();
}

void MultimodalNetImpl::train(bool on) {
    torch::nn::Module::train(on);
    // Folded batchnorms are identities only with their (reset) running statistics.
    if (folded_)
        for (auto& q : quantizable_)
            if (q.batchnorm) q.batchnorm->eval();
}

std::int64_t countParameters(torch::nn::Module& module) {
    std::int64_t n = 0;
    for (const auto& p : module.parameters()) n += p.numel();
    return n;
}

}  // namespace tm2::train
