#include "core/workflow/sample_preview.h"

#include <algorithm>

#include "core/base/error.h"
#include "core/data/audio_decoder.h"
#include "core/data/image_loader.h"
#include "core/data/modality_features.h"

namespace tm2::workflow {

WaveformEnvelope waveformEnvelope(const std::vector<float>& samples, int sample_rate, std::size_t bins) {
    WaveformEnvelope env;
    env.sample_rate = sample_rate;
    env.seconds = sample_rate > 0 ? static_cast<double>(samples.size()) / sample_rate : 0.0;
    bins = std::min(bins, samples.size());
    for (std::size_t b = 0; b < bins; ++b) {
        const std::size_t begin = b * samples.size() / bins, end = (b + 1) * samples.size() / bins;
        const auto [lo, hi] = std::minmax_element(samples.begin() + static_cast<std::ptrdiff_t>(begin),
                                                  samples.begin() + static_cast<std::ptrdiff_t>(end));
        env.min.push_back(*lo);
        env.max.push_back(*hi);
    }
    return env;
}

Heatmap scaleToUnit(const Tensor& grid, bool per_row) {
    if (grid.rank() != 2) throw Error("heat map: needs a rows × cols tensor");
    Heatmap map;
    map.rows = grid.shape[0];
    map.cols = grid.shape[1];
    map.values = grid.values;
    if (map.values.empty()) return map;
    const auto [lo, hi] = std::minmax_element(map.values.begin(), map.values.end());
    map.min = *lo;
    map.max = *hi;
    const std::size_t span = per_row ? map.cols : map.values.size();
    for (std::size_t begin = 0; begin < map.values.size() && span > 0; begin += span) {
        const auto first = map.values.begin() + static_cast<std::ptrdiff_t>(begin);
        const auto last = first + static_cast<std::ptrdiff_t>(span);
        const auto [row_lo, row_hi] = std::minmax_element(first, last);
        const float lo_v = *row_lo, range = *row_hi - *row_lo;
        for (auto v = first; v != last; ++v) *v = range > 0.0f ? (*v - lo_v) / range : 0.0f;
    }
    return map;
}

WaveformEnvelope audioEnvelope(const std::string& path, std::size_t bins) {
    const data::AudioClip clip = data::decodeAudio(path);
    return waveformEnvelope(clip.samples, clip.sample_rate, bins);
}

Heatmap mfccHeatmap(const data::ModalitySpec& spec, const std::string& path) {
    if (spec.kind != data::ModalityKind::Audio) throw Error(path + ": MFCC preview needs an audio modality");
    const Tensor stack = data::ModalityFeatureExtractor(spec).extract(path);  // {windows, C, H, W}
    if (stack.rank() != 4 || stack.shape[0] == 0) throw Error(path + ": no MFCC window");
    const std::size_t h = stack.shape[2], w = stack.shape[3];
    Tensor grid({h, w});
    std::copy(stack.values.begin(), stack.values.begin() + static_cast<std::ptrdiff_t>(h * w),
              grid.values.begin());
    return scaleToUnit(grid, /*per_row=*/true);
}

Tensor previewImage(const data::ModalitySpec& spec, const std::string& path) {
    if (spec.kind != data::ModalityKind::Image) throw Error(path + ": image preview needs an image modality");
    data::ImageConfig config = spec.image;
    config.mean = 0.0;
    config.std = 1.0;
    return data::loadImage(path, config);
}

std::vector<ModalityPreview> previewSample(const data::DatasetSpec& spec, const data::Sample& sample,
                                           std::size_t waveform_bins) {
    std::vector<ModalityPreview> previews;
    for (std::size_t m = 0; m < spec.modalities.size() && m < sample.paths.size(); ++m) {
        const data::ModalitySpec& modality = spec.modalities[m];
        ModalityPreview p;
        p.modality = modality.name;
        p.path = sample.paths[m];
        p.kind = modality.kind;
        try {
            if (modality.kind == data::ModalityKind::Image) {
                p.image = previewImage(modality, p.path);
            } else {
                p.envelope = audioEnvelope(p.path, waveform_bins);
                p.mfcc = mfccHeatmap(modality, p.path);
                if (modality.mfcc.sample_rate > 0)
                    p.seconds_per_frame =
                        static_cast<double>(modality.mfcc.hop_length) / modality.mfcc.sample_rate;
            }
        } catch (const std::exception& e) {
            p = ModalityPreview{p.modality, p.path, p.kind, {}, {}, {}, 0.0, e.what()};
        }
        previews.push_back(std::move(p));
    }
    return previews;
}

}  // namespace tm2::workflow
