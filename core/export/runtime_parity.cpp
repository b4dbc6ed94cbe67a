#include "core/export/runtime_parity.h"

#include <algorithm>
#include <cmath>
#include <map>

#include "core/base/error.h"
#include "core/export/tmn_exporter.h"
#include "core/runtime/interpreter.h"

namespace tm2::exporter {

namespace {

// The reference's output of every named module of the branches and the head, by module name.
std::map<std::string, torch::Tensor> referenceActivations(train::MultimodalNet& net,
                                                          const std::vector<torch::Tensor>& inputs) {
    std::map<std::string, torch::Tensor> out;
    std::map<std::string, std::shared_ptr<torch::nn::Module>> children;
    for (const auto& item : net->named_children()) children[item.key()] = item.value();
    auto run = [&out](const std::shared_ptr<torch::nn::Module>& module, torch::Tensor x) {
        auto seq = std::dynamic_pointer_cast<torch::nn::SequentialImpl>(module);
        if (!seq) throw Error("parity: network layout changed (a branch is not a Sequential)");
        const auto names = seq->named_children().keys();
        std::size_t i = 0;
        for (auto it = seq->begin(); it != seq->end(); ++it, ++i) {
            x = it->forward(x);
            out[names[i]] = x;
        }
        return x;
    };
    std::vector<torch::Tensor> features;
    const auto& spec = net->spec();
    for (std::size_t b = 0; b < spec.branches.size(); ++b) {
        const std::string m = torchModuleName(spec.branches[b].modality);
        auto input_q = std::dynamic_pointer_cast<train::ActivationQuantizerImpl>(children.at("input_" + m));
        const torch::Tensor x = input_q->forward(inputs[b]);
        out["input_" + m] = x;
        features.push_back(run(children.at("branch_" + m), x));
    }
    if (spec.fusion.type == model::FusionType::Late) return out;  // no head: each branch classifies
    const torch::Tensor fused = net->fuseFeatures(features, &out);
    auto head = std::dynamic_pointer_cast<torch::nn::SequentialImpl>(children.at("head"));
    if (head && !head->is_empty()) run(children.at("head"), fused);
    return out;
}

// Turns the network's integer-exact evaluation on for a scope.
class IntegerExactScope {
public:
    explicit IntegerExactScope(train::MultimodalNet& net) : net_(net) { net_->setIntegerExact(true); }
    ~IntegerExactScope() { net_->setIntegerExact(false); }
    IntegerExactScope(const IntegerExactScope&) = delete;
    IntegerExactScope& operator=(const IntegerExactScope&) = delete;

private:
    train::MultimodalNet& net_;
};

// What one classifier input step can move logit c by: s_in · s_w,c · max|code|.
std::vector<double> logitSteps(const runtime::Model& model, std::size_t classes) {
    const runtime::Op* classifier = nullptr;
    for (const auto& op : model.ops)
        if (op.output == model.output) classifier = &op;
    if (!classifier || classifier->output_scale.size() != classes) throw Error("parity: the model has no classifier");
    std::vector<double> step(classes, 0.0);
    const std::size_t in_features = classifier->weights.size() / classes;
    for (std::size_t c = 0; c < classes; ++c) {
        int max_code = 0;
        for (std::size_t i = 0; i < in_features; ++i)
            max_code = std::max(max_code, std::abs(int{classifier->weights[c * in_features + i]}));
        step[c] = classifier->output_scale[c] * max_code;
    }
    return step;
}

// Accumulates the runtime's logits against one reference's, sample by sample.
class LogitComparison {
public:
    LogitComparison(torch::Tensor reference, std::vector<double> steps)
        : reference_(std::move(reference)), steps_(std::move(steps)) {}

    void add(std::int64_t n, const runtime::Interpreter& interpreter, std::size_t label) {
        const float* ref = reference_[n].data_ptr<float>();
        std::size_t best = 0;
        double worst_steps = 0;
        for (std::size_t c = 0; c < steps_.size(); ++c) {
            if (ref[c] > ref[best]) best = c;
            const double d = std::abs(static_cast<double>(interpreter.logit(c)) - ref[c]);
            p_.max_abs = std::max(p_.max_abs, d);
            sum_ += d;
            if (steps_[c] > 0) worst_steps = std::max(worst_steps, d / steps_[c]);
        }
        p_.max_steps = std::max(p_.max_steps, worst_steps);
        p_.within_one_step += worst_steps <= 1.0 + 1e-6;
        p_.agree += best == interpreter.argmax();
        right_ += best == label;
    }

