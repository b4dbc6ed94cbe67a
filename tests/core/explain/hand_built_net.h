#pragma once
// Networks built by hand for the explanation tests: an "image" branch (1 × 8 × 8)
// and an "audio" branch (1 × 6 × 10: 6 MFCC coefficients × 10 frames), each
// flatten → fc (no activation, no bias), concatenated into the classifier. The
// tests then set the weights so the network reads exactly what they choose.

#include <torch/torch.h>

#include <string>

#include "core/model/model_spec.h"
#include "core/train/multimodal_net.h"

namespace tm2::explain::testing {

inline model::LayerSpec layer(model::LayerType type, int out_features = 0) {
    model::LayerSpec l;
    l.type = type;
    l.out_features = out_features;
    l.activation = model::Activation::None;
    l.bias = false;
    return l;
}

inline model::ModelSpec handBuiltSpec(int features_per_branch, int classes) {
    model::ModelSpec spec;
    for (const auto& [modality, input] :
         {std::pair<std::string, std::vector<std::size_t>>{"image", {1, 8, 8}},
          std::pair<std::string, std::vector<std::size_t>>{"audio", {1, 6, 10}}}) {
        model::BranchSpec b;
        b.modality = modality;
        b.input = input;
        b.layers = {layer(model::LayerType::Flatten), layer(model::LayerType::Fc, features_per_branch)};
        spec.branches.push_back(b);
    }
    spec.num_classes = classes;
    return spec;
}

// The fc of a branch ("image" / "audio") or the classifier ("head").
inline train::QuantizableLayer& layerOf(train::MultimodalNet& net, const std::string& branch) {
    for (auto& q : net->quantizableLayers())
        if (q.branch == branch) return q;
    throw std::runtime_error("no layer in " + branch);
}

}  // namespace tm2::explain::testing
