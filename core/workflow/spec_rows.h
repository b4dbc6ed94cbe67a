#pragma once
// What the network designer shows for a ModelSpec: one row per layer block
// (input/output shape, Table 1 params and MACs, weight bytes) and the totals,
// with errors located on the offending block instead of one exception for the
// whole spec. Each branch is checked on its own, so a bad layer in one branch
// still leaves the other branches' rows complete.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/data/dataset_spec.h"
#include "core/model/model_spec.h"

namespace tm2::workflow {

// Inputs the designer binds a spec to for display: each branch's {C, H, W}
// by modality name and the class count.
struct DesignInputs {
    std::map<std::string, std::vector<std::size_t>> shapes;
    int classes = 0;
};

// From a dataset's modality settings (featureItemShape) and class count.
DesignInputs designInputsFromDataset(const data::DatasetSpec& spec, int classes);
// Without a dataset: a branch named "image" gets the default image settings
// (1×28×28), every other branch the default audio MFCC settings; 10 classes
// when there is an image branch (Fashion-MNIST), else 2 (positive/negative).
DesignInputs defaultDesignInputs(const model::ModelSpec& spec);

// `spec` with every empty branch input and a zero num_classes filled from `inputs`
// (inputs already in the spec win; unknown modalities stay empty).
model::ModelSpec bindDesignInputs(const model::ModelSpec& spec, const DesignInputs& inputs);

struct SpecRow {
    std::string branch;  // modality, or "head" (head layers and the implicit classifier)
    int index = -1;      // position in the branch/head list; -1 = implicit classifier
    std::string type;    // conv2d, dsconv2d, …
    std::string settings;               // "16 filters, 3×3, stride 1, pad 1, relu"
    std::vector<std::size_t> in, out;   // empty when not reached (an earlier error)
    std::int64_t params = 0;            // weights (Table 1; dsconv = depthwise + pointwise)
    std::int64_t bias = 0;
    std::int64_t macs = 0;
    std::int64_t bytes_fp32 = 0;        // 4 · (params + bias)
    std::int64_t bytes_int8 = 0;        // params (1 byte each) + 4 · bias (biases stay int32)
    std::string error;                  // non-empty on the block that breaks the spec
    bool fusion_gate = false;     // an fc of the fusion (gate, FiLM scale/shift) `settings` names
};

struct SpecTotals {
    std::int64_t params = 0;  // weights + biases
    std::int64_t macs = 0;
    std::int64_t bytes_fp32 = 0;
    std::int64_t bytes_int8 = 0;
};

struct SpecSummary {
    std::vector<SpecRow> rows;  // branches in spec order, then head layers, fusion fcs, classifier(s)
    SpecTotals totals;          // over the rows that could be computed
    bool valid = false;         // the whole spec passes shape inference
    std::string error;          // first error (the full inferShapes message), empty when valid
};

// Rows and totals for an already bound spec (inputs and num_classes set).
SpecSummary summarizeSpec(const model::ModelSpec& spec);

// "16 filters, 3×3, stride 1, pad 1, relu" etc.: the fields the type uses.
std::string layerSettingsText(const model::LayerSpec& layer);
// "1×28×28"; "—" for an empty shape.
std::string shapeText(const std::vector<std::size_t>& shape);

}  // namespace tm2::workflow
