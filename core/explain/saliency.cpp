#include "core/explain/saliency.h"

#include "core/base/error.h"

namespace tm2::explain {

namespace {

std::vector<float> toVector(const torch::Tensor& t) {
    const torch::Tensor c = t.detach().to(torch::kFloat32).contiguous();
    return {c.data_ptr<float>(), c.data_ptr<float>() + c.numel()};
}

}  // namespace

SampleSaliency gradientTimesInput(train::MultimodalNet& net, const std::vector<torch::Tensor>& inputs,
                                  std::optional<int> explained_class) {
    const auto& spec = net->spec();
    if (inputs.size() != spec.branches.size())
        throw Error("saliency: the network has " + std::to_string(spec.branches.size()) + " branches, got " +
                    std::to_string(inputs.size()) + " inputs");
    // Callers (evaluation code) may hold a NoGradGuard; the gradient is the point here.
    torch::AutoGradMode grad_on(true);
    net->eval();
    std::vector<torch::Tensor> batch;
    for (std::size_t b = 0; b < inputs.size(); ++b) {
        if (inputs[b].dim() != 3)
            throw Error("saliency: input of branch '" + spec.branches[b].modality +
                        "' must be C × H × W, got " + std::to_string(inputs[b].dim()) + " dimensions");
        batch.push_back(
            inputs[b].detach().to(torch::kFloat32).unsqueeze(0).contiguous().set_requires_grad(true));
    }
    const torch::Tensor logits = net->forward(batch).logits.squeeze(0);
    SampleSaliency out;
    out.predicted_class = static_cast<int>(logits.argmax().item<int64_t>());
    out.probabilities = toVector(torch::softmax(logits, 0));
    out.explained_class = explained_class.value_or(out.predicted_class);
    if (out.explained_class < 0 || out.explained_class >= logits.size(0))
        throw Error("saliency: class " + std::to_string(out.explained_class) +
                    " is out of range (the network has " + std::to_string(logits.size(0)) + " classes)");
    const std::vector<torch::Tensor> grads = torch::autograd::grad(
        {logits[out.explained_class]}, batch, /*grad_outputs=*/{}, /*retain_graph=*/false,
        /*create_graph=*/false, /*allow_unused=*/true);
    for (std::size_t b = 0; b < batch.size(); ++b) {
        const torch::Tensor x = batch[b].squeeze(0).detach();
        // A branch whose features never reach the logit (allow_unused) has no gradient: all zero.
        const torch::Tensor g = grads[b].defined() ? grads[b].squeeze(0) : torch::zeros_like(x);
        const torch::Tensor map = (x * g).abs().sum(0);
        BranchSaliency s;
        s.modality = spec.branches[b].modality;
        s.channels = static_cast<std::size_t>(x.size(0));
        s.rows = static_cast<std::size_t>(x.size(1));
        s.cols = static_cast<std::size_t>(x.size(2));
        s.input = toVector(x);
        s.saliency = toVector(map);
        s.total = map.sum().item<double>();
        out.branches.push_back(std::move(s));
    }
    return out;
}

}  // namespace tm2::explain
