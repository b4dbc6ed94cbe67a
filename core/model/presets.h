#pragma once
// Built-in ModelSpecs for the paper's two case studies, embedded from
// resources/presets/*.json so the CLI and GUI work from any folder. Inputs and
// num_classes are left empty: they come from the dataset.

#include <string>
#include <utility>
#include <vector>

#include "core/model/model_spec.h"

namespace tm2::model {

// Embedded preset names (the JSON file stems), sorted.
std::vector<std::string> presetNames();

// Throws tm2::Error listing the available names when `name` is unknown.
ModelSpec loadPreset(const std::string& name);

// The preset for a dataset's modalities, given as (name, kind) pairs with kind
// "image" or "audio", in dataset order; branches follow that order and take the
// given names. image + audio → tinym2net-image-audio, audio + audio →
// tinym2net-cough-speech, one image or audio modality → that branch alone.
// Anything else throws tm2::Error.
ModelSpec presetForModalities(const std::vector<std::pair<std::string, std::string>>& name_kind);

}  // namespace tm2::model
