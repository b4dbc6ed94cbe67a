#include "core/workflow/spec_rows.h"

#include <algorithm>
#include <cstdlib>

#include "core/base/error.h"
#include "core/data/modality_features.h"
#include "core/model/cost_table.h"
#include "core/model/shape_inference.h"

namespace tm2::workflow {

namespace {

using model::LayerSpec;
using model::LayerType;
using model::ModelSpec;

constexpr const char* kProbeFlatten = "__designer_probe_flatten";

bool startsWith(const std::string& text, const std::string& prefix) {
    return text.compare(0, prefix.size(), prefix) == 0;
}

// "branch 'audio', layer 4 (maxpool2d): …" → 4 when `place` is "branch 'audio'"; -1 otherwise.
int locatedLayer(const std::string& message, const std::string& place) {
    const std::string prefix = place + ", layer ";
    if (!startsWith(message, prefix)) return -1;
    const char* digits = message.c_str() + prefix.size();
    char* end = nullptr;
    const long n = std::strtol(digits, &end, 10);
    if (end == digits || *end != ' ') return -1;
    return static_cast<int>(n);
}

std::string branchPlace(const std::string& modality) { return "branch '" + modality + "'"; }

SpecRow skeletonRow(const std::string& branch, int index, const LayerSpec& layer) {
    SpecRow row;
    row.branch = branch;
    row.index = index;
    row.type = model::toString(layer.type);
    row.settings = layerSettingsText(layer);
    return row;
}

SpecRow classifierRow(const std::string& branch, int classes) {
    SpecRow row;
    row.branch = branch;
    row.type = "fc";
    row.settings = "classifier, " + std::to_string(classes) + " classes";
    return row;
}

// Fills shapes and costs of `rows` from a successful inference of `spec`
// (rows are matched by branch and index; the probe flatten is ignored, and
// the implicit classifiers too unless `spec` is the whole model).
void fillFrom(const ModelSpec& spec, const model::ShapeReport& report, std::vector<SpecRow>& rows,
              bool classifiers) {
    const model::CostTable table = model::computeCostTable(report, spec);
    for (const auto& s : report.layers) {
        if (s.name == kProbeFlatten || (s.index < 0 && !classifiers)) continue;
        auto row = std::find_if(rows.begin(), rows.end(), [&](const SpecRow& r) {
            return r.branch == s.branch && r.index == s.index && r.out.empty() && r.error.empty();
        });
        if (row == rows.end()) continue;
        row->in = s.in;
        row->out = s.out;
        for (const auto& c : table.layers) {
            if (c.name != s.name && c.name != s.name + ".depthwise" && c.name != s.name + ".pointwise") continue;
            row->params += c.params;
            row->bias += c.bias;
            row->macs += c.macs;
            row->bytes_int8 += c.weightBytes(8);
        }
        row->bytes_fp32 = 4 * (row->params + row->bias);
        row->bytes_int8 += 4 * row->bias;
    }
}

// One branch alone, cut to its first `limit` layers and closed by a flatten,
// so its shapes can be inferred whatever the rest of the spec does.
ModelSpec branchProbe(const ModelSpec& spec, std::size_t b, std::size_t limit) {
    ModelSpec probe;
    probe.name = spec.name;
    model::BranchSpec branch = spec.branches[b];
    branch.layers.resize(std::min(limit, branch.layers.size()));
    LayerSpec flatten;
    flatten.type = LayerType::Flatten;
    flatten.name = kProbeFlatten;
    branch.layers.push_back(flatten);
    probe.branches = {branch};
    probe.num_classes = std::max(2, spec.num_classes);
    return probe;
}

}  // namespace

DesignInputs designInputsFromDataset(const data::DatasetSpec& spec, int classes) {
    DesignInputs inputs;
    for (const auto& m : spec.modalities) inputs.shapes[m.name] = data::featureItemShape(m);
    inputs.classes = classes;
    return inputs;
}

DesignInputs defaultDesignInputs(const ModelSpec& spec) {
    DesignInputs inputs;
    bool image = false;
    for (const auto& b : spec.branches) {
        data::ModalitySpec m;
        m.name = b.modality;
        m.kind = b.modality == "image" ? data::ModalityKind::Image : data::ModalityKind::Audio;
        image = image || m.kind == data::ModalityKind::Image;
        inputs.shapes[b.modality] = data::featureItemShape(m);
    }
    inputs.classes = image ? 10 : 2;
    return inputs;
}

ModelSpec bindDesignInputs(const ModelSpec& spec, const DesignInputs& inputs) {
    ModelSpec bound = spec;
    for (auto& b : bound.branches) {
        if (!b.input.empty()) continue;
        const auto it = inputs.shapes.find(b.modality);
        if (it != inputs.shapes.end()) b.input = it->second;
    }
    if (bound.num_classes == 0) bound.num_classes = inputs.classes;
    return bound;
}

SpecSummary summarizeSpec(const ModelSpec& spec) {
    SpecSummary summary;
    // Skeleton: every block the designer draws, in spec order.
    for (const auto& b : spec.branches)
        for (std::size_t i = 0; i < b.layers.size(); ++i)
            summary.rows.push_back(skeletonRow(b.modality, static_cast<int>(i), b.layers[i]));
    for (std::size_t i = 0; i < spec.head.size(); ++i)
        summary.rows.push_back(skeletonRow("head", static_cast<int>(i), spec.head[i]));
    // Gate rows come in the shape report's order (before the classifier): fillFrom
    // matches implicit rows (index −1) of the head in that order.
    auto fusionRow = [&summary](const std::string& settings) {
        SpecRow row;
        row.branch = "head";
        row.type = "fc";
        row.settings = settings;
        row.fusion_gate = true;
        summary.rows.push_back(row);
    };
    if (spec.fusion.type == model::FusionType::Gated)
        for (const auto& b : spec.branches) fusionRow("gate of " + b.modality + ", sigmoid");
    if (spec.fusion.type == model::FusionType::Film && !spec.branches.empty())
        for (std::size_t b = 1; b < spec.branches.size(); ++b) {
            const std::string of = spec.branches[b].modality + " from " + spec.branches[0].modality;
            fusionRow("FiLM scale γ of " + of);
            fusionRow("FiLM shift β of " + of);
        }
    if (spec.fusion.type == model::FusionType::Attention) {
        std::string of;
        for (const auto& b : spec.branches) of += (of.empty() ? "" : ", ") + b.modality;
        fusionRow("attention scores of " + of + ", softmax");
    }
    if (spec.fusion.type == model::FusionType::Late) {
        for (const auto& b : spec.branches) summary.rows.push_back(classifierRow(b.modality, spec.num_classes));
    } else {
        summary.rows.push_back(classifierRow("head", spec.num_classes));
    }

    try {
        const model::ShapeReport report = model::inferShapes(spec);
        fillFrom(spec, report, summary.rows, true);
        summary.valid = true;
    } catch (const Error& e) {
        summary.error = e.what();
    }

    if (!summary.valid) {
        auto rowOf = [&](const std::string& branch, int index) -> SpecRow* {
            for (auto& r : summary.rows)
                if (r.branch == branch && r.index == index) return &r;
            return nullptr;
        };
        // Each branch on its own: its first bad block, and the shapes before it.
        for (std::size_t b = 0; b < spec.branches.size(); ++b) {
            const auto& branch = spec.branches[b];
            const std::string place = branchPlace(branch.modality);
            std::size_t limit = branch.layers.size();
            std::string branch_error;
            try {
                const ModelSpec probe = branchProbe(spec, b, limit);
                fillFrom(probe, model::inferShapes(probe), summary.rows, false);
            } catch (const Error& e) {
                const int at = locatedLayer(e.what(), place);
                if (at >= 0 && static_cast<std::size_t>(at) < branch.layers.size()) {
                    rowOf(branch.modality, at)->error = e.what();
                    limit = static_cast<std::size_t>(at);
                    try {
                        const ModelSpec probe = branchProbe(spec, b, limit);
                        fillFrom(probe, model::inferShapes(probe), summary.rows, false);
                    } catch (const Error&) {
                    }
                } else {
                    branch_error = e.what();
                }
            }
            // Branch-level problems of the whole spec (no input shape, ends spatial).
            if (branch_error.empty() && startsWith(summary.error, place) && locatedLayer(summary.error, place) < 0)
                branch_error = summary.error;
            if (!branch_error.empty() && !branch.layers.empty()) {
                const bool input_problem = startsWith(branch_error, place + ":");
                SpecRow* row = rowOf(branch.modality, input_problem ? 0 : static_cast<int>(branch.layers.size()) - 1);
                if (row->error.empty()) row->error = branch_error;
            }
        }
        // A bad head layer: everything before it still has shapes.
        const int head_at = locatedLayer(summary.error, "head");
        if (head_at >= 0 && static_cast<std::size_t>(head_at) < spec.head.size()) {
            rowOf("head", head_at)->error = summary.error;
            ModelSpec cut = spec;
            cut.head.resize(static_cast<std::size_t>(head_at));
            try {
                fillFrom(cut, model::inferShapes(cut), summary.rows, false);  // its classifier is not this one
            } catch (const Error&) {
            }
        }
    }

    for (const auto& r : summary.rows) {
        summary.totals.params += r.params + r.bias;
        summary.totals.macs += r.macs;
        summary.totals.bytes_fp32 += r.bytes_fp32;
        summary.totals.bytes_int8 += r.bytes_int8;
    }
    return summary;
}

std::string layerSettingsText(const LayerSpec& l) {
    const std::string act = l.activation == model::Activation::Relu ? ", relu" : "";
    const std::string k = std::to_string(l.kernel) + "×" + std::to_string(l.kernel);
    const std::string pad = l.padding ? ", pad " + std::to_string(l.padding) : "";
    switch (l.type) {
        case LayerType::Conv2d:
        case LayerType::DsConv2d:
            return std::to_string(l.out_channels) + " filters, " + k + ", stride " + std::to_string(l.stride) + pad +
                   act;
        case LayerType::MaxPool2d:
            return k + ", stride " + std::to_string(l.stride == 0 ? l.kernel : l.stride) + pad;
        case LayerType::BatchNorm:
            return "";
        case LayerType::Dropout: {
            std::string p = std::to_string(l.p);
            p.erase(p.find_last_not_of('0') + 1);
            if (!p.empty() && p.back() == '.') p.pop_back();
            return "p " + p;
        }
        case LayerType::Flatten:
            return "";
        case LayerType::Fc:
            return std::to_string(l.out_features) + " units" + act;
    }
    return "";
}

std::string shapeText(const std::vector<std::size_t>& shape) {
    if (shape.empty()) return "—";
    std::string text;
    for (std::size_t d : shape) text += (text.empty() ? "" : "×") + std::to_string(d);
    return text;
}

}  // namespace tm2::workflow
