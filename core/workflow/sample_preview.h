#pragma once
// Data for previewing one sample file in the Dataset pane: a decimated
// waveform envelope, the MFCC "image" the network sees (first window, first
// plane) scaled to [0, 1], and the image as loaded for the network.
// previewSample gathers all of one sample's, so the pane can compute it on a
// worker thread (decoding and the MFCC take tens of milliseconds per file).

#include <cstddef>
#include <string>
#include <vector>

#include "core/base/tensor.h"
#include "core/data/dataset_index.h"
#include "core/data/dataset_spec.h"

namespace tm2::workflow {

// Per bin the minimum and maximum sample: what a waveform plot draws.
struct WaveformEnvelope {
    std::vector<float> min, max;  // one entry per bin
    double seconds = 0.0;         // clip length
    int sample_rate = 0;
};

// `bins` equal slices of `samples` (fewer when there are fewer samples); empty input → no bins.
WaveformEnvelope waveformEnvelope(const std::vector<float>& samples, int sample_rate, std::size_t bins);

// A rows × cols grid in [0, 1] (row 0 = first MFCC coefficient), plus the raw range.
struct Heatmap {
    std::size_t rows = 0, cols = 0;
    std::vector<float> values;  // row-major
    float min = 0.0f, max = 0.0f;
};

// Min-max scales a rank-2 tensor (a constant one becomes all zeros); with
// `per_row` every row to its own range (MFCCs: c0 would otherwise flatten the rest).
Heatmap scaleToUnit(const Tensor& grid, bool per_row = false);

// Decodes `path` (throws tm2::Error naming it) and returns its envelope.
WaveformEnvelope audioEnvelope(const std::string& path, std::size_t bins);
// The modality's MFCC features of `path`, first window, first plane, each coefficient scaled to its range.
Heatmap mfccHeatmap(const data::ModalitySpec& spec, const std::string& path);
// The image as the network gets it (the modality's size and channels) in [0, 1]: {C, H, W}.
Tensor previewImage(const data::ModalitySpec& spec, const std::string& path);

// One modality of one sample as the Dataset pane shows it.
struct ModalityPreview {
    std::string modality, path;
    data::ModalityKind kind = data::ModalityKind::Audio;
    Tensor image;                  // image: {C, H, W} in [0, 1]
    WaveformEnvelope envelope;     // audio
    Heatmap mfcc;                  // audio
    double seconds_per_frame = 0;  // audio: hop / sample rate
    std::string error;             // the file could not be read: why (the fields above stay empty)
};

// Every modality of `sample` (errors per modality, never thrown: one bad file
// leaves the others' previews). Touches no state: safe on any thread.
std::vector<ModalityPreview> previewSample(const data::DatasetSpec& spec, const data::Sample& sample,
                                           std::size_t waveform_bins);

}  // namespace tm2::workflow
