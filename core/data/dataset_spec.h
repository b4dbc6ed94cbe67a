#pragma once
// What each modality is and how it is preprocessed: the manifest's sidecar
// JSON (dataset.json). One place for defaults and (de)serialisation.

#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "core/data/audio_windowing.h"
#include "core/data/image_loader.h"
#include "core/dsp/mfcc_config.h"

namespace tm2::data {

enum class ModalityKind { Audio, Image };

const char* toString(ModalityKind kind);
ModalityKind modalityKindFromString(const std::string& text);  // throws tm2::Error

struct ModalitySpec {
    std::string name;  // the manifest column, e.g. "cough", "image", "audio"
    ModalityKind kind = ModalityKind::Audio;
    AudioWindowConfig audio;  // audio only
    dsp::MfccConfig mfcc;     // audio only
    ImageConfig image;        // image only
};

struct DatasetSpec {
    std::vector<ModalitySpec> modalities;
    std::vector<std::string> classes;  // optional fixed class order; empty = sorted labels seen

    const ModalitySpec* find(const std::string& name) const;
};

void to_json(nlohmann::json& j, const ModalitySpec& m);
void from_json(const nlohmann::json& j, ModalitySpec& m);
void to_json(nlohmann::json& j, const DatasetSpec& s);
void from_json(const nlohmann::json& j, DatasetSpec& s);

// Reads/writes the sidecar; errors name the file and the JSON field.
DatasetSpec readDatasetSpec(const std::string& path);
void writeDatasetSpec(const std::string& path, const DatasetSpec& spec);

}  // namespace tm2::data