    LogitParity finish(std::int64_t samples) {
        p_.agreement = static_cast<double>(p_.agree) / static_cast<double>(samples);
        p_.reference_accuracy = static_cast<double>(right_) / static_cast<double>(samples);
        p_.mean_abs = sum_ / static_cast<double>(samples * static_cast<std::int64_t>(steps_.size()));
        return p_;
    }

private:
    torch::Tensor reference_;
    std::vector<double> steps_;
    LogitParity p_;
    double sum_ = 0;
    std::int64_t right_ = 0;
};

// The reference activation a runtime tensor corresponds to, or null. A dsconv's
// pointwise output passes its relu and quantizer under the dsconv's own name.
const torch::Tensor* referenceFor(const std::map<std::string, torch::Tensor>& layers, const std::string& name) {
    std::string key = name;
    const std::string pointwise = ".pointwise";
    if (key.size() > pointwise.size() && key.compare(key.size() - pointwise.size(), pointwise.size(), pointwise) == 0)
        key.resize(key.size() - pointwise.size());
    auto it = layers.find(torchModuleName(key) + "_aq");
    if (it == layers.end()) it = layers.find(torchModuleName(name));
    return it == layers.end() ? nullptr : &it->second;
}

struct LayerAccumulator {
    double max_abs = 0, sum_abs = 0, exact_max_abs = 0;
    std::int64_t count = 0, exact_mismatches = 0;
};

}  // namespace

ParityReport compareWithReference(train::MultimodalNet& net, const runtime::Model& model,
                                  const train::SplitTensors& split, const std::vector<std::size_t>& input_order,
                                  bool per_layer) {
    torch::NoGradGuard no_grad;
    net->eval();
    ParityReport r;
    r.samples = split.size();
    if (r.samples == 0) return r;
    std::vector<torch::Tensor> inputs;
    for (std::size_t m : input_order) inputs.push_back(split.inputs.at(m).contiguous());
    if (inputs.size() != model.inputs.size()) throw Error("parity: model and network disagree on the branch count");
    std::map<std::string, torch::Tensor> float_layers, exact_layers;
    const torch::Tensor float_logits = net->forward(inputs).logits.contiguous();
    if (per_layer) float_layers = referenceActivations(net, inputs);
    torch::Tensor exact_logits;
    {
        IntegerExactScope exact(net);
        exact_logits = net->forward(inputs).logits.contiguous();
        if (per_layer) exact_layers = referenceActivations(net, inputs);
    }

    runtime::Interpreter interpreter(model, {per_layer, nullptr});
    const std::vector<double> steps = logitSteps(model, interpreter.classCount());
    LogitComparison against_float(float_logits, steps), against_exact(exact_logits, steps);
    std::vector<LayerAccumulator> layer_acc(model.tensors.size());
    std::int64_t right_runtime = 0;
    for (std::int64_t n = 0; n < r.samples; ++n) {
        for (std::size_t b = 0; b < inputs.size(); ++b) {
            const torch::Tensor x = inputs[b][n].contiguous();
            interpreter.setInput(b, x.data_ptr<float>(), static_cast<std::size_t>(x.numel()));
        }
        interpreter.invoke();
        const auto label = static_cast<std::size_t>(split.labels[n].item<std::int64_t>());
        against_float.add(n, interpreter, label);
        against_exact.add(n, interpreter, label);
        right_runtime += interpreter.argmax() == label;
        if (!per_layer) continue;
        for (std::size_t t = 0; t < model.tensors.size(); ++t) {
            const auto& info = model.tensors[t];
            if (info.type != runtime::DataType::UInt8) continue;
            const torch::Tensor* fq = referenceFor(float_layers, info.name);
            const torch::Tensor* ex = referenceFor(exact_layers, info.name);
            if (!fq || !ex) continue;
            const torch::Tensor fq_t = (*fq)[n].reshape({-1}).contiguous();
            const torch::Tensor ex_t = (*ex)[n].reshape({-1}).contiguous();
            const std::vector<float> got = interpreter.dequantized(t);
            if (static_cast<std::size_t>(fq_t.numel()) != got.size()) continue;
            const float* f = fq_t.data_ptr<float>();
            const float* e = ex_t.data_ptr<float>();
            LayerAccumulator& acc = layer_acc[t];
            for (std::size_t i = 0; i < got.size(); ++i) {
                const double d = std::abs(static_cast<double>(got[i]) - f[i]);
                acc.max_abs = std::max(acc.max_abs, d);
                acc.sum_abs += d;
                const double de = std::abs(static_cast<double>(got[i]) - e[i]);
                acc.exact_max_abs = std::max(acc.exact_max_abs, de);
                acc.exact_mismatches += de > 0.5 * info.scale;
            }
            acc.count += static_cast<std::int64_t>(got.size());
        }
    }
    r.runtime_accuracy = static_cast<double>(right_runtime) / static_cast<double>(r.samples);
    r.fake_quant = against_float.finish(r.samples);
    r.integer = against_exact.finish(r.samples);
    for (std::size_t t = 0; t < model.tensors.size(); ++t) {
        const LayerAccumulator& acc = layer_acc[t];
        if (acc.count == 0) continue;
        LayerParity l;
        l.name = model.tensors[t].name;
        l.max_abs = acc.max_abs;
        l.mean_abs = acc.sum_abs / static_cast<double>(acc.count);
        l.step = model.tensors[t].scale;
        l.max_steps = l.max_abs / l.step;
        l.exact_max_steps = acc.exact_max_abs / l.step;
        l.exact_mismatches = acc.exact_mismatches;
        r.layers.push_back(l);
    }
    return r;
}

}  // namespace tm2::exporter
