#pragma once
// Where one sample's evidence sits: gradient × input per branch (Simonyan et
// al. 2014; Shrikumar et al. 2016) — for each input cell x, x·∂logit/∂x of the
// explained class, its magnitude summed over channels. A cell the network does
// not read has a zero gradient and stays dark. It is exact at the input's own
// resolution (each MFCC frame and coefficient, each pixel), where Grad-CAM
// would show a branch's last conv grid upsampled.

#include <torch/torch.h>

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "core/train/multimodal_net.h"

namespace tm2::explain {

// One branch's map: H × W, row-major, ≥ 0 (not normalised: maps of one sample compare).
struct BranchSaliency {
    std::string modality;
    std::size_t channels = 0, rows = 0, cols = 0;
    std::vector<float> input;     // C × H × W, as the network saw it (normalised features)
    std::vector<float> saliency;  // H × W: Σ_c |x_c · ∂logit/∂x_c|
    double total = 0;             // Σ saliency: the branch's share of the evidence
};

struct SampleSaliency {
    int explained_class = 0;  // the class whose logit was differentiated
    int predicted_class = 0;
    std::vector<float> probabilities;      // softmax of the logits, one per class
    std::vector<BranchSaliency> branches;  // in the network's branch order
};

// `inputs[b]` is branch b's C × H × W tensor (one sample, no batch dimension).
// `explained_class` defaults to the predicted class. Evaluates in eval mode
// (dropout off, batchnorm running statistics); the weights are not changed.
// Throws tm2::Error when the class is out of range or the inputs do not fit.
SampleSaliency gradientTimesInput(train::MultimodalNet& net, const std::vector<torch::Tensor>& inputs,
                                  std::optional<int> explained_class = {});

}  // namespace tm2::explain
