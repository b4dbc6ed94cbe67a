#include "core/workflow/local_benchmark.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <numeric>

#include "core/base/error.h"
#include "core/runtime/frontend/audio_frontend.h"
#include "core/runtime/frontend/audio_path_timing.h"
#include "core/runtime/interpreter.h"
#include "core/runtime/op_cost.h"
#include "core/workflow/benchmark_recording.h"

namespace tm2::workflow {

namespace {

double microsecondsSince(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start).count();
}

void report(const ProgressCallback& progress, const char* stage, std::size_t done, std::size_t total) {
    // Every 16th step only: a callback per invoke would cost more than a small model's invoke.
    if (done % 16 == 0 || done == total) reportProgress(progress, {stage, done, total, ""});
}

// The front-end through the shared audio-path loop (runtime::timeAudioPath, as
// `tinym2net-bench --audio` and "Front-end vs network" time it) on the dataset's first
// test recording, else on a tone; leaves b.frontend empty and says why when the
// model has no audio front-end the loop can run.
void timeFrontend(runtime::Interpreter& interpreter, const LocalBenchmarkOptions& o,
                  const ProgressCallback& progress, LocalBenchmark& b) {
    std::vector<std::string> audio;
    int rate = 0;
    try {
        audio = runtime::audioInputs(interpreter.model());
        if (!audio.empty())
            rate = runtime::audioFrontendConfig(interpreter.model(), audio.front()).sample_rate;
    } catch (const Error& e) {
        b.frontend_note = std::string("front-end: not measured (") + e.what() + ")";
        return;
    }
    if (audio.empty()) {
        b.frontend_note = "front-end: not measured (the model has no audio input settings)";
        return;
    }
    // The tone stands in when there is no recording: the front-end's cost depends on
    // the window, not on what it holds; the note says why.
    BenchmarkRecording recording;
    std::string fallback;
    if (o.dataset.path.empty()) {
        fallback = " (no dataset open)";
    } else {
        try {
            recording = firstTestRecording(o.dataset, audio.front(), rate);
        } catch (const Cancelled&) {
            throw;
        } catch (const Error& e) {
            fallback = std::string(" (no test recording: ") + e.what() + ")";
        }
    }
    if (!fallback.empty())
        recording =
            syntheticTone(rate, runtime::audioFrontendConfig(interpreter.model(), audio.front()).window_s);
    // Fewer front-end runs: one MFCC of a 2 s window costs far more than a small network.
    const int fe_runs = std::max(1, std::min(o.runs, 50));
    runtime::AudioPathTiming t;
    try {
        t = runtime::timeAudioPath(
            interpreter, recording.audio, recording.origin, 1, fe_runs,
            [&progress](std::size_t done, std::size_t total) { report(progress, "front-end", done, total); });
    } catch (const Cancelled&) {
        throw;
    } catch (const Error& e) {
        b.frontend_note = std::string("front-end: not measured (") + e.what() + ")";
        return;
    }
    b.frontend = t.frontend;
    b.frontend_source = recording.source;
    std::string names;
    for (const auto& m : audio) names += (names.empty() ? "" : ", ") + m;
    b.frontend_note = "front-end: MFCC of one window per audio input (" + names + "), " +
                      std::to_string(fe_runs) + " runs, " + t.mfcc_kernel + ", on " + recording.source +
                      fallback;
}

}  // namespace

