#include "core/model/model_spec.h"

#include <algorithm>
#include <climits>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>

#include "core/base/atomic_write.h"
#include "core/base/error.h"
#include "core/base/json_fields.h"
#include "core/base/json_file.h"

namespace tm2::model {

namespace {

using nlohmann::json;

const EnumNames<LayerType> kLayerTypeNames{{LayerType::Conv2d, "conv2d"},
                                           {LayerType::DsConv2d, "dsconv2d"},
                                           {LayerType::MaxPool2d, "maxpool2d"},
                                           {LayerType::BatchNorm, "batchnorm"},
                                           {LayerType::Dropout, "dropout"},
                                           {LayerType::Flatten, "flatten"},
                                           {LayerType::Fc, "fc"}};
const EnumNames<Activation> kActivationNames{{Activation::Relu, "relu"}, {Activation::None, "none"}};
const EnumNames<FusionType> kFusionNames{{FusionType::Concat, "concat"},
                                         {FusionType::Sum, "sum"},
                                         {FusionType::Late, "late"},
                                         {FusionType::Gated, "gated"},
                                         {FusionType::Film, "film"},
                                         {FusionType::Attention, "attention"}};

// JSON path of a key; top-level keys have no prefix ("num_classes", "branches[0].modality").
std::string at(const std::string& path, const std::string& key) {
    return path.empty() ? key : path + "." + key;
}

std::string joined(const std::vector<std::string>& words) {
    std::string out;
    for (const auto& w : words) out += (out.empty() ? "" : ", ") + w;
    return out;
}

// Keys each layer type reads; anything else is a typo we refuse to ignore.
std::vector<std::string> layerKeys(LayerType type) {
    switch (type) {
        case LayerType::Conv2d:
        case LayerType::DsConv2d:
            return {"type", "name", "out_channels", "kernel", "stride", "padding", "activation", "bias"};
        case LayerType::MaxPool2d:
            return {"type", "name", "kernel", "stride", "padding"};
        case LayerType::Dropout:
            return {"type", "name", "p"};
        case LayerType::Fc:
            return {"type", "name", "out_features", "activation", "bias"};
        case LayerType::BatchNorm:
        case LayerType::Flatten:
            break;
    }
    return {"type", "name"};
}

void requireObject(const json& j, const std::string& path) {
    if (!j.is_object()) throw Error((path.empty() ? "model spec" : path) + ": expected a JSON object");
}

void rejectUnknownKeys(const json& j, const std::string& path, const std::vector<std::string>& allowed,
                       const std::string& owner) {
    for (const auto& item : j.items())
        if (std::find(allowed.begin(), allowed.end(), item.key()) == allowed.end())
            throw Error(at(path, item.key()) + ": unknown key for " + owner + " (expected one of " +
                        joined(allowed) + ")");
}

void require(const json& j, const std::string& path, const char* key, const std::string& why) {
    if (!j.contains(key)) throw Error(at(path, key) + ": missing (" + why + ")");
}

// Integers only: nlohmann would silently truncate 3.5 to 3.
void readInt(const json& j, const std::string& path, const char* key, int& field) {
    if (!j.contains(key)) return;
    const json& v = j.at(key);
    const bool fits = v.is_number_unsigned()  ? v.get<unsigned long long>() <= INT_MAX
                      : v.is_number_integer() ? v.get<long long>() >= INT_MIN && v.get<long long>() <= INT_MAX
                                              : false;
    if (!fits) throw Error(at(path, key) + ": expected an integer, got " + v.dump());
    field = v.get<int>();
}

void readString(const json& j, const std::string& path, const char* key, std::string& field) {
    if (!j.contains(key)) return;
    if (!j.at(key).is_string()) throw Error(at(path, key) + ": expected a string, got " + j.at(key).dump());
    field = j.at(key).get<std::string>();
}

LayerSpec readLayer(const json& j, const std::string& path) {
    requireObject(j, path);
    require(j, path, "type", "one of conv2d, dsconv2d, maxpool2d, batchnorm, dropout, flatten, fc");
    LayerSpec l;
    readEnumField(j, path, "type", kLayerTypeNames, l.type);
    const std::string type = toString(l.type);
    rejectUnknownKeys(j, path, layerKeys(l.type), type);
    if (l.type == LayerType::MaxPool2d) {
        l.kernel = 2;
        l.stride = 0;  // = kernel, as PyTorch's MaxPool2d default
    }
    if (l.type == LayerType::Conv2d || l.type == LayerType::DsConv2d)
        require(j, path, "out_channels", "required for " + type);
    if (l.type == LayerType::Fc) require(j, path, "out_features", "required for fc");
    readString(j, path, "name", l.name);
    readInt(j, path, "out_channels", l.out_channels);
    readInt(j, path, "kernel", l.kernel);
    readInt(j, path, "stride", l.stride);
    readInt(j, path, "padding", l.padding);
    readInt(j, path, "out_features", l.out_features);
    readField(j, path, "p", l.p);
    readEnumField(j, path, "activation", kActivationNames, l.activation);
    readField(j, path, "bias", l.bias);
    if (const auto problem = checkLayerFields(l))
        throw Error(at(path, problem->field) + ": " + problem->rule);
    return l;
}

std::vector<LayerSpec> readLayers(const json& j, const std::string& path) {
    if (!j.is_array()) throw Error(path + ": expected an array of layers");
    std::vector<LayerSpec> layers;
    for (std::size_t i = 0; i < j.size(); ++i)
        layers.push_back(readLayer(j[i], path + "[" + std::to_string(i) + "]"));
    return layers;
}

BranchSpec readBranch(const json& j, const std::string& path) {
    requireObject(j, path);
    rejectUnknownKeys(j, path, {"modality", "input", "layers"}, "a branch");
    require(j, path, "modality", "the dataset modality this branch reads");
    require(j, path, "layers", "the branch's layer list");
    BranchSpec b;
    readString(j, path, "modality", b.modality);
    if (b.modality.empty()) throw Error(at(path, "modality") + ": must not be empty");
    if (j.contains("input")) {
        const json& in = j.at("input");
        const std::string where = at(path, "input");
        if (!in.is_array() || (!in.empty() && in.size() != 3))
            throw Error(where + ": expected [C, H, W] (or [] to take it from the dataset), got " + in.dump());
        for (const json& d : in) {
            if (!d.is_number_integer() || d.get<long long>() <= 0 || d.get<long long>() > INT_MAX)
                throw Error(where + ": sizes must be positive integers, got " + in.dump());
            b.input.push_back(d.get<std::size_t>());
        }
    }
    b.layers = readLayers(j.at("layers"), at(path, "layers"));
    return b;
}

}  // namespace

const char* toString(LayerType type) { return enumName(kLayerTypeNames, type); }
const char* toString(FusionType type) { return enumName(kFusionNames, type); }
FusionType fusionTypeFromName(const std::string& name, const std::string& field) {
    return enumFromName(kFusionNames, name, field);
}

std::optional<LayerFieldError> checkLayerFields(const LayerSpec& l) {
    const bool conv = l.type == LayerType::Conv2d || l.type == LayerType::DsConv2d;
    if (conv && l.out_channels <= 0) return LayerFieldError{"out_channels", "must be > 0"};
    if ((conv || l.type == LayerType::MaxPool2d) && l.kernel <= 0)
        return LayerFieldError{"kernel", "must be > 0"};
    if (conv && l.stride <= 0) return LayerFieldError{"stride", "must be > 0"};
    if (l.type == LayerType::MaxPool2d && l.stride < 0)
        return LayerFieldError{"stride", "must be >= 0 (0 = kernel)"};
    if ((conv || l.type == LayerType::MaxPool2d) && l.padding < 0)
        return LayerFieldError{"padding", "must be >= 0"};
    // PyTorch's MaxPool2d refuses larger padding; catch it here, not inside LibTorch.
    if (l.type == LayerType::MaxPool2d && l.padding > l.kernel / 2)
        return LayerFieldError{"padding", "must be at most kernel / 2"};
    if (l.type == LayerType::Fc && l.out_features <= 0) return LayerFieldError{"out_features", "must be > 0"};
    if (l.type == LayerType::Dropout && !(l.p >= 0.0 && l.p < 1.0))
        return LayerFieldError{"p", "must be in [0, 1)"};
    return std::nullopt;
}

const BranchSpec* ModelSpec::findBranch(const std::string& modality) const {
    for (const auto& b : branches)
        if (b.modality == modality) return &b;
    return nullptr;
}

ModelSpec ModelSpec::onlyBranch(const std::string& modality) const {
    const BranchSpec* branch = findBranch(modality);
    if (!branch) {
        std::vector<std::string> names;
        for (const auto& b : branches) names.push_back(b.modality);
        throw Error("model '" + name + "' has no branch '" + modality + "' (branches: " + joined(names) +
                    ")");
    }
    ModelSpec out = *this;
    out.branches = {*branch};
    // Concat or sum of one branch is the identity; late fusion of one is a
    // plain classifier on top of it; a unimodal variant has nothing to gate or condition.
    if (out.fusion.type == FusionType::Late || out.fusion.type == FusionType::Gated ||
        out.fusion.type == FusionType::Film || out.fusion.type == FusionType::Attention)
        out.fusion.type = FusionType::Concat;
    return out;
}

void to_json(json& j, const LayerSpec& l) {
    j = json{{"type", toString(l.type)}};
    if (!l.name.empty()) j["name"] = l.name;
    const auto keys = layerKeys(l.type);
    const auto uses = [&](const char* key) { return std::find(keys.begin(), keys.end(), key) != keys.end(); };
    if (uses("out_channels")) j["out_channels"] = l.out_channels;
    if (uses("kernel")) j["kernel"] = l.kernel;
    if (uses("stride")) j["stride"] = l.stride;
    if (uses("padding")) j["padding"] = l.padding;
    if (uses("out_features")) j["out_features"] = l.out_features;
    if (uses("p")) j["p"] = l.p;
    if (uses("activation")) j["activation"] = enumName(kActivationNames, l.activation);
    if (uses("bias")) j["bias"] = l.bias;
}

void from_json(const json& j, LayerSpec& l) { l = readLayer(j, "layer"); }

void to_json(json& j, const BranchSpec& b) {
    j = json{{"modality", b.modality}, {"layers", b.layers}};
    if (!b.input.empty()) j["input"] = b.input;
}

void from_json(const json& j, BranchSpec& b) { b = readBranch(j, "branch"); }

void to_json(json& j, const ModelSpec& m) {
    j = json{{"name", m.name},
             {"branches", m.branches},
             {"fusion", {{"type", enumName(kFusionNames, m.fusion.type)}}},
             {"head", m.head},
             {"num_classes", m.num_classes}};
}

void from_json(const json& j, ModelSpec& m) {
    requireObject(j, "");
    rejectUnknownKeys(j, "", {"name", "branches", "fusion", "head", "num_classes"}, "a model spec");
    require(j, "", "branches", "one branch per modality");
    ModelSpec out;
    readString(j, "", "name", out.name);
    const json& branches = j.at("branches");
    if (!branches.is_array() || branches.empty()) throw Error("branches: expected a non-empty array");
    std::set<std::string> seen;
    for (std::size_t i = 0; i < branches.size(); ++i) {
        const std::string path = "branches[" + std::to_string(i) + "]";
        out.branches.push_back(readBranch(branches[i], path));
        if (!seen.insert(out.branches.back().modality).second)
            throw Error(path + ".modality: duplicate '" + out.branches.back().modality + "'");
    }
    if (j.contains("fusion")) {
        const json& fusion = j.at("fusion");
        requireObject(fusion, "fusion");
        rejectUnknownKeys(fusion, "fusion", {"type"}, "fusion");
        readEnumField(fusion, "fusion", "type", kFusionNames, out.fusion.type);
    }
    if (j.contains("head")) out.head = readLayers(j.at("head"), "head");
    readInt(j, "", "num_classes", out.num_classes);
    if (out.num_classes < 0 || out.num_classes == 1)
        throw Error("num_classes: must be 0 (from the dataset) or >= 2, got " +
                    std::to_string(out.num_classes));
    m = std::move(out);
}

ModelSpec readModelSpec(const std::string& path) {
    const json j = readJsonFile(path);  // names the file on a syntax error or a number out of range
    try {
        return j.get<ModelSpec>();
    } catch (const json::exception& e) {
        throw Error(path + ": " + e.what());
    } catch (const Error& e) {
        throw Error(path + ": " + e.what());
    }
}

void writeModelSpec(const std::string& path, const ModelSpec& spec) {
    const std::string text = json(spec).dump(2) + "\n";
    writeFileAtomically(path, text);
}

}  // namespace tm2::model
