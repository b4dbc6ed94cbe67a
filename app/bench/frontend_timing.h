#pragma once
// `tinym2net-bench --audio FILE.wav`: times the runtime's MFCC front-end on a
// real recording (every audio input of the model, per inference), then the
// whole path a device runs per inference (front-end, inputs set, network), and
// leaves the resulting features in the interpreter, so the network is then
// timed on real audio features rather than random codes.

#include <string>
#include <vector>

#include "core/runtime/bench_support.h"
#include "core/runtime/interpreter.h"

namespace tm2::bench {

struct FrontendInputInfo {
    std::string modality;
    double window_s = 0.0;
    int sample_rate = 0;
    std::size_t c = 0, h = 0, w = 0;  // the features' shape
};

struct FrontendTiming {
    std::string audio;              // the wav file
    std::size_t audio_samples = 0;  // samples in the file (mono)
    std::vector<FrontendInputInfo> inputs;
    std::string mfcc_kernel;        // the MFCC inner loops that ran ("avx2", "neon", …)
    runtime::LatencyStats latency;  // µs per inference: all audio inputs' front-ends together
    // µs per inference from samples to logits: front-ends, setInput, invoke, each timed as one.
    runtime::LatencyStats end_to_end;
};

// Reads `wav_path` (at the model's sample rate), runs `warmup` untimed and
// `runs` timed front-end passes, then as many untimed and timed end-to-end
// passes (front-ends, inputs, invoke), leaving each audio input of `interpreter` set.
// Throws tm2::Error when the model has no audio input with front-end settings
// or the file's rate differs from the model's.
FrontendTiming timeAudioFrontend(runtime::Interpreter& interpreter, const std::string& wav_path, int warmup,
                                 int runs);

}  // namespace tm2::bench
