#include "core/train/batch_augment.h"

#include <cmath>

#include "core/base/error.h"

namespace tm2::train {

namespace {

constexpr double kPi = 3.14159265358979323846;

// Up to `fraction` of `size`, at least one when the fraction is positive.
std::int64_t widthOf(double fraction, std::int64_t size) {
    if (fraction <= 0) return 0;
    return std::max<std::int64_t>(
        1, static_cast<std::int64_t>(std::floor(fraction * static_cast<double>(size))));
}

// A SpecAugment mask: width uniform in 0..max, start uniform where it fits.
std::pair<std::int64_t, std::int64_t> drawMask(double fraction, std::int64_t size, data::SeededRandom& rng) {
    const auto max_width = static_cast<int>(std::min(widthOf(fraction, size), size));
    const int width = rng.uniformInt(0, max_width);
    const int start = rng.uniformInt(0, static_cast<int>(size) - width);
    return {start, width};
}

void augmentAudio(torch::Tensor batch, const AugmentDomain& domain, const AugmentConfig& c,
                  data::SeededRandom& rng) {
    const std::int64_t rows = batch.size(2), frames = batch.size(3);
    for (std::int64_t i = 0; i < batch.size(0); ++i) {
        torch::Tensor sample = batch[i];
        if (c.gain_db > 0) addGain(sample, rng.uniform(-c.gain_db, c.gain_db), domain);
        if (c.time_shift > 0) {
            const auto most = static_cast<int>(std::min(widthOf(c.time_shift, frames), frames));
            shiftFrames(sample, rng.uniformInt(-most, most));
        }
        for (int m = 0; m < c.freq_masks && c.freq_mask_fraction > 0; ++m) {
            const auto [start, height] = drawMask(c.freq_mask_fraction, rows, rng);
            maskRows(sample, start, height);
        }
        for (int m = 0; m < c.time_masks && c.time_mask_fraction > 0; ++m) {
            const auto [start, width] = drawMask(c.time_mask_fraction, frames, rng);
            maskFrames(sample, start, width);
        }
    }
}

torch::Tensor augmentImages(const torch::Tensor& batch, const AugmentConfig& c, data::SeededRandom& rng) {
    const double h = static_cast<double>(batch.size(2)), w = static_cast<double>(batch.size(3));
    std::vector<ImageMotion> motions(static_cast<std::size_t>(batch.size(0)));
    for (auto& m : motions) {
        // Whole pixels: a shift then moves content exactly, with no blur.
        if (c.image_shift > 0) {
            m.dx = std::round(rng.uniform(-c.image_shift, c.image_shift) * w);
            m.dy = std::round(rng.uniform(-c.image_shift, c.image_shift) * h);
        }
        if (c.rotate_deg > 0) m.angle_deg = rng.uniform(-c.rotate_deg, c.rotate_deg);
        if (c.scale > 0) m.zoom = rng.uniform(1 - c.scale, 1 + c.scale);
        if (c.hflip) m.hflip = rng.chance(0.5);
        if (c.vflip) m.vflip = rng.chance(0.5);
    }
    return moveImages(batch, motions);
}

}  // namespace

std::vector<AugmentDomain> augmentDomains(const data::DatasetSpec& spec,
                                          const data::NormalizationStats& stats) {
    std::vector<AugmentDomain> domains;
    for (std::size_t m = 0; m < spec.modalities.size(); ++m) {
        const data::ModalitySpec& modality = spec.modalities[m];
        AugmentDomain d;
        d.audio = modality.kind == data::ModalityKind::Audio;
        if (d.audio) {
            const auto& mfcc = modality.mfcc;
            // Log-mel units per dB of amplitude gain: power p scales |X|^p by 10^(p·g/20).
            double per_db = mfcc.power / 2.0;
            if (mfcc.log == dsp::LogKind::Natural) per_db *= std::log(10.0) / 10.0;
            const double c0_per_db = per_db * std::sqrt(static_cast<double>(mfcc.n_mels));
            const double std0 = m < stats.std.size() && !stats.std[m].empty() ? stats.std[m][0] : 1.0;
            d.row0_per_db = c0_per_db / std0;
        }
        domains.push_back(d);
    }
    return domains;
}

void maskFrames(torch::Tensor sample, std::int64_t start, std::int64_t width) {
    if (width > 0) sample.narrow(-1, start, width).zero_();
}

void maskRows(torch::Tensor sample, std::int64_t start, std::int64_t height) {
    if (height > 0) sample.narrow(-2, start, height).zero_();
}

void shiftFrames(torch::Tensor sample, std::int64_t frames) {
    if (frames != 0) sample.copy_(torch::roll(sample, {frames}, {-1}));
}

void addGain(torch::Tensor sample, double gain_db, const AugmentDomain& domain) {
    // Only c0 of the static plane: deltas of a constant offset are zero.
    sample[0][0].add_(gain_db * domain.row0_per_db);
}

torch::Tensor moveImages(const torch::Tensor& images, const std::vector<ImageMotion>& motions) {
    const std::int64_t n = images.size(0);
    if (static_cast<std::int64_t>(motions.size()) != n)
        throw Error("moveImages: " + std::to_string(motions.size()) + " motions for " + std::to_string(n) +
                    " images");
    torch::Tensor out = images.clone();
    bool affine = false;
    for (std::int64_t i = 0; i < n; ++i) {
        const ImageMotion& m = motions[static_cast<std::size_t>(i)];
        if (m.hflip) out[i].copy_(out[i].flip({-1}));
        if (m.vflip) out[i].copy_(out[i].flip({-2}));
        affine = affine || m.dx != 0 || m.dy != 0 || m.angle_deg != 0 || m.zoom != 1;
    }
    if (!affine) return out;
    // affine_grid maps each output pixel to where it samples the input, in
    // [-1, 1] coordinates (align_corners = false: one pixel is 2/W wide). The
    // content moves by A·p + t, so the sampling map is its inverse: A⁻¹(p − t).
    const double w = static_cast<double>(images.size(3)), h = static_cast<double>(images.size(2));
    torch::Tensor theta = torch::zeros({n, 2, 3}, torch::kFloat32);
    auto th = theta.accessor<float, 3>();
    for (std::int64_t i = 0; i < n; ++i) {
        const ImageMotion& m = motions[static_cast<std::size_t>(i)];
        // y grows downwards on screen, so a counter-clockwise turn is −angle in these coordinates.
        const double a = -m.angle_deg * kPi / 180.0;
        const double c = std::cos(a) / m.zoom, s = std::sin(a) / m.zoom;
        const double tx = 2.0 * m.dx / w, ty = 2.0 * m.dy / h;
        // Inverse of zoom·R(a) is R(−a)/zoom = [[c, s], [−s, c]].
        th[i][0][0] = static_cast<float>(c);
        th[i][0][1] = static_cast<float>(s);
        th[i][1][0] = static_cast<float>(-s);
        th[i][1][1] = static_cast<float>(c);
        th[i][0][2] = static_cast<float>(-(c * tx + s * ty));
        th[i][1][2] = static_cast<float>(-(-s * tx + c * ty));
    }
    namespace F = torch::nn::functional;
    const torch::Tensor grid = F::affine_grid(theta, out.sizes().vec(), false);
    return F::grid_sample(
        out.contiguous(), grid,
        F::GridSampleFuncOptions().mode(torch::kBilinear).padding_mode(torch::kZeros).align_corners(false));
}

std::uint64_t augmentSeed(std::uint64_t seed, int epoch, int batch) {
    // A stream of its own: the shuffling and dropout generators keep their draws.
    return data::deriveSeed(
        data::deriveSeed(seed ^ 0x6175676d656e74ull /* "augment" */, static_cast<std::uint64_t>(epoch)),
        static_cast<std::uint64_t>(batch));
}

std::vector<torch::Tensor> augmentBatch(const std::vector<torch::Tensor>& inputs,
                                        const std::vector<AugmentDomain>& domains,
                                        const AugmentConfig& config, data::SeededRandom& rng) {
    if (!config.enabled()) return inputs;
    if (domains.size() != inputs.size())
        throw Error("augmentation: " + std::to_string(domains.size()) + " modality domains for " +
                    std::to_string(inputs.size()) +
                    " inputs (internal: the training data lacks augment_domains)");
    std::vector<torch::Tensor> out;
    for (std::size_t m = 0; m < inputs.size(); ++m) {
        if (domains[m].audio && config.audioEnabled()) {
            torch::Tensor batch = inputs[m].clone();
            augmentAudio(batch, domains[m], config, rng);
            out.push_back(batch);
        } else if (!domains[m].audio && config.imageEnabled()) {
            out.push_back(augmentImages(inputs[m], config, rng));
        } else {
            out.push_back(inputs[m]);
        }
    }
    return out;
}

}  // namespace tm2::train
