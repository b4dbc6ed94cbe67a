#pragma once
// Training-time augmentation of one batch of normalised features, drawn per
// sample from a seeded generator (same seed, epoch and batch → same batch).
//  audio (the MFCC "image", rows = coefficients, columns = frames):
//    SpecAugment time and frequency masks (set to 0, the train mean after
//    normalisation), a circular time shift by whole frames, and a waveform gain,
//    which moves only c0: a gain of g dB adds g·power/2 dB to every log-mel band,
//    and the orthonormal DCT-II turns a constant into √n_mels on c0 alone;
//  images: shift, rotation, zoom (bilinear, 0 = channel mean outside) and flips.
// Why these domains (and why noise mixing is not here): docs/augmentation.md.

#include <torch/torch.h>

#include <cstdint>
#include <vector>

#include "core/data/audio_augment.h"
#include "core/data/dataset_spec.h"
#include "core/data/feature_set.h"
#include "core/train/augment_config.h"

namespace tm2::train {

// How one modality's features respond to the augmentations.
struct AugmentDomain {
    bool audio = false;      // MFCC planes × coefficients × frames; else image channels × H × W
    double row0_per_db = 0;  // change of normalised c0 (plane 0, row 0) per dB of waveform gain
};

// Per modality of `spec`, with the train split's normalisation (`stats`) applied.
std::vector<AugmentDomain> augmentDomains(const data::DatasetSpec& spec,
                                          const data::NormalizationStats& stats);

// Primitives on one sample (C × H × W), in place:
void maskFrames(torch::Tensor sample, std::int64_t start,
                std::int64_t width);  // columns [start, start+width) → 0
void maskRows(torch::Tensor sample, std::int64_t start,
              std::int64_t height);  // rows [start, start+height) → 0
void shiftFrames(torch::Tensor sample,
                 std::int64_t frames);  // content moves `frames` to the right (wraps round)
void addGain(torch::Tensor sample, double gain_db, const AugmentDomain& domain);

// One image's motion: the content moves by (dx, dy) pixels (right, down), turns
// `angle_deg` counter-clockwise on screen about the centre and grows by `zoom`.
struct ImageMotion {
    double dx = 0, dy = 0;
    double angle_deg = 0;
    double zoom = 1;
    bool hflip = false, vflip = false;  // applied before the affine part
};
// N × C × H × W → the same with motions[i] applied to image i.
torch::Tensor moveImages(const torch::Tensor& images, const std::vector<ImageMotion>& motions);

// The generator seed of batch `batch` of `epoch`: a resumed run replays the same draws.
std::uint64_t augmentSeed(std::uint64_t seed, int epoch, int batch);

// Augments a training batch (inputs in `domains` order; each N × C × H × W).
// Disabled settings return the inputs untouched; the inputs are never modified in place.
std::vector<torch::Tensor> augmentBatch(const std::vector<torch::Tensor>& inputs,
                                        const std::vector<AugmentDomain>& domains,
                                        const AugmentConfig& config, data::SeededRandom& rng);

}  // namespace tm2::train
