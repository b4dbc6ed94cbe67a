#include "core/workflow/benchmark_recording.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "core/base/error.h"
#include "core/data/audio_decoder.h"
#include "core/dsp/resample.h"

namespace tm2::workflow {

BenchmarkRecording firstTestRecording(const DatasetOptions& dataset, const std::string& modality,
                                      int sample_rate) {
    if (dataset.path.empty())
        throw Error("Front-end vs network: no recording chosen and no dataset open (choose a wav at " +
                    std::to_string(sample_rate) + " Hz, or open the dataset the model was trained on)");
    std::vector<std::string> warnings;
    const data::DatasetIndex index = dataset.open(warnings);
    const auto column = std::find_if(index.spec.modalities.begin(), index.spec.modalities.end(),
                                     [&](const data::ModalitySpec& m) { return m.name == modality; });
    if (column == index.spec.modalities.end())
        throw Error(
            dataset.path + ": no '" + modality +
            "' modality, which the model's audio input takes (choose a wav, or open the model's dataset)");
    const auto at = static_cast<std::size_t>(column - index.spec.modalities.begin());
    const auto sample = std::find_if(index.samples.begin(), index.samples.end(), [&](const data::Sample& s) {
        return s.split == "test" && at < s.paths.size() && !s.paths[at].empty();
    });
    if (sample == index.samples.end())
        throw Error(
            dataset.path + ": no '" + modality +
            "' recording in the test split (choose a wav, or assign a test split in the Dataset pane)");
    const std::string& path = sample->paths[at];
    const data::AudioClip clip = data::decodeAudio(path);
    BenchmarkRecording r;
    r.audio.sample_rate = sample_rate;
    r.audio.source_channels = clip.source_channels;
    r.audio.samples = dsp::resample(clip.samples, clip.sample_rate, sample_rate);
    r.origin = path;
    r.source = "first test-split sample '" + sample->id + "' of " + dataset.path;
    return r;
}

BenchmarkRecording syntheticTone(int sample_rate, double seconds) {
    BenchmarkRecording r;
    r.audio.sample_rate = sample_rate;
    r.audio.source_channels = 1;
    r.audio.samples.resize(static_cast<std::size_t>(std::lround(seconds * sample_rate)));
    for (std::size_t i = 0; i < r.audio.samples.size(); ++i)
        r.audio.samples[i] =
            0.5f * static_cast<float>(std::sin(2.0 * M_PI * 440.0 * static_cast<double>(i) / sample_rate));
    r.origin = "a synthetic 440 Hz tone";
    r.source = r.origin;
    return r;
}

}  // namespace tm2::workflow