std::vector<HistogramBin> latencyHistogram(const std::vector<double>& samples_us, int bins) {
    if (samples_us.empty()) return {};
    if (bins < 1) throw Error("histogram bins: " + std::to_string(bins) + " (must be at least 1)");
    std::vector<double> sorted = samples_us;
    std::sort(sorted.begin(), sorted.end());
    auto quantile = [&sorted](double q) {  // nearest rank
        const auto rank = static_cast<std::size_t>(std::ceil(q * static_cast<double>(sorted.size())));
        return sorted[std::max<std::size_t>(rank, 1) - 1];
    };
    const double lo = sorted.front(), max = sorted.back();
    const double fence = quantile(0.75) + 3.0 * (quantile(0.75) - quantile(0.25));  // Tukey's far-out fence
    // The largest run within the fence, but the tail holds at most one run in twenty
    // (at least one): with whole-µs timings the quartiles can coincide, and the fence
    // alone would call every run above the median slow.
    const std::size_t tail_most = std::max<std::size_t>(1, sorted.size() / 20);
    const double hi = std::max(*(std::upper_bound(sorted.begin(), sorted.end(), fence) - 1),
                               sorted[sorted.size() > tail_most ? sorted.size() - 1 - tail_most : 0]);
    if (max <= lo) return {{lo, max, samples_us.size(), false}};
    if (hi <= lo) {
        const auto within = static_cast<std::size_t>(std::upper_bound(sorted.begin(), sorted.end(), hi) - sorted.begin());
        return {{lo, hi, within, false}, {hi, max, sorted.size() - within, true}};
    }
    const double width = (hi - lo) / bins;
    std::vector<HistogramBin> out(static_cast<std::size_t>(bins));
    for (int i = 0; i < bins; ++i) {
        out[static_cast<std::size_t>(i)].lo = lo + width * i;
        out[static_cast<std::size_t>(i)].hi = i + 1 == bins ? hi : lo + width * (i + 1);
    }
    if (max > hi) out.push_back({hi, max, 0, true});
    for (double v : sorted) {
        if (v > hi) {
            ++out.back().count;
            continue;
        }
        auto i = static_cast<std::size_t>((v - lo) / width);
        ++out[std::min(i, static_cast<std::size_t>(bins) - 1)].count;
    }
    return out;
}

LocalBenchmark runLocalBenchmark(const LocalBenchmarkOptions& o, const ProgressCallback& progress) {
    if (o.runs < 1) throw Error("benchmark runs: " + std::to_string(o.runs) + " (must be at least 1)");
    if (o.warmup < 0)
        throw Error("benchmark warm-up: " + std::to_string(o.warmup) + " (must not be negative)");
    LocalBenchmark b;
    b.model = o.model;
    std::error_code ec;
    b.file_bytes = std::filesystem::file_size(o.model, ec);
    if (ec) throw Error("model '" + o.model + "': " + ec.message());
    runtime::Interpreter interpreter(runtime::readModel(o.model));
    const runtime::Model& model = interpreter.model();
    b.kernel_path = interpreter.kernelPath();
    b.arena_bytes = interpreter.arenaBytes();
    b.weight_bytes = interpreter.weightBytes();
    b.macs = runtime::modelMacs(model);
    b.ops = model.ops.size();
    runtime::setRandomInputs(interpreter, o.seed);

    const auto total = static_cast<std::size_t>(o.warmup + o.runs);
    for (int r = 0; r < o.warmup; ++r) {
        interpreter.invoke();
        report(progress, "benchmark", static_cast<std::size_t>(r + 1), total);
    }
    b.network_us.reserve(static_cast<std::size_t>(o.runs));
    for (int r = 0; r < o.runs; ++r) {
        const auto start = std::chrono::steady_clock::now();
        interpreter.invoke();
        b.network_us.push_back(microsecondsSince(start));
        report(progress, "benchmark", static_cast<std::size_t>(o.warmup + r + 1), total);
    }
    b.network = latencyStats(b.network_us);
    b.histogram = latencyHistogram(b.network_us, o.histogram_bins);

    timeFrontend(interpreter, o, progress, b);
    return b;
}

nlohmann::json latencyStatsToJson(const LatencyStats& s) {
    return {{"runs", s.runs},    {"p50_us", s.p50}, {"p90_us", s.p90}, {"p99_us", s.p99},
            {"mean_us", s.mean}, {"min_us", s.min}, {"max_us", s.max}};
}

nlohmann::json localBenchmarkToJson(const LocalBenchmark& b, const LocalBenchmarkOptions& o) {
    nlohmann::json histogram = nlohmann::json::array();
    for (const auto& bin : b.histogram)
        histogram.push_back({{"lo_us", bin.lo}, {"hi_us", bin.hi}, {"count", bin.count}, {"tail", bin.tail}});
    return {{"model", b.model},
            {"kernel", b.kernel_path},
            {"runs", o.runs},
            {"warmup", o.warmup},
            {"network", latencyStatsToJson(b.network)},
            {"samples_us", b.network_us},
            {"histogram", histogram},
            {"frontend", b.frontend ? latencyStatsToJson(*b.frontend) : nlohmann::json(nullptr)},
            {"frontend_note", b.frontend_note},
            {"frontend_audio", b.frontend ? nlohmann::json(b.frontend_source) : nlohmann::json(nullptr)},
            {"arena_bytes", b.arena_bytes},
            {"weight_bytes", b.weight_bytes},
            {"file_bytes", b.file_bytes},
            {"macs", b.macs},
            {"ops", b.ops}};
}

}  // namespace tm2::workflow
