#pragma once
// Walks a ModelSpec from its input shapes and yields every layer's output
// shape, or a located error ("branch 'audio', layer 4 (maxpool2d): input 1×3
// is smaller than kernel 2×2") — never an exception from inside LibTorch.

#include <string>
#include <vector>

#include "core/model/model_spec.h"

namespace tm2::model {

// One computational unit after expansion (a dsconv2d is ONE entry here; the
// cost table splits it into its depthwise and pointwise parts).
struct LayerShape {
    std::string name;    // unique, e.g. "audio.0.conv2d", "head.1.fc", "classifier"
    std::string branch;  // modality, or "head" (head layers and the concat/sum classifier)
    int index = -1;      // 0-based position in its branch/head list; -1 for implicit classifiers
    LayerType type = LayerType::Conv2d;
    std::vector<std::size_t> in;  // {C, H, W} or {features}
    std::vector<std::size_t> out;
};

// Implicit classifiers (fc to num_classes, no activation, with bias): one named
// "classifier" after the head, or for late fusion one "<modality>.classifier"
// right after each branch (their logits are averaged). Gated fusion adds one
// implicit fc per branch, "fusion.gate.<modality>" (branch "head", index −1),
// from the concatenated features to that branch's width, before the head; FiLM
// two per branch after the first, "fusion.film.<modality>.scale" and ".shift",
// from the first branch's features to that branch's width; attention one,
// "fusion.attention.score", from the concatenated features to one score per branch.
struct ShapeReport {
    std::vector<LayerShape> layers;                        // in execution order, branches first
    std::vector<std::vector<std::size_t>> branch_outputs;  // each branch's features before fusion
    std::size_t fused_features = 0;                        // late fusion: num_classes (the averaged logits)
};

// Throws tm2::Error with the location on any inconsistency: missing input
// shape, kernel larger than input, non-positive sizes, an fc on a spatial
// input (the error says to add a flatten), conv after flatten, sum fusion of
// unequal widths, late fusion with head layers, num_classes < 2, duplicate
// layer names, a branch named 'head'. Layer numbers in messages are 0-based,
// as in the JSON list and the default names: "branch 'audio', layer 4
// (maxpool2d)" is layers[4], named "audio.4.maxpool2d".
ShapeReport inferShapes(const ModelSpec& spec);

}  // namespace tm2::model
