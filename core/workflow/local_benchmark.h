#pragma once
// Timing a .tmn model in this process (the GUI's "run on this machine"):
// warm-up, then N batch-1 invokes with per-run samples, the p50/p90/p99 of
// them, a latency histogram, the audio front-end's time when the model
// carries its settings (through the shared audio-path loop, runtime::timeAudioPath,
// on the open dataset's first test recording, else a synthetic tone, said so in
// the note), and the model's memory (arena, weights, file).

#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/base/progress.h"
#include "core/runtime/bench_support.h"
#include "core/runtime/model_format.h"
#include "core/workflow/dataset_options.h"

namespace tm2::workflow {

// Nearest-rank percentiles, the same as tinym2net-bench reports (core/runtime/bench_support.h).
using runtime::LatencyStats;
using runtime::latencyStats;

// `bins` equal-width bins from the minimum to the largest sample within Tukey's
// far-out fence (q3 + 3·IQR, nearest-rank quartiles) — or further, so that at
// most max(1, n/20) samples lie beyond — the last bin including it, then — only when some samples lie beyond — one tail bin (hi, max] for
// them, so a few outliers (a context switch on a shared machine) do not
// squeeze every other run into one bin. One bin when all samples are equal;
// none when there are none.
struct HistogramBin {
    double lo = 0, hi = 0;
    std::size_t count = 0;
    bool tail = false;  // the (hi, max] bin of the outliers
};
std::vector<HistogramBin> latencyHistogram(const std::vector<double>& samples_us, int bins);

struct LocalBenchmarkOptions {
    std::string model;  // .tmn path
    int runs = 200;     // timed invokes
    int warmup = 20;    // untimed invokes first (caches, branch predictors)
    int histogram_bins = 20;
    unsigned seed = 1;  // random inputs, uniform over each input's representable range
    // The front-end's recording: the first test-split sample of this dataset; with no
    // dataset (or no audio in its test split) a 440 Hz tone, and the note says why.
    DatasetOptions dataset;
};

struct LocalBenchmark {
    std::string model;
    std::string kernel_path;         // portable | avx2 | neon
    std::vector<double> network_us;  // one sample per timed run
    LatencyStats network;
    std::vector<HistogramBin> histogram;
    std::optional<LatencyStats> frontend;  // audio front-end (all audio inputs) per run
    std::string frontend_note;             // why it was not measured, or what was measured on what
    std::string frontend_source;           // the recording timed ("first test-split sample …", or the tone)
    std::size_t arena_bytes = 0;           // peak activation + scratch bytes
    std::size_t weight_bytes = 0;          // in memory
    std::uintmax_t file_bytes = 0;
    std::uint64_t macs = 0;
    std::size_t ops = 0;
};

// Throws tm2::Error naming the file when the model cannot be read, or
// `runs` < 1; tm2::Cancelled when `progress` asks to stop.
LocalBenchmark runLocalBenchmark(const LocalBenchmarkOptions& options, const ProgressCallback& progress = {});

nlohmann::json latencyStatsToJson(const LatencyStats& s);
// {model, kernel, runs, warmup, network: {p50_us…}, samples_us, histogram: [{lo_us, hi_us, count}],
//  frontend: {…} | null, frontend_note, frontend_audio | null, arena_bytes, weight_bytes, file_bytes, macs,
//  ops}
nlohmann::json localBenchmarkToJson(const LocalBenchmark& b, const LocalBenchmarkOptions& options);

}  // namespace tm2::workflow
