#include "core/model/shape_inference.h"

#include <cstdint>
#include <map>

#include "core/base/error.h"

namespace tm2::model {

namespace {

using Shape = std::vector<std::size_t>;

// Caps every activation so later products (costs, byte counts) stay far from int64 overflow.
constexpr std::int64_t kMaxElements = std::int64_t{1} << 40;

std::string dims(const Shape& s) {
    std::string out;
    for (std::size_t d : s) out += (out.empty() ? "" : "×") + std::to_string(d);
    return out;
}

std::string square(int k) { return std::to_string(k) + "×" + std::to_string(k); }

std::string describe(const Shape& s) {
    return s.size() == 1 ? std::to_string(s[0]) + " features" : "a " + dims(s) + " feature map";
}

std::size_t elements(const Shape& s, const std::string& where) {
    std::int64_t n = 1;
    for (std::size_t d : s) {
        n *= static_cast<std::int64_t>(d);
        if (n > kMaxElements) throw Error(where + ": output " + dims(s) + " is too large");
    }
    return static_cast<std::size_t>(n);
}

// Output of a sliding window over C×H×W, floor mode like PyTorch: floor((n + 2p − k) / s) + 1.
Shape slide(const LayerSpec& l, const Shape& in, std::size_t channels, const std::string& where) {
    if (in.size() != 3)
        throw Error(where + ": needs a C×H×W input but gets " + describe(in) +
                    " (it comes after a flatten or fc)");
    const std::int64_t k = l.kernel;
    const std::int64_t s = l.type == LayerType::MaxPool2d && l.stride == 0 ? l.kernel : l.stride;
    const std::int64_t h = static_cast<std::int64_t>(in[1]) + 2 * l.padding;
    const std::int64_t w = static_cast<std::int64_t>(in[2]) + 2 * l.padding;
    if (h < k || w < k) {
        const std::string padded = l.padding > 0 ? " (padding " + std::to_string(l.padding) + ")" : "";
        throw Error(where + ": input " + std::to_string(in[1]) + "×" + std::to_string(in[2]) + padded +
                    " is smaller than kernel " + square(l.kernel));
    }
    return {channels, static_cast<std::size_t>((h - k) / s + 1), static_cast<std::size_t>((w - k) / s + 1)};
}

Shape layerOutput(const LayerSpec& l, const Shape& in, const std::string& where) {
    if (const auto problem = checkLayerFields(l))
        throw Error(where + ": " + problem->field + " " + problem->rule);
    Shape out;
    switch (l.type) {
        case LayerType::Conv2d:
        case LayerType::DsConv2d:  // depthwise k×k keeps C, pointwise 1×1 keeps H×W
            out = slide(l, in, static_cast<std::size_t>(l.out_channels), where);
            break;
        case LayerType::MaxPool2d:
            out = slide(l, in, in.empty() ? 0 : in[0], where);
            break;
        case LayerType::BatchNorm:
        case LayerType::Dropout:
            out = in;
            break;
        case LayerType::Flatten:
            out = {elements(in, where)};
            break;
        case LayerType::Fc:
            if (in.size() != 1)
                throw Error(where + ": needs a flat input but gets " + describe(in) +
                            "; add a flatten before it");
            out = {static_cast<std::size_t>(l.out_features)};
            break;
    }
    elements(out, where);
    return out;
}

// Names must be unique: the cost table, quantization plan and exported model key on them.
class NameRegistry {
public:
    void add(const std::string& name, const std::string& where) {
        const auto [it, fresh] = places_.emplace(name, where);
        if (!fresh) throw Error("duplicate layer name '" + name + "' (" + it->second + " and " + where + ")");
    }

private:
    std::map<std::string, std::string> places_;
};

// Walks `layers` from `in`, appending one LayerShape each; returns the last output.
Shape walk(const std::vector<LayerSpec>& layers, Shape in, const std::string& branch,
           const std::string& place, ShapeReport& report, NameRegistry& names) {
    for (std::size_t i = 0; i < layers.size(); ++i) {
        const LayerSpec& l = layers[i];
        const std::string where = place + ", layer " + std::to_string(i) + " (" + toString(l.type) + ")";
        LayerShape s;
        s.name = l.name.empty() ? branch + "." + std::to_string(i) + "." + toString(l.type) : l.name;
        s.branch = branch;
        s.index = static_cast<int>(i);
        s.type = l.type;
        s.in = in;
        s.out = layerOutput(l, in, where);
        names.add(s.name, where);
        in = s.out;
        report.layers.push_back(std::move(s));
    }
    return in;
}

void addClassifier(const std::string& name, const std::string& branch, const Shape& in, int classes,
                   ShapeReport& report, NameRegistry& names) {
    LayerShape s;
    s.name = name;
    s.branch = branch;
    s.type = LayerType::Fc;
    s.in = in;
    s.out = {static_cast<std::size_t>(classes)};
    names.add(name, "classifier '" + name + "'");
    report.layers.push_back(std::move(s));
}

// An fc of the fusion (bias, no activation): gated fusion's gate of a branch (from
// every branch's features), FiLM's scale or shift of a branch (from the first's),
// attention's scores (from every branch's features, one per branch).
void addFusionFc(const std::string& name, std::size_t in, std::size_t width, ShapeReport& report,
                 NameRegistry& names) {
    LayerShape s;
    s.name = name;
    s.branch = "head";
    s.type = LayerType::Fc;
    s.in = {in};
    s.out = {width};
    names.add(s.name, "fusion layer '" + s.name + "'");
    report.layers.push_back(std::move(s));
}

Shape branchInput(const BranchSpec& b, const std::string& place) {
    if (b.input.empty()) throw Error(place + ": input shape unknown (set 'input' or load a dataset)");
    if (b.input.size() != 3) throw Error(place + ": input must be C×H×W, got " + dims(b.input));
    for (std::size_t d : b.input)
        if (d == 0) throw Error(place + ": input " + dims(b.input) + " has an empty dimension");
    elements(b.input, place + ": input");
    return b.input;
}

}  // namespace

ShapeReport inferShapes(const ModelSpec& spec) {
    if (spec.branches.empty()) throw Error("model '" + spec.name + "' has no branches");
    if (spec.num_classes < 2)
        throw Error("num_classes: must be >= 2, got " + std::to_string(spec.num_classes) +
                    " (set it or load a dataset)");
    const bool late = spec.fusion.type == FusionType::Late;
    if (late && !spec.head.empty())
        throw Error("late fusion averages each branch's own classifier, so 'head' must be empty (it has " +
                    std::to_string(spec.head.size()) + " layers)");

    ShapeReport report;
    NameRegistry names;
    std::map<std::string, int> modalities;
    for (const BranchSpec& b : spec.branches) {
        const std::string place = "branch '" + b.modality + "'";
        if (b.modality.empty()) throw Error("a branch has no modality name");
        if (b.modality == "head") throw Error(place + ": 'head' is reserved for the layers after fusion");
        if (modalities[b.modality]++) throw Error(place + ": appears twice");
        const Shape out = walk(b.layers, branchInput(b, place), b.modality, place, report, names);
        if (out.size() != 1)
            throw Error(place + " ends with a " + dims(out) + " feature map; add flatten (and fc) before " +
                        (late ? "its classifier" : "fusion"));
        report.branch_outputs.push_back(out);
        if (late) addClassifier(b.modality + ".classifier", b.modality, out, spec.num_classes, report, names);
    }

    if (late) {
        report.fused_features = static_cast<std::size_t>(spec.num_classes);  // averaged logits
        return report;
    }
    if (spec.fusion.type == FusionType::Sum) {
        std::string widths;
        for (std::size_t i = 0; i < spec.branches.size(); ++i)
            widths += (i ? ", " : "") + spec.branches[i].modality + " " +
                      std::to_string(report.branch_outputs[i][0]);
        for (const Shape& out : report.branch_outputs)
            if (out[0] != report.branch_outputs[0][0])
                throw Error("sum fusion needs branches of equal width, got " + widths);
        report.fused_features = report.branch_outputs[0][0];
    } else {
        for (const Shape& out : report.branch_outputs) report.fused_features += out[0];
    }
    if (spec.fusion.type == FusionType::Gated)
        for (std::size_t b = 0; b < spec.branches.size(); ++b)
            addFusionFc("fusion.gate." + spec.branches[b].modality, report.fused_features,
                        report.branch_outputs[b][0], report, names);
    if (spec.fusion.type == FusionType::Film) {
        if (spec.branches.size() < 2)
            throw Error("film fusion needs at least two branches (the first conditions the others), got " +
                        std::to_string(spec.branches.size()));
        const std::size_t condition = report.branch_outputs[0][0];
        for (std::size_t b = 1; b < spec.branches.size(); ++b)
            for (const char* part : {".scale", ".shift"})
                addFusionFc("fusion.film." + spec.branches[b].modality + part, condition,
                            report.branch_outputs[b][0], report, names);
    }
    if (spec.fusion.type == FusionType::Attention)
        addFusionFc("fusion.attention.score", report.fused_features, spec.branches.size(), report, names);
    const Shape out = walk(spec.head, {report.fused_features}, "head", "head", report, names);
    addClassifier("classifier", "head", out, spec.num_classes, report, names);
    return report;
}

}  // namespace tm2::model
