#include "core/quant/quantized_model.h"

#include <torch/torch.h>

#include <exception>
#include <utility>

#include "core/base/atomic_write.h"
#include "core/base/error.h"
#include "core/base/json_file.h"
#include "core/train/trainer.h"

namespace tm2::quant {

namespace {

using Mode = train::ActivationQuantizerImpl::Mode;

// Every activation quantizer by name: the network inputs', then each layer's output.
std::vector<std::pair<std::string, train::ActivationQuantizer>> namedActivationQuantizers(
    train::MultimodalNet& net) {
    std::vector<std::pair<std::string, train::ActivationQuantizer>> out;
    const auto& branches = net->spec().branches;
    for (std::size_t b = 0; b < branches.size(); ++b)
        out.emplace_back("input." + branches[b].modality, net->inputQuantizers()[b]);
    for (auto& q : net->quantizableLayers())
        if (q.output) out.emplace_back(q.name + ".output", q.output);
    for (auto& [name, q] : net->fusionQuantizers()) out.emplace_back(name + ".output", q);
    return out;
}

}  // namespace

nlohmann::json activationQuantizersToJson(train::MultimodalNet& net) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& [name, q] : namedActivationQuantizers(net)) {
        nlohmann::json j{{"name", name}, {"bits", q->bits}, {"lo", q->lo}, {"hi", q->hi}};
        if (q->hi > q->lo) {
            const train::ActivationGrid g = train::activationGrid(q->lo, q->hi, q->bits);
            j["scale"] = g.scale;
            j["zero_point"] = g.zero_point;
        }
        list.push_back(j);
    }
    return list;
}

void saveQuantizedModel(train::MultimodalNet& net, const QuantizedModelInfo& info, const std::string& path) {
    if (!net->batchNormsFolded())
        throw Error(path + ": the network is not quantized yet (batchnorms not folded)");
    nlohmann::json layers = nlohmann::json::array();
    for (auto& q : net->quantizableLayers()) {
        if (q.bits() == 0)
            throw Error(path + ": layer '" + q.name + "' has no bit width (quantize it first)");
        layers.push_back({{"name", q.name}, {"bits", q.bits()}});
    }
    for (const auto& [name, q] : namedActivationQuantizers(net))
        if (q->mode != Mode::Quantize || !(q->hi > q->lo))
            throw Error(path + ": activation quantizer '" + name + "' is not calibrated (quantize first)");
    // Ranges as JSON numbers: nlohmann writes the shortest text that reads back to the same double.
    const nlohmann::json manifest{{"format", info.format},
                                  {"id", info.id},
                                  {"spec", info.spec},
                                  {"aux_heads", info.aux_heads},
                                  {"classes", info.classes},
                                  {"data_fingerprint", info.data_fingerprint},
                                  {"options", info.options},
                                  {"layers", layers},
                                  {"activations", activationQuantizersToJson(net)}};
    torch::serialize::OutputArchive archive, network;
    net->save(network);
    archive.write("network", network);
    archive.write("manifest", c10::IValue(manifest.dump()));
    replaceFileAtomically(path, [&](const std::string& tmp) { archive.save_to(tmp); });
}

LoadedQuantizedModel loadQuantizedModel(const std::string& path) {
    torch::serialize::InputArchive archive, network;
    c10::IValue text;
    try {
        archive.load_from(path);
        archive.read("manifest", text);
        archive.read("network", network);
    } catch (const std::exception&) {  // c10::Error, or torch::jit's for an archive without these keys
        throw Error(
            path +
            ": not a quantized-model archive (written by `tinym2net quantize`); quantize the run again");
    }
    if (!text.isString()) throw Error(path + ": the manifest is not text; quantize the run again");
    const nlohmann::json m = parseJsonText(text.toStringRef(), path + ": manifest");
    LoadedQuantizedModel out;
    QuantizedModelInfo& info = out.info;
    try {
        info.format = m.at("format").get<int>();
        if (info.format != kQuantizedModelFormat)
            throw Error(path + ": quantized-model format " + std::to_string(info.format) +
                        ", this build reads " + std::to_string(kQuantizedModelFormat) +
                        "; quantize the run again");
        info.id = m.at("id").get<std::string>();
        info.spec = m.at("spec").get<model::ModelSpec>();
        info.aux_heads = m.at("aux_heads").get<bool>();
        info.classes = m.at("classes").get<std::vector<std::string>>();
        info.data_fingerprint = m.at("data_fingerprint").get<std::string>();
        info.options = m.at("options");
    } catch (const nlohmann::json::exception& e) {
        throw Error(path + ": manifest: " + e.what());
    }
    // As workflow::loadTrainedNet builds it (channels-last weights), so float results match bit for bit.
    out.net = train::MultimodalNet(info.spec, info.aux_heads && info.spec.branches.size() > 1);
    try {
        out.net->load(network);
    } catch (const std::exception&) {
        throw Error(path + ": the saved weights do not fit the saved spec (damaged archive?)");
    }
    train::useChannelsLast(*out.net);
    out.net->restoreFoldedBatchNorms();
    try {
        for (const auto& l : m.at("layers"))
            out.bits[l.at("name").get<std::string>()] = l.at("bits").get<int>();
        if (out.bits.size() != out.net->quantizableLayers().size())
            throw Error(path + ": the manifest lists " + std::to_string(out.bits.size()) +
                        " layers, the network has " + std::to_string(out.net->quantizableLayers().size()));
        out.net->setBits(out.bits);
        auto quantizers = namedActivationQuantizers(out.net);
        const nlohmann::json& saved = m.at("activations");
        if (saved.size() != quantizers.size())
            throw Error(path + ": the manifest lists " + std::to_string(saved.size()) +
                        " activation quantizers, the network has " + std::to_string(quantizers.size()));
        for (std::size_t i = 0; i < quantizers.size(); ++i) {
            auto& [name, q] = quantizers[i];
            if (saved[i].at("name").get<std::string>() != name)
                throw Error(path + ": activation quantizer " + std::to_string(i) + " is '" +
                            saved[i].at("name").get<std::string>() + "', the network's is '" + name + "'");
            q->bits = saved[i].at("bits").get<int>();
            q->lo = saved[i].at("lo").get<double>();
            q->hi = saved[i].at("hi").get<double>();
            q->mode = Mode::Quantize;
        }
    } catch (const nlohmann::json::exception& e) {
        throw Error(path + ": manifest: " + e.what());
    }
    out.net->eval();
    return out;
}

}  // namespace tm2::quant
