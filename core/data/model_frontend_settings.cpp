#include "core/data/model_frontend_settings.h"

#include "core/base/error.h"

namespace tm2::data {

runtime::ModelFrontEnd modelFrontEnd(const DatasetSpec& spec, const NormalizationStats& stats,
                                     const std::vector<std::string>& classes) {
    if (stats.mean.size() != spec.modalities.size() || stats.std.size() != spec.modalities.size())
        throw Error("normalisation statistics cover " + std::to_string(stats.mean.size()) + " modalities, the dataset has " +
                    std::to_string(spec.modalities.size()));
    runtime::ModelFrontEnd f;
    f.classes = classes;
    for (std::size_t m = 0; m < spec.modalities.size(); ++m) {
        const ModalitySpec& modality = spec.modalities[m];
        runtime::InputFrontEnd in;
        in.modality = modality.name;
        in.mean = stats.mean[m];
        in.std = stats.std[m];
        if (modality.kind == ModalityKind::Audio) {
            in.kind = runtime::InputKind::Audio;
            in.sample_rate = modality.audio.sample_rate;
            in.window_s = modality.audio.window_s;
            in.trim_silence = modality.audio.trim_silence;
            in.trim_db = modality.audio.trim_db;
            in.mfcc = modality.mfcc;
        }
        f.inputs.push_back(std::move(in));
    }
    return f;
}

}  // namespace tm2::data
