#pragma once
// The recording the workbench times an audio front-end on: the first test-split
// sample of the open dataset (decoded and resampled to the model's rate as training
// did), shared by the Benchmark pane's "Front-end vs network" and its local run.

#include <string>

#include "core/runtime/frontend/wav_reader.h"
#include "core/workflow/dataset_options.h"

namespace tm2::workflow {

struct BenchmarkRecording {
    runtime::WavAudio audio;
    std::string origin;  // the file, as messages and results name it
    std::string source;  // how it was chosen, for notes ("first test-split sample 's3_0' of DIR")
};

// The first test-split sample's recording of `modality` at `sample_rate` (the
// front-end's cost depends on the window, not the content, so a chunk's offset is
// left out). Throws tm2::Error saying what to give when no dataset is open, it has
// no such modality or no test recording, or the file cannot be decoded.
BenchmarkRecording firstTestRecording(const DatasetOptions& dataset, const std::string& modality,
                                      int sample_rate);

// `seconds` of a 440 Hz tone at `sample_rate`: what is timed when no recording is at hand.
BenchmarkRecording syntheticTone(int sample_rate, double seconds);

}  // namespace tm2::workflow
