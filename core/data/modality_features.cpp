#include "core/data/modality_features.h"

#include <nlohmann/json.hpp>

#include "core/base/error.h"
#include "core/data/audio_decoder.h"
#include "core/data/audio_windowing.h"
#include "core/data/image_loader.h"

namespace tm2::data {

ModalityFeatureExtractor::ModalityFeatureExtractor(const ModalitySpec& spec) : spec_(spec) {
    nlohmann::json settings = spec;
    settings.erase("name");  // the column name does not change the features
    settings_ = settings.dump();
    if (spec_.kind == ModalityKind::Audio) {
        spec_.audio.validate();
        mfcc_ = std::make_shared<const dsp::MfccExtractor>(spec_.mfcc);
    } else {
        spec_.image.validate();
    }
}

std::vector<std::size_t> featureItemShape(const ModalitySpec& spec) {
    if (spec.kind == ModalityKind::Image) {
        const auto& c = spec.image;
        return {static_cast<std::size_t>(c.channels()), static_cast<std::size_t>(c.height),
                static_cast<std::size_t>(c.width)};
    }
    const auto& m = spec.mfcc;
    return {static_cast<std::size_t>(1 + m.deltas), static_cast<std::size_t>(m.n_mfcc),
            static_cast<std::size_t>(m.frameCount(spec.audio.windowSamples()))};
}

Tensor ModalityFeatureExtractor::extract(const std::string& path) const {
    if (spec_.kind == ModalityKind::Image) {
        Tensor image = loadImage(path, spec_.image);
        image.shape.insert(image.shape.begin(), 1);
        return image;
    }
    return audioFeatures(audioWindows(path), path);
}

std::vector<std::vector<float>> ModalityFeatureExtractor::audioWindows(const std::string& path) const {
    if (spec_.kind != ModalityKind::Audio)
        throw Error(path + ": internal: audio windows of an image modality");
    return windowAudio(decodeAudio(path), spec_.audio);
}

Tensor ModalityFeatureExtractor::audioFeatures(const std::vector<std::vector<float>>& windows,
                                               const std::string& path) const {
    const std::vector<std::size_t> item = itemShape();
    const std::size_t planes = item[0], coeffs = item[1], frames = item[2];
    Tensor stack({windows.size(), planes, coeffs, frames});
    for (std::size_t w = 0; w < windows.size(); ++w) {
        const Tensor m = mfcc_->compute(windows[w]);  // frames × (coeffs · planes)
        if (m.shape[0] != frames)
            throw Error(path + ": internal: MFCC gave " + std::to_string(m.shape[0]) + " frames, expected " +
                        std::to_string(frames));
        float* out = stack.values.data() + w * planes * coeffs * frames;
        // Transpose to plane-major, coefficient rows, time columns.
        for (std::size_t t = 0; t < frames; ++t)
            for (std::size_t p = 0; p < planes; ++p)
                for (std::size_t c = 0; c < coeffs; ++c)
                    out[(p * coeffs + c) * frames + t] = m.at(t, p * coeffs + c);
    }
    return stack;
}

}  // namespace tm2::data
