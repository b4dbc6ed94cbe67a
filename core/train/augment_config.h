#pragma once
// Training-time augmentation settings: what to perturb and how far, with the
// `--augment` text form, defaults (all off) and JSON in one place. The draws
// themselves are in batch_augment.h; docs/augmentation.md says which domain
// each one works in and why.

#include <nlohmann/json_fwd.hpp>
#include <string>

namespace tm2::train {

struct AugmentConfig {
    // Audio (on the normalised MFCC "image": coefficients as rows, time as columns).
    int time_masks = 0;             // SpecAugment time masks per sample
    double time_mask_fraction = 0;  // each mask up to this fraction of the frames
    int freq_masks = 0;             // SpecAugment frequency (coefficient-row) masks per sample
    double freq_mask_fraction = 0;  // each up to this fraction of the coefficient rows
    double time_shift = 0;          // circular shift of up to ± this fraction of the frames
    double gain_db = 0;             // waveform gain uniform in ± this many dB (moves c0 exactly)
    // Images (pixels after per-channel normalisation).
    double image_shift = 0;  // translation up to ± this fraction of the width and height
    double rotate_deg = 0;   // rotation up to ± this many degrees
    double scale = 0;        // zoom factor uniform in [1 − scale, 1 + scale]
    bool hflip = false;      // mirror left–right with probability 1/2 (only where the classes allow it)
    bool vflip = false;      // upside down with probability 1/2
    // Noise mixing, on the waveform at extraction (not per batch: see docs/augmentation.md):
    // each training recording gains `noise_copies` noisy copies, each at an SNR uniform in
    // [noise_snr_low_db, noise_snr_high_db] against that copy's clean windows.
    int noise_copies = 0;
    double noise_snr_low_db = 0;
    double noise_snr_high_db = 20;
    std::string noise_color = "any";  // generated noise: white | pink | brown | any (drawn per copy)
    std::string noise_dir;            // audio files to take the noise from instead (empty = generated)

    bool audioEnabled() const;  // a per-batch audio augmentation (masks, shift, gain)
    bool imageEnabled() const;
    bool batchEnabled() const { return audioEnabled() || imageEnabled(); }  // augmentBatch has work
    bool noiseEnabled() const { return noise_copies > 0; }
    bool enabled() const { return batchEnabled() || noiseEnabled(); }
    void validate() const;  // throws tm2::Error naming the field
};

// The `--augment` text: "off", or comma-separated items
//   audio | image | on               presets (see docs/augmentation.md; flips are never in a preset)
//   time-mask=N:F  freq-mask=N:F     N masks each up to fraction F of the axis
//   shift=F  gain=DB                 audio time shift (fraction), gain (± dB)
//   image-shift=F  rotate=DEG  scale=F  hflip  vflip
//   noise=LO:HI                      noisy copies at an SNR uniform in [LO, HI] dB (sets noise-copies=1 if 0)
//   noise-copies=K  noise-color=white|pink|brown|any  noise-dir=PATH (no commas in PATH)
// Later items override earlier ones ("audio,gain=0"). Throws tm2::Error naming the item.
AugmentConfig parseAugment(const std::string& text);
// Canonical text that parseAugment reads back to the same settings ("off" when disabled).
std::string toText(const AugmentConfig& config);

void to_json(nlohmann::json& j, const AugmentConfig& c);
void from_json(const nlohmann::json& j, AugmentConfig& c);

}  // namespace tm2::train
