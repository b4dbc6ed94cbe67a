#pragma once
// ModelSpec: a multimodal CNN as data. One branch per modality (a list of
// layers), a fusion, head layers and the class count — the paper's TinyM²Net
// (standard conv first, depthwise-separable after, max-pool, FC per branch,
// concatenation, FC head). Read from / written to JSON in one place.
//
// Layer semantics the builder, quantizer and runtime share:
//  - dsconv2d is a depthwise k×k conv (stride, padding) then a pointwise 1×1
//    conv, with no activation in between; `bias` belongs to the pointwise part.
//  - a batchnorm right after a conv2d/dsconv2d/fc normalises that layer's
//    output BEFORE its activation (conv → bn → relu), so it folds into the
//    conv's weights for quantization.
//  - layer positions ("layer 4", "audio.4.maxpool2d", "layers[4]") are 0-based
//    everywhere, like the JSON list and PyTorch's nn.Sequential.

#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <vector>

namespace tm2::model {

enum class LayerType { Conv2d, DsConv2d, MaxPool2d, BatchNorm, Dropout, Flatten, Fc };
enum class Activation { None, Relu };
// Late: average of per-branch logits. Gated (GMU-style): each branch's features
// h_b are scaled by their own learned gate, g_b = σ(W_b·[h_1;…;h_B] + c_b) ⊙ h_b,
// then concatenated; the gate fcs ("fusion.gate.<modality>") quantize like any fc.
// Film: the first branch's features condition every other branch b,
// f_b = γ_b ⊙ h_b + β_b with γ_b, β_b fcs of h_1 ("fusion.film.<modality>.scale" /
// ".shift"); the head reads [h_1; f_2; …]. Attention: one score fc of [h_1;…;h_B]
// ("fusion.attention.score", ΣD → B), α = softmax of the scores per sample, and the
// head reads [α_1·h_1; …; α_B·h_B]. See docs/fusion.md.
enum class FusionType { Concat, Sum, Late, Gated, Film, Attention };

const char* toString(LayerType type);
const char* toString(
    FusionType type);  // "concat", "sum", "late", "gated", "film", "attention" (the JSON spelling)
// The fusion named `name`; the error names `field` and lists the kinds.
FusionType fusionTypeFromName(const std::string& name, const std::string& field);

struct LayerSpec {
    LayerType type = LayerType::Conv2d;
    std::string name;      // optional; default "<branch>.<index>.<type>"
    int out_channels = 0;  // conv2d, dsconv2d
    int kernel = 3;        // conv2d, dsconv2d (depthwise part), maxpool2d (JSON default 2)
    int stride = 1;        // conv2d, dsconv2d, maxpool2d (0 = kernel for maxpool)
    int padding = 0;       // conv2d, dsconv2d, maxpool2d
    int out_features = 0;  // fc
    double p = 0.5;        // dropout probability
    Activation activation = Activation::Relu;  // conv2d, dsconv2d, fc (head's final fc: none)
    bool bias = true;                          // conv2d, dsconv2d (pointwise), fc
};

struct BranchSpec {
    std::string modality;            // dataset modality this branch reads
    std::vector<std::size_t> input;  // {C, H, W}; empty = fill from the dataset
    std::vector<LayerSpec> layers;
};

struct FusionSpec {
    FusionType type = FusionType::Concat;
};

struct ModelSpec {
    std::string name = "tinym2net";
    std::vector<BranchSpec> branches;
    FusionSpec fusion;
    std::vector<LayerSpec> head;  // after fusion; the final fc to num_classes is implicit
    int num_classes = 0;          // 0 = fill from the dataset

    const BranchSpec* findBranch(const std::string& modality) const;
    // The same model with only `modality`'s branch (a unimodal variant).
    ModelSpec onlyBranch(const std::string& modality) const;
};

// The first field of `layer` that breaks its type's rules ({"kernel", "must be > 0"});
// fields the type does not use are not checked. Shared by from_json and inferShapes.
struct LayerFieldError {
    std::string field;
    std::string rule;
};
std::optional<LayerFieldError> checkLayerFields(const LayerSpec& layer);

// from_json rejects keys the layer's type does not read ("kernal" is an error,
// never ignored); a maxpool2d without kernel/stride gets kernel 2, stride 0.
void to_json(nlohmann::json& j, const LayerSpec& l);
void from_json(const nlohmann::json& j, LayerSpec& l);
void to_json(nlohmann::json& j, const BranchSpec& b);
void from_json(const nlohmann::json& j, BranchSpec& b);
void to_json(nlohmann::json& j, const ModelSpec& m);
void from_json(const nlohmann::json& j, ModelSpec& m);

// Errors name the file and the JSON path ("spec.json: branches[1].layers[3].kernel: must be > 0").
ModelSpec readModelSpec(const std::string& path);
void writeModelSpec(const std::string& path, const ModelSpec& spec);  // atomic

}  // namespace tm2::model
