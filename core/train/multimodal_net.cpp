#include "core/train/multimodal_net.h"

#include <algorithm>

#include "core/base/error.h"

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

// Appends the modules of one spec layer; `in` is its input shape. A layer's
// activation is returned instead of appended when the next layer is a
// batchnorm (conv → bn → relu, so bn can later fold into the conv).
torch::nn::AnyModule appendLayer(torch::nn::Sequential& seq, const LayerSpec& layer, const std::string& name,
                                 const std::vector<std::size_t>& in) {
    namespace nn = torch::nn;
    const int64_t channels = in.empty() ? 0 : static_cast<int64_t>(in[0]);
    const bool relu = layer.activation == model::Activation::Relu;
    switch (layer.type) {
        case LayerType::Conv2d:
            seq->push_back(moduleName(name),
                           nn::Conv2d(nn::Conv2dOptions(channels, layer.out_channels, layer.kernel)
                                          .stride(layer.stride)
                                          .padding(layer.padding)
                                          .bias(layer.bias)));
            break;
        case LayerType::DsConv2d:
            seq->push_back(moduleName(name + ".depthwise"),
                           nn::Conv2d(nn::Conv2dOptions(channels, channels, layer.kernel)
                                          .stride(layer.stride)
                                          .padding(layer.padding)
                                          .groups(channels)
                                          .bias(false)));
            seq->push_back(moduleName(name + ".pointwise"),
                           nn::Conv2d(nn::Conv2dOptions(channels, layer.out_channels, 1).bias(layer.bias)));
            break;
        case LayerType::MaxPool2d:
            seq->push_back(moduleName(name), nn::MaxPool2d(nn::MaxPool2dOptions(layer.kernel)
                                                               .stride(layer.stride > 0 ? layer.stride : layer.kernel)
                                                               .padding(layer.padding)));
            return {};
        case LayerType::BatchNorm:
            if (in.size() == 3)
                seq->push_back(moduleName(name), nn::BatchNorm2d(channels));
            else
                seq->push_back(moduleName(name), nn::BatchNorm1d(channels));
            return {};
        case LayerType::Dropout:
            seq->push_back(moduleName(name), nn::Dropout(layer.p));
            return {};
        case LayerType::Flatten:
            seq->push_back(moduleName(name), nn::Flatten());
            return {};
        case LayerType::Fc:
            seq->push_back(moduleName(name), nn::Linear(nn::LinearOptions(channels, layer.out_features).bias(layer.bias)));
            break;
    }
    return relu ? nn::AnyModule(nn::ReLU()) : nn::AnyModule();
}

// Builds a layer list, placing each activation after a following batchnorm.
torch::nn::Sequential buildSequence(const std::vector<LayerSpec>& layers, const model::ShapeReport& shapes,
                                    const std::string& branch);

// The shapes entry for (branch, index) from the shape report.
const model::LayerShape& shapeOf(const model::ShapeReport& shapes, const std::string& branch, int index) {
    for (const auto& l : shapes.layers)
        if (l.branch == branch && l.index == index) return l;
    throw Error("internal: no shape for " + branch + " layer " + std::to_string(index));
}

torch::nn::Sequential buildSequence(const std::vector<LayerSpec>& layers, const model::ShapeReport& shapes,
                                    const std::string& branch) {
    torch::nn::Sequential seq;
    torch::nn::AnyModule pending;  // activation waiting for its batchnorm
    std::string pending_name;
    for (std::size_t i = 0; i < layers.size(); ++i) {
        const auto& shape = shapeOf(shapes, branch, static_cast<int>(i));
        torch::nn::AnyModule activation = appendLayer(seq, layers[i], shape.name, shape.in);
        const bool bn_next = i + 1 < layers.size() && layers[i + 1].type == LayerType::BatchNorm;
        if (!pending.is_empty() && layers[i].type == LayerType::BatchNorm) {
            seq->push_back(pending_name, pending);
            pending = {};
        }
        if (!activation.is_empty()) {
            if (bn_next) {
                pending = activation;
                pending_name = moduleName(shape.name) + "_relu";
            } else {
                seq->push_back(moduleName(shape.name) + "_relu", activation);
            }
        }
    }
    return seq;
}

}  // namespace

MultimodalNetImpl::MultimodalNetImpl(const model::ModelSpec& spec, bool aux_heads)
    : spec_(spec), shapes_(model::inferShapes(spec)) {
    const auto classes = static_cast<int64_t>(spec_.num_classes);
    for (std::size_t b = 0; b < spec_.branches.size(); ++b) {
        const auto& branch = spec_.branches[b];
        torch::nn::Sequential seq = buildSequence(branch.layers, shapes_, branch.modality);
        branches_.push_back(register_module("branch_" + moduleName(branch.modality), seq));
        const auto width = static_cast<int64_t>(shapes_.branch_outputs[b][0]);
        if (spec_.fusion.type == model::FusionType::Late)
            branch_classifiers_.push_back(register_module(
                "classifier_" + moduleName(branch.modality), torch::nn::Linear(width, classes)));
        if (aux_heads)
            aux_classifiers_.push_back(
                register_module("aux_" + moduleName(branch.modality), torch::nn::Linear(width, classes)));
    }
    if (spec_.fusion.type != model::FusionType::Late) {
        std::vector<std::size_t> in{shapes_.fused_features};
        if (!spec_.head.empty()) in = shapeOf(shapes_, "head", static_cast<int>(spec_.head.size()) - 1).out;
        head_ = register_module("head", buildSequence(spec_.head, shapes_, "head"));
        classifier_ = register_module("classifier", torch::nn::Linear(static_cast<int64_t>(in[0]), classes));
    }
}

NetOutput MultimodalNetImpl::forward(const std::vector<torch::Tensor>& inputs, const torch::Tensor& present) {
    if (inputs.size() != branches_.size())
        throw Error("network has " + std::to_string(branches_.size()) + " branches, got " +
                    std::to_string(inputs.size()) + " inputs");
    NetOutput out;
    std::vector<torch::Tensor> features;
    for (std::size_t b = 0; b < branches_.size(); ++b) {
        torch::Tensor f = branches_[b]->forward(inputs[b]);
        if (present.defined()) f = f * present.select(1, static_cast<int64_t>(b)).unsqueeze(1);
        if (!aux_classifiers_.empty()) out.aux_logits.push_back(aux_classifiers_[b]->forward(f));
        features.push_back(f);
    }
    switch (spec_.fusion.type) {
        case model::FusionType::Concat:
            out.logits = classifier_->forward(applyHead(torch::cat(features, 1)));
            break;
        case model::FusionType::Sum: {
            torch::Tensor sum = features[0];
            for (std::size_t b = 1; b < features.size(); ++b) sum = sum + features[b];
            out.logits = classifier_->forward(applyHead(sum));
            break;
        }
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

torch::Tensor MultimodalNetImpl::applyHead(const torch::Tensor& x) {
    return head_->is_empty() ? x : head_->forward(x);
}

std::int64_t countParameters(torch::nn::Module& module) {
    std::int64_t n = 0;
    for (const auto& p : module.parameters()) n += p.numel();
    return n;
}

}  // namespace tm2::train
