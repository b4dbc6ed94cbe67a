#include "core/model/cost_table.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "core/base/error.h"

namespace tm2::model {

namespace {

// ceil(count · bits / 8) without forming count · bits, which wraps for counts near 2^61.
std::int64_t ceilBytes(std::int64_t count, int bits, const std::string& layer);

std::int64_t product(const std::vector<std::size_t>& shape) {
    std::int64_t n = 1;
    for (std::size_t d : shape) n *= static_cast<std::int64_t>(d);
    return n;
}

// a·b, refusing to wrap: inferShapes caps activations, but kernels times
// channels times positions can still exceed int64 on absurd specs.
std::int64_t mul(std::int64_t a, std::int64_t b, const std::string& layer) {
    std::int64_t out = 0;
    if (__builtin_mul_overflow(a, b, &out)) throw Error(layer + ": cost exceeds the 64-bit range");
    return out;
}

// The implicit classifier is an fc with bias; every other row has its spec.
LayerSpec specOf(const LayerShape& shape, const ModelSpec& spec) {
    if (shape.index < 0) {
        LayerSpec classifier;
        classifier.type = LayerType::Fc;
        classifier.activation = Activation::None;
        return classifier;
    }
    const auto index = static_cast<std::size_t>(shape.index);
    const BranchSpec* branch = spec.findBranch(shape.branch);
    const std::vector<LayerSpec>* list = shape.branch == "head" ? &spec.head
                                         : branch               ? &branch->layers
                                                                : nullptr;
    if (!list || index >= list->size() || (*list)[index].type != shape.type)
        throw Error("cost table: layer '" + shape.name + "' is not in model '" + spec.name +
                    "' (shapes from another spec?)");
    return (*list)[index];
}

LayerCost row(const LayerShape& s, const std::string& name, const char* kind) {
    LayerCost c;
    c.name = name;
    c.branch = s.branch;
    c.kind = kind;
    c.output_elements = product(s.out);
    return c;
}

void addCosts(const LayerShape& s, const LayerSpec& l, std::vector<LayerCost>& rows) {
    switch (l.type) {
        case LayerType::Conv2d: {
            // Table 1: K·K·M·N weights, each used at all F_h·F_w output positions.
            LayerCost c = row(s, s.name, "conv2d");
            const std::int64_t k = l.kernel, m = s.in[0], n = s.out[0], f = product({s.out[1], s.out[2]});
            c.params = mul(mul(k * k, m, s.name), n, s.name);
            c.macs = mul(c.params, f, s.name);
            c.bias = l.bias ? n : 0;
            c.quantizable = true;
            rows.push_back(c);
            return;
        }
        case LayerType::DsConv2d: {
            // Table 1 splits into K·K·M (depthwise) + M·N (pointwise), both per output position.
            const std::int64_t k = l.kernel, m = s.in[0], n = s.out[0], f = product({s.out[1], s.out[2]});
            LayerCost dw = row(s, s.name + ".depthwise", "depthwise");
            dw.params = mul(k * k, m, s.name);
            dw.macs = mul(dw.params, f, s.name);
            dw.output_elements = mul(m, f, s.name);
            dw.quantizable = true;
            LayerCost pw = row(s, s.name + ".pointwise", "pointwise");
            pw.params = mul(m, n, s.name);
            pw.macs = mul(pw.params, f, s.name);
            pw.bias = l.bias ? n : 0;
            pw.quantizable = true;
            rows.push_back(dw);
            rows.push_back(pw);
            return;
        }
        case LayerType::Fc: {
            LayerCost c = row(s, s.name, "fc");
            c.params = mul(static_cast<std::int64_t>(s.in[0]), static_cast<std::int64_t>(s.out[0]), s.name);
            c.macs = c.params;
            c.bias = l.bias ? static_cast<std::int64_t>(s.out[0]) : 0;
            c.quantizable = true;
            rows.push_back(c);
            return;
        }
        case LayerType::BatchNorm:
            // Zero on purpose: batchnorm folds into the preceding conv/fc before
            // quantization, so it stores nothing and computes nothing at inference.
        case LayerType::MaxPool2d:  // comparisons, not MACs
        case LayerType::Dropout:    // identity at inference
        case LayerType::Flatten:
            rows.push_back(row(s, s.name, toString(l.type)));
            return;
    }
}

std::int64_t ceilBytes(std::int64_t count, int bits, const std::string& layer) {
    return mul(count / 8, bits, layer) + ((count % 8) * bits + 7) / 8;
}

// Totals of absurd specs leave int64 too; refuse rather than report a negative size.
template <typename F>
std::int64_t sum(const std::vector<LayerCost>& layers, F value) {
    std::int64_t total = 0;
    for (const auto& l : layers)
        if (__builtin_add_overflow(total, value(l), &total))
            throw Error("cost table: the model's total exceeds the 64-bit range (at layer '" + l.name + "')");
    return total;
}

}  // namespace

std::int64_t LayerCost::weightBytes(int bits) const { return ceilBytes(params, bits, name); }
std::int64_t LayerCost::outputBytes(int bits) const { return ceilBytes(output_elements, bits, name); }
std::int64_t LayerCost::bops(int bits) const { return mul(mul(macs, bits, name), bits, name); }

std::int64_t CostTable::totalParams() const {
    return sum(layers, [](const LayerCost& l) { return l.params; });
}
std::int64_t CostTable::totalBias() const {
    return sum(layers, [](const LayerCost& l) { return l.bias; });
}
std::int64_t CostTable::totalMacs() const {
    return sum(layers, [](const LayerCost& l) { return l.macs; });
}
// Each layer's weights are packed on their own, so each rounds up to whole bytes.
std::int64_t CostTable::totalWeightBytes(int bits) const {
    return sum(layers, [bits](const LayerCost& l) { return l.weightBytes(bits); });
}
std::int64_t CostTable::totalBops(int bits) const {
    return sum(layers, [bits](const LayerCost& l) { return l.bops(bits); });
}
std::int64_t CostTable::peakOutputBytes(int bits) const {
    std::int64_t peak = 0;
    for (const auto& l : layers) peak = std::max(peak, l.outputBytes(bits));
    return peak;
}

CostTable computeCostTable(const ShapeReport& shapes, const ModelSpec& spec) {
    CostTable table;
    for (const LayerShape& s : shapes.layers) addCosts(s, specOf(s, spec), table.layers);
    return table;
}

nlohmann::json costTableJson(const CostTable& table, int bits) {
    if (bits < 1 || bits > 32)
        throw Error("cost table: bits must be between 1 and 32, got " + std::to_string(bits));
    nlohmann::json layers = nlohmann::json::array();
    for (const LayerCost& l : table.layers)
        layers.push_back({{"name", l.name},
                          {"branch", l.branch},
                          {"kind", l.kind},
                          {"params", l.params},
                          {"bias", l.bias},
                          {"macs", l.macs},
                          {"output_elements", l.output_elements},
                          {"weight_bytes", l.weightBytes(bits)},
                          {"output_bytes", l.outputBytes(bits)},
                          {"bops", l.bops(bits)},
                          {"quantizable", l.quantizable}});
    return {{"layers", layers},
            {"totals",
             {{"params", table.totalParams()},
              {"bias", table.totalBias()},
              {"macs", table.totalMacs()},
              {"weight_bytes", table.totalWeightBytes(bits)},
              {"bops", table.totalBops(bits)},
              {"peak_output_bytes", table.peakOutputBytes(bits)}}},
            {"bits", bits}};
}

}  // namespace tm2::model
