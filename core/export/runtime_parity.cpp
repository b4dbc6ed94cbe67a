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
    torch::Tensor fused = torch::cat(features, 1);
    auto head = std::dynamic_pointer_cast<torch::nn::SequentialImpl>(children.at("head"));
    if (head && !head->is_empty()) run(children.at("head"), fused);
    return out;
}

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
    const torch::Tensor ref_logits = net->forward(inputs).logits.contiguous();
    const torch::Tensor labels = split.labels;
    std::map<std::string, torch::Tensor> ref_layers;
    if (per_layer) ref_layers = referenceActivations(net, inputs);

    runtime::Interpreter interpreter(model, {per_layer, nullptr});
    const std::size_t classes = interpreter.classCount();
    // One classifier input step moves logit c by at most s_in · s_w,c · max|code| = s_in · max|W_c|.
    const runtime::Op* classifier = nullptr;
    for (const auto& op : model.ops)
        if (op.output == model.output) classifier = &op;
    std::vector<double> logit_step(classes, 0.0);
    const std::size_t in_features = classifier->weights.size() / classes;
    for (std::size_t c = 0; c < classes; ++c) {
        int max_code = 0;
        for (std::size_t i = 0; i < in_features; ++i) max_code = std::max(max_code, std::abs(int{classifier->weights[c * in_features + i]}));
        logit_step[c] = classifier->output_scale[c] * max_code;
    }
    struct Acc {
        double max_abs = 0, sum_abs = 0;
        std::int64_t count = 0;
    };
    std::vector<Acc> layer_acc(model.tensors.size());
    std::int64_t right_runtime = 0, right_reference = 0;
    double logit_sum = 0;
    for (std::int64_t n = 0; n < r.samples; ++n) {
        for (std::size_t b = 0; b < inputs.size(); ++b) {
            const torch::Tensor x = inputs[b][n].contiguous();
            interpreter.setInput(b, x.data_ptr<float>(), static_cast<std::size_t>(x.numel()));
        }
        interpreter.invoke();
        const float* ref = ref_logits[n].data_ptr<float>();
        std::size_t ref_best = 0;
        double worst_steps = 0;
        for (std::size_t c = 0; c < classes; ++c) {
            if (ref[c] > ref[ref_best]) ref_best = c;
            const double d = std::abs(static_cast<double>(interpreter.logit(c)) - ref[c]);
            r.max_logit_diff = std::max(r.max_logit_diff, d);
            logit_sum += d;
            if (logit_step[c] > 0) worst_steps = std::max(worst_steps, d / logit_step[c]);
        }
        r.max_logit_diff_steps = std::max(r.max_logit_diff_steps, worst_steps);
        if (worst_steps <= 1.0 + 1e-6) ++r.logits_within_one_step;
        const std::size_t best = interpreter.argmax();
        const auto label = static_cast<std::size_t>(labels[n].item<std::int64_t>());
        r.agree += best == ref_best;
        right_runtime += best == label;
        right_reference += ref_best == label;
        if (!per_layer) continue;
        for (std::size_t t = 0; t < model.tensors.size(); ++t) {
            const auto& info = model.tensors[t];
            if (info.type != runtime::DataType::UInt8) continue;
            // A dsconv's pointwise output passes its relu and quantizer under the dsconv's own name.
            std::string key = info.name;
            const std::string pointwise = ".pointwise";
            if (key.size() > pointwise.size() && key.compare(key.size() - pointwise.size(), pointwise.size(), pointwise) == 0)
                key.resize(key.size() - pointwise.size());
            auto it = ref_layers.find(torchModuleName(key) + "_aq");
            if (it == ref_layers.end()) it = ref_layers.find(torchModuleName(info.name));
            if (it == ref_layers.end()) continue;
            const torch::Tensor ref_t = it->second[n].reshape({-1}).contiguous();
            const std::vector<float> got = interpreter.dequantized(t);
            if (static_cast<std::size_t>(ref_t.numel()) != got.size()) continue;
            const float* p = ref_t.data_ptr<float>();
            for (std::size_t i = 0; i < got.size(); ++i) {
                const double d = std::abs(static_cast<double>(got[i]) - p[i]);
                layer_acc[t].max_abs = std::max(layer_acc[t].max_abs, d);
                layer_acc[t].sum_abs += d;
            }
            layer_acc[t].count += static_cast<std::int64_t>(got.size());
        }
    }
    r.agreement = static_cast<double>(r.agree) / static_cast<double>(r.samples);
    r.runtime_accuracy = static_cast<double>(right_runtime) / static_cast<double>(r.samples);
    r.reference_accuracy = static_cast<double>(right_reference) / static_cast<double>(r.samples);
    r.mean_logit_diff = logit_sum / static_cast<double>(r.samples * static_cast<std::int64_t>(classes));
    for (std::size_t t = 0; t < model.tensors.size(); ++t) {
        if (layer_acc[t].count == 0) continue;
        LayerParity l;
        l.name = model.tensors[t].name;
        l.max_abs = layer_acc[t].max_abs;
        l.mean_abs = layer_acc[t].sum_abs / static_cast<double>(layer_acc[t].count);
        l.step = model.tensors[t].scale;
        l.max_steps = l.max_abs / l.step;
        r.layers.push_back(l);
    }
    return r;
}

}  // namespace tm2::exporter
