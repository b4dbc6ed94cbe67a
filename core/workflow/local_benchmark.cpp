#include "core/workflow/local_benchmark.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <numeric>
#include <random>

#include "core/base/error.h"
#include "core/runtime/frontend/audio_frontend.h"
#include "core/runtime/interpreter.h"
#include "core/runtime/op_cost.h"

namespace tm2::workflow {

namespace {

double microsecondsSince(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start).count();
}

void report(const ProgressCallback& progress, const char* stage, std::size_t done, std::size_t total) {
    // Every 16th step only: a callback per invoke would cost more than a small model's invoke.
    if (done % 16 == 0 || done == total) reportProgress(progress, {stage, done, total, ""});
}

// One window of a 440 Hz tone with a little noise per audio input; the
// front-end's work does not depend on the signal, only on its length.
struct FrontendRun {
    std::vector<runtime::AudioFrontend> frontends;
    std::vector<std::vector<float>> signals, outputs;
};

FrontendRun makeFrontends(const runtime::Model& model, const std::vector<std::string>& audio, unsigned seed) {
    FrontendRun f;
    std::mt19937 rng(seed);
    std::normal_distribution<float> noise(0.0f, 0.01f);
    for (const std::string& modality : audio) {
        f.frontends.push_back(runtime::AudioFrontend::forModel(model, modality));
        const auto& config = f.frontends.back().config();
        std::vector<float> s(static_cast<std::size_t>(config.windowSamples()));
        for (std::size_t i = 0; i < s.size(); ++i)
            s[i] = 0.5f * static_cast<float>(
                              std::sin(2.0 * M_PI * 440.0 * static_cast<double>(i) / config.sample_rate)) +
                   noise(rng);
        f.signals.push_back(std::move(s));
        f.outputs.emplace_back(f.frontends.back().outputElements());
    }
    return f;
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

    std::vector<std::string> audio;
    try {
        audio = runtime::audioInputs(model);
    } catch (const Error& e) {
        b.frontend_note = std::string("front-end: not measured (") + e.what() + ")";
    }
    if (audio.empty()) {
        if (b.frontend_note.empty())
            b.frontend_note = "front-end: not measured (the model has no audio input settings)";
        return b;
    }
    FrontendRun f;
    try {
        f = makeFrontends(model, audio, o.seed);
    } catch (const Error& e) {
        b.frontend_note = std::string("front-end: not measured (") + e.what() + ")";
        return b;
    }
    auto runFrontends = [&f] {
        for (std::size_t i = 0; i < f.frontends.size(); ++i)
            f.frontends[i].process(f.signals[i].data(), f.signals[i].size(), f.outputs[i].data());
    };
    // Fewer front-end runs: one MFCC of a 2 s window costs far more than a small network.
    const int fe_runs = std::max(1, std::min(o.runs, 50));
    runFrontends();  // warm-up (first call sizes the buffers)
    std::vector<double> fe_us;
    for (int r = 0; r < fe_runs; ++r) {
        const auto start = std::chrono::steady_clock::now();
        runFrontends();
        fe_us.push_back(microsecondsSince(start));
        reportProgress(progress,
                       {"front-end", static_cast<std::size_t>(r + 1), static_cast<std::size_t>(fe_runs), ""});
    }
    b.frontend = latencyStats(std::move(fe_us));
    std::string names;
    for (const auto& m : audio) names += (names.empty() ? "" : ", ") + m;
    b.frontend_note =
        "front-end: MFCC of one window per audio input (" + names + "), " + std::to_string(fe_runs) + " runs";
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
            {"arena_bytes", b.arena_bytes},
            {"weight_bytes", b.weight_bytes},
            {"file_bytes", b.file_bytes},
            {"macs", b.macs},
            {"ops", b.ops}};
}

}  // namespace tm2::workflow
