#include "core/data/dataset_spec.h"

#include <cstdio>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "core/base/atomic_write.h"
#include "core/base/error.h"
#include "core/base/json_fields.h"
#include "core/base/json_file.h"

namespace tm2::data {

namespace {
const EnumNames<ModalityKind> kKindNames{{ModalityKind::Audio, "audio"}, {ModalityKind::Image, "image"}};
}  // namespace

const char* toString(ModalityKind kind) { return enumName(kKindNames, kind); }

ModalityKind modalityKindFromString(const std::string& text) {
    return enumFromName(kKindNames, text, "modality kind");
}

const ModalitySpec* DatasetSpec::find(const std::string& name) const {
    for (const auto& m : modalities)
        if (m.name == name) return &m;
    return nullptr;
}

void to_json(nlohmann::json& j, const ModalitySpec& m) {
    j = nlohmann::json{{"name", m.name}, {"kind", toString(m.kind)}};
    if (m.kind == ModalityKind::Audio) {
        j["audio"] = m.audio;
        j["mfcc"] = m.mfcc;
    } else {
        j["image"] = m.image;
    }
}

void from_json(const nlohmann::json& j, ModalitySpec& m) {
    if (!j.is_object()) throw Error("modality: expected a JSON object");
    readField(j, "modality", "name", m.name);
    if (m.name.empty()) throw Error("modality.name: missing or empty");
    const std::string p = "modalities['" + m.name + "']";
    if (!j.contains("kind")) throw Error(p + ".kind: missing (audio or image)");
    readEnumField(j, p, "kind", kKindNames, m.kind);
    if (j.contains("audio")) m.audio = j.at("audio").get<AudioWindowConfig>();
    if (j.contains("mfcc")) m.mfcc = j.at("mfcc").get<dsp::MfccConfig>();
    if (j.contains("image")) m.image = j.at("image").get<ImageConfig>();
    if (m.kind == ModalityKind::Audio) {
        m.audio.validate();
        // The MFCC runs at the window's rate; one rate field would be nicer but
        // both structs must stand alone, so keep them in step here.
        if (!j.contains("mfcc") || !j.at("mfcc").contains("sample_rate"))
            m.mfcc.sample_rate = m.audio.sample_rate;
        if (m.mfcc.sample_rate != m.audio.sample_rate)
            throw Error(p + ".mfcc.sample_rate (" + std::to_string(m.mfcc.sample_rate) +
                        ") differs from audio.sample_rate (" + std::to_string(m.audio.sample_rate) + ")");
        m.mfcc.validate();
    } else {
        m.image.validate();
    }
}

void to_json(nlohmann::json& j, const DatasetSpec& s) {
    j = nlohmann::json{{"modalities", s.modalities}};
    if (!s.classes.empty()) j["classes"] = s.classes;
}

void from_json(const nlohmann::json& j, DatasetSpec& s) {
    if (!j.is_object()) throw Error("dataset spec: expected a JSON object");
    if (!j.contains("modalities") || !j.at("modalities").is_array())
        throw Error("dataset spec: 'modalities' must be an array");
    s.modalities.clear();
    for (const auto& m : j.at("modalities")) s.modalities.push_back(m.get<ModalitySpec>());
    readField(j, "dataset spec", "classes", s.classes);
}

DatasetSpec readDatasetSpec(const std::string& path) {
    const nlohmann::json j = readJsonFile(path);  // names the file on a syntax error or a number out of range
    try {
        return j.get<DatasetSpec>();
    } catch (const nlohmann::json::exception& e) {
        throw Error(path + ": " + e.what());
    } catch (const Error& e) {
        throw Error(path + ": " + e.what());
    }
}

void writeDatasetSpec(const std::string& path, const DatasetSpec& spec) {
    std::ostringstream text;
    text << nlohmann::json(spec).dump(2) << "\n";
    writeFileAtomically(path, text.str());
}

}  // namespace tm2::data
