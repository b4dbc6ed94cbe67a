#include "core/workflow/sweep/trial_spec.h"

#include "core/base/error.h"
#include "core/model/presets.h"

namespace tm2::sweep {

namespace {

model::FusionType fusionType(const std::string& name) {
    return model::fusionTypeFromName(name, "fusion");  // the sweep file's values were checked already
}

void applyChannels(model::ModelSpec& spec, const std::string& branch, const std::vector<int>& channels) {
    model::BranchSpec* b = nullptr;
    std::string names;
    for (auto& candidate : spec.branches) {
        names += (names.empty() ? "" : ", ") + candidate.modality;
        if (candidate.modality == branch) b = &candidate;
    }
    if (!b)
        throw Error("channels." + branch + ": the model has no branch \"" + branch +
                    "\" (branches: " + names + ")");
    std::size_t convs = 0;
    for (const auto& l : b->layers)
        convs += l.type == model::LayerType::Conv2d || l.type == model::LayerType::DsConv2d;
    if (convs != channels.size())
        throw Error("channels." + branch + ": the branch has " + std::to_string(convs) +
                    " conv layers, got " + std::to_string(channels.size()) + " channel counts");
    std::size_t next = 0;
    for (auto& l : b->layers)
        if (l.type == model::LayerType::Conv2d || l.type == model::LayerType::DsConv2d)
            l.out_channels = channels[next++];
}

}  // namespace

model::ModelSpec trialSpec(const TrialSettings& settings, const workflow::DatasetOptions& dataset) {
    const bool variants = !settings.fusion.empty() || !settings.channels.empty();
    model::ModelSpec spec;
    if (!settings.spec.empty()) {
        spec = model::readModelSpec(settings.spec);
    } else if (!settings.preset.empty()) {
        spec = model::loadPreset(settings.preset);
    } else if (variants) {
        // The preset training would pick, made here so the variants can change it.
        std::vector<std::string> warnings;
        const data::DatasetIndex index = dataset.open(warnings);
        std::vector<std::pair<std::string, std::string>> modalities;
        for (const auto& m : index.spec.modalities) modalities.emplace_back(m.name, data::toString(m.kind));
        spec = model::presetForModalities(modalities);
    } else {
        return spec;
    }
    if (!settings.fusion.empty()) spec.fusion.type = fusionType(settings.fusion);
    for (const auto& [branch, channels] : settings.channels) applyChannels(spec, branch, channels);
    return spec;
}

}  // namespace tm2::sweep
