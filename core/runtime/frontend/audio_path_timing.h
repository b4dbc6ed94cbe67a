#pragma once
// The three latencies of the path a device runs per inference on audio:
// the MFCC front-end (every audio input of the model), the network on the
// resulting features, and the two back to back (front-ends, inputs set,
// invoke, timed as one). `tinym2net-bench --audio FILE.wav` and the
// workbench's Benchmark pane ("Front-end vs network") both measure through
// here, so the device and the GUI report the same figures.

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "core/runtime/bench_support.h"
#include "core/runtime/frontend/wav_reader.h"
#include "core/runtime/interpreter.h"

namespace tm2::runtime {

struct FrontendInputInfo {
    std::string modality;
    double window_s = 0.0;
    int sample_rate = 0;
    std::size_t c = 0, h = 0, w = 0;  // the features' shape
};

struct AudioPathTiming {
    std::string audio;              // where the samples came from (the wav file)
    std::size_t audio_samples = 0;  // samples given (mono)
    std::vector<FrontendInputInfo> inputs;
    std::string mfcc_kernel;  // the MFCC inner loops that ran ("avx2", "neon", …)
    std::string kernel_path;  // the network's inner loops (portable | avx2 | neon)
    int warmup = 0;           // untimed passes before each of the three timed loops
    LatencyStats frontend;    // µs per inference: all audio inputs' front-ends together
    LatencyStats network;     // µs per invoke, on the recording's features
    // µs per inference from samples to logits: front-ends, setInput, invoke, each timed as one.
    // Its own loop rather than the sum of the two: a device runs them back to back,
    // with the front-end's buffers and the network's arena competing for cache.
    LatencyStats end_to_end;
};

// Called after each pass with (passes done, passes in all = 3 · (warmup + runs)).
// It may throw (e.g. tm2::Cancelled) to stop the measurement.
using TimingTick = std::function<void(std::size_t done, std::size_t total)>;

// The model's audio inputs' front-ends on `audio` (at the model's sample rate;
// `origin` names it in messages and in the result): `warmup` untimed and `runs`
// timed passes of the front-ends, then of the network, then of the whole path.
// Leaves each audio input of `interpreter` set to the recording's features
// (other inputs keep what they held). Throws tm2::Error naming `origin` when the
// model has no audio input with front-end settings, the rate differs from the
// model's, or `runs` < 1.
AudioPathTiming timeAudioPath(Interpreter& interpreter, const WavAudio& audio, const std::string& origin,
                              int warmup, int runs, const TimingTick& tick = {});
// The same on a wav file (readWav: 16-bit PCM or float, channels averaged).
AudioPathTiming timeAudioPath(Interpreter& interpreter, const std::string& wav_path, int warmup, int runs,
                              const TimingTick& tick = {});

}  // namespace tm2::runtime
