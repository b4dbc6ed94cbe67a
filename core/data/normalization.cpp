// Per-feature normalisation (declared in feature_set.h). Statistics come from
// the train split only, so validation and test never leak into them.

#include <algorithm>
#include <cmath>

#include "core/base/error.h"
#include "core/data/feature_set.h"
#include "core/data/modality_features.h"

namespace tm2::data {

namespace {
// Audio normalises each (plane, coefficient) row over time — deltas have their
// own scale, so each plane's rows are separate features; images each channel.
std::size_t featureCountOf(const ModalitySpec& spec, const std::vector<std::size_t>& shape) {
    return spec.kind == ModalityKind::Audio ? shape[0] * shape[1] : shape[0];
}
std::size_t elementsPerFeature(const ModalitySpec& spec, const std::vector<std::size_t>& shape) {
    return spec.kind == ModalityKind::Audio ? shape[2] : shape[1] * shape[2];
}
}  // namespace

NormalizationStats computeNormalization(const FeatureSet& features) {
    const std::size_t modalities = features.spec.modalities.size();
    NormalizationStats stats;
    stats.mean.resize(modalities);
    stats.std.resize(modalities);
    std::size_t train_items = 0;
    for (const auto& item : features.items) train_items += item.split == "train" && item.noise_copy == 0;
    if (train_items == 0) throw Error("normalisation: the train split is empty");

    const auto shapes = features.inputShapes();
    for (std::size_t m = 0; m < modalities; ++m) {
        const auto& spec = features.spec.modalities[m];
        const std::size_t nf = featureCountOf(spec, shapes[m]), per = elementsPerFeature(spec, shapes[m]);
        std::vector<double> sum(nf, 0.0), sum_sq(nf, 0.0);
        std::vector<float> v(elementCount(shapes[m]));  // one item at a time: streamed sets stay on disk
        std::size_t count = 0;
        for (const auto& item : features.items) {
            if (item.split != "train" || item.noise_copy > 0) continue;
            readItemInput(features, item, m, v.data());
            for (std::size_t f = 0; f < nf; ++f)
                for (std::size_t e = 0; e < per; ++e) {
                    const double x = v[f * per + e];
                    sum[f] += x;
                    sum_sq[f] += x * x;
                }
            count += per;
        }
        for (std::size_t f = 0; f < nf; ++f) {
            const double mean = sum[f] / static_cast<double>(count);
            const double var = std::max(0.0, sum_sq[f] / static_cast<double>(count) - mean * mean);
            stats.mean[m].push_back(static_cast<float>(mean));
            stats.std[m].push_back(static_cast<float>(std::max(std::sqrt(var), 1e-6)));
        }
    }
    return stats;
}

void normalizeItemInput(const FeatureSet& features, const NormalizationStats& stats, std::size_t m,
                        float* values) {
    const auto& spec = features.spec.modalities[m];
    const std::vector<std::size_t> shape = featureItemShape(spec);
    const std::size_t nf = featureCountOf(spec, shape), per = elementsPerFeature(spec, shape);
    if (m >= stats.mean.size() || nf != stats.mean[m].size())
        throw Error("normalisation: modality '" + spec.name + "' has " + std::to_string(nf) +
                    " features, statistics have " +
                    std::to_string(m < stats.mean.size() ? stats.mean[m].size() : std::size_t{0}));
    for (std::size_t f = 0; f < nf; ++f)
        for (std::size_t e = 0; e < per; ++e)
            values[f * per + e] = (values[f * per + e] - stats.mean[m][f]) / stats.std[m][f];
}

void applyNormalization(FeatureSet& features, const NormalizationStats& stats) {
    if (features.streamed()) {
        for (std::size_t m = 0; m < features.spec.modalities.size(); ++m) {
            std::vector<float> probe(elementCount(featureItemShape(features.spec.modalities[m])));
            normalizeItemInput(features, stats, m, probe.data());  // the same checks as in memory, now
        }
        features.normalization = stats;
        return;
    }
    for (auto& item : features.items)
        for (std::size_t m = 0; m < item.inputs.size(); ++m) {
            auto& t = item.inputs[m];
            if (t.values.size() != elementCount(featureItemShape(features.spec.modalities[m])))
                throw Error("sample '" + features.id(item) + "': feature size mismatch");
            normalizeItemInput(features, stats, m, t.values.data());
        }
}

}  // namespace tm2::data
