#pragma once
// "Front-end vs network" for the GUI's Benchmark pane: an exported .tmn model's
// audio path timed in this process on a real recording — MFCC front-end,
// network, and both back to back (end-to-end), p50/p90/p99 each — through the
// same runtime loop as `tinym2net-bench MODEL.tmn --audio FILE.wav`
// (core/runtime/frontend/audio_path_timing.h). The recording is a chosen wav, or else
// the first test-split sample of the dataset. A model without an audio
// front-end (image only, or trained on given features) is reported as such,
// not timed.

#include <nlohmann/json.hpp>
#include <string>

#include "core/base/progress.h"
#include "core/runtime/frontend/audio_path_timing.h"
#include "core/workflow/dataset_options.h"

namespace tm2::workflow {

struct EndToEndBenchmarkOptions {
    std::string model;  // .tmn path
    // The recording: a wav at the model's sample rate. Empty: the first sample of
    // `dataset`'s test split (decoded and resampled to the model's rate as training did).
    std::string audio;
    DatasetOptions dataset;  // only read when `audio` is empty
    int runs = 200;          // timed passes of each of the three loops
    int warmup = 20;         // untimed passes before each
    unsigned seed = 1;       // random codes for the model's non-audio inputs
};

struct EndToEndBenchmark {
    std::string model;
    bool has_frontend = false;        // false: nothing timed, `note` says why
    std::string note;                 // why not timed, or where the recording came from
    runtime::AudioPathTiming timing;  // when has_frontend
    int runs = 0;
    int threads = 1;  // the runtime runs one inference on one thread
};

// Throws tm2::Error naming the file at fault (model, wav, dataset sample) or,
// with no wav and no dataset or no test-split audio, saying what to give;
// tm2::Cancelled when `progress` asks to stop.
EndToEndBenchmark runEndToEndBenchmark(const EndToEndBenchmarkOptions& options,
                                       const ProgressCallback& progress = {});

// {model, has_frontend, note, runs, warmup, threads, kernel, mfcc_kernel, audio,
//  audio_samples, frontend|network|end_to_end: {runs, p50_us, …} (null when not timed)}
nlohmann::json toJson(const EndToEndBenchmark& b);

}  // namespace tm2::workflow
