#pragma once
// The LibTorch network a ModelSpec describes: one branch per modality,
// fusion (concat / sum / late), head, classifier. Branch features can be
// dropped per sample (modality dropout in training, a missing modality at
// test time) and per-branch auxiliary classifiers give extra losses.

#include <string>
#include <vector>

#include <torch/torch.h>

#include "core/model/model_spec.h"
#include "core/model/shape_inference.h"

namespace tm2::train {

struct NetOutput {
    torch::Tensor logits;                    // N × classes
    std::vector<torch::Tensor> aux_logits;   // per branch, N × classes (empty without aux heads)
};

class MultimodalNetImpl : public torch::nn::Module {
public:
    // `spec` must have every input shape and num_classes set (inferShapes passes).
    MultimodalNetImpl(const model::ModelSpec& spec, bool aux_heads);

    // inputs[b] is N × C × H × W for branch b. `present` (optional, N × branches,
    // float 0/1) zeroes a branch's features for the samples where it is 0.
    NetOutput forward(const std::vector<torch::Tensor>& inputs, const torch::Tensor& present = {});

    const model::ModelSpec& spec() const { return spec_; }
    const model::ShapeReport& shapes() const { return shapes_; }
    std::size_t branchCount() const { return branches_.size(); }

private:
    torch::Tensor applyHead(const torch::Tensor& x);

    model::ModelSpec spec_;
    model::ShapeReport shapes_;
    std::vector<torch::nn::Sequential> branches_;
    torch::nn::Sequential head_{nullptr};
    torch::nn::Linear classifier_{nullptr};              // concat / sum
    std::vector<torch::nn::Linear> branch_classifiers_;  // late fusion
    std::vector<torch::nn::Linear> aux_classifiers_;
};

TORCH_MODULE(MultimodalNet);

// Number of trainable parameters (weights and biases).
std::int64_t countParameters(torch::nn::Module& module);

}  // namespace tm2::train
