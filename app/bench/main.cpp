// tinym2net-bench: batch-1 latency and memory of a .tmn model on the machine it
// runs on. Links only the runtime, so the same program runs on the Pi.

#include <sys/resource.h>
#include <sys/utsname.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "app/bench/latency_table_writer.h"
#include "core/base/atomic_write.h"
#include "core/base/error.h"
#include "core/runtime/bench_support.h"
#include "core/runtime/frontend/audio_path_timing.h"
#include "core/runtime/interpreter.h"
#include "core/runtime/op_cost.h"

namespace {

using tm2::runtime::Interpreter;
using tm2::runtime::LatencyStats;

struct BenchOptions {
    std::string model;
    int runs = 1000;
    int warmup = 100;
    std::string kernel = "auto";
    unsigned seed = 1;
    bool per_layer = false;
    bool json = false;
    std::string latency_table;      // write the per-layer table for the ILP here
    std::vector<std::string> also;  // the same network exported at other widths
    std::string audio;              // time the MFCC front-end on this wav (and feed its features)
};

const tm2::runtime::SimdOps* chooseKernels(const std::string& name) {
    if (name == "auto") return nullptr;
    if (name == "portable") return &tm2::runtime::portableSimdOps();
    const tm2::runtime::SimdOps* ops =
        name == "avx2" ? tm2::runtime::avx2SimdOps() : tm2::runtime::neonSimdOps();
    if (!ops) throw tm2::Error("--kernel " + name + ": not available in this build or on this CPU");
    return ops;
}

std::vector<double> timeInvokes(Interpreter& interpreter, int runs) {
    std::vector<double> us;
    us.reserve(static_cast<std::size_t>(runs));
    for (int r = 0; r < runs; ++r) {
        const auto start = std::chrono::steady_clock::now();
        interpreter.invoke();
        us.push_back(
            std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start).count());
    }
    return us;
}

// Per op: the distribution of its own time over `runs` profiled invokes.
std::vector<LatencyStats> timeLayers(Interpreter& interpreter, int runs) {
    const std::size_t n_ops = interpreter.model().ops.size();
    std::vector<std::vector<double>> samples(n_ops);
    std::vector<double> per_op;
    for (int r = 0; r < runs; ++r) {
        interpreter.invokeProfiled(per_op);
        for (std::size_t i = 0; i < n_ops; ++i) samples[i].push_back(per_op[i]);
    }
    std::vector<LatencyStats> out;
    for (auto& s : samples) out.push_back(tm2::runtime::latencyStats(std::move(s)));
    return out;
}

std::uint64_t peakRssBytes() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return static_cast<std::uint64_t>(usage.ru_maxrss) * 1024;  // Linux reports KiB
}

nlohmann::json latencyJson(const LatencyStats& s) {
    return {{"p50_us", s.p50},   {"p90_us", s.p90}, {"p99_us", s.p99},
            {"mean_us", s.mean}, {"min_us", s.min}, {"max_us", s.max}};
}

std::string machineName() {
    utsname u{};
    if (uname(&u) != 0) return "unknown";
    return std::string(u.nodename) + " " + u.machine;
}

// Per-op p50 of `model` and of each --also model (same seed, warm-up and runs), as a table.
void writeLatencyTable(const BenchOptions& o, Interpreter& main_interpreter,
                       const std::vector<LatencyStats>& main_layers) {
    std::vector<std::unique_ptr<Interpreter>> others;
    std::vector<tm2::bench::TimedModel> timed{{o.model, &main_interpreter.model(), main_layers}};
    for (const std::string& path : o.also) {
        const tm2::runtime::InterpreterOptions options{false, chooseKernels(o.kernel)};
        others.push_back(std::make_unique<Interpreter>(tm2::runtime::readModel(path), options));
        Interpreter& other = *others.back();
        tm2::runtime::setRandomInputs(other, o.seed);
        timeInvokes(other, o.warmup);
        timed.push_back({path, &other.model(), timeLayers(other, o.runs)});
    }
    nlohmann::json table = tm2::bench::latencyTableJson(timed);
    table["machine"] = machineName();
    table["kernel_path"] = main_interpreter.kernelPath();
    table["runs"] = o.runs;
    tm2::writeFileAtomically(o.latency_table, table.dump(2) + "\n");
}

int runBench(const BenchOptions& o) {
    const auto model_bytes = std::filesystem::file_size(o.model);
    Interpreter interpreter(tm2::runtime::readModel(o.model), {false, chooseKernels(o.kernel)});
    const auto& model = interpreter.model();
    tm2::runtime::setRandomInputs(interpreter, o.seed);
    // Audio inputs then carry the recording's real features; others stay random.
    // With a recording, the network's figure is the one timed beside the front-end
    // (the same loop the Benchmark pane charts); without, the network on random inputs.
    std::optional<tm2::runtime::AudioPathTiming> frontend;
    LatencyStats total;
    if (!o.audio.empty()) {
        frontend = tm2::runtime::timeAudioPath(interpreter, o.audio, o.warmup, o.runs);
        total = frontend->network;
    } else {
        timeInvokes(interpreter, o.warmup);
        total = tm2::runtime::latencyStats(timeInvokes(interpreter, o.runs));
    }
    std::vector<LatencyStats> layers;
    if (o.per_layer || !o.latency_table.empty()) layers = timeLayers(interpreter, o.runs);
    if (!o.latency_table.empty()) writeLatencyTable(o, interpreter, layers);
    const std::uint64_t macs = tm2::runtime::modelMacs(model);
    // MAC/µs = 1e6 MAC/s, so GMAC/s = MACs / µs / 1000.
    const double gmacs = total.p50 > 0 ? static_cast<double>(macs) / total.p50 / 1e3 : 0.0;

    nlohmann::json j;
    j["model"] = o.model;
    j["model_bytes"] = model_bytes;
    j["kernel_path"] = interpreter.kernelPath();
    j["runs"] = o.runs;
    j["warmup"] = o.warmup;
    j["batch"] = 1;
    j["network"] = latencyJson(total);
    for (const char* key : {"p50_us", "p90_us", "p99_us", "mean_us"}) j[key] = j["network"][key];
    if (frontend) {
        j["frontend_us"] = latencyJson(frontend->frontend);
        nlohmann::json fe_inputs = nlohmann::json::array();
        for (const auto& in : frontend->inputs)
            fe_inputs.push_back({{"modality", in.modality},
                                 {"window_s", in.window_s},
                                 {"sample_rate", in.sample_rate},
                                 {"shape", {in.c, in.h, in.w}}});
        j["end_to_end_us"] = latencyJson(frontend->end_to_end);
        j["frontend"] = {{"audio", frontend->audio},
                         {"audio_samples", frontend->audio_samples},
                         {"inputs", fe_inputs},
                         {"mfcc_kernel", frontend->mfcc_kernel},
                         {"what", "wav samples to normalised MFCC input, all audio inputs, per inference"},
                         {"end_to_end_what",
                          "front-ends, inputs set and the network, timed together per "
                          "inference (its own runs, not the sum of the two)"}};
    } else {
        j["frontend_us"] = nullptr;
        j["end_to_end_us"] = nullptr;
        j["frontend_note"] =
            "pass --audio FILE.wav to time the MFCC front-end; the network ran on random inputs";
    }
    j["arena_bytes"] = interpreter.arenaBytes();
    j["weight_bytes"] = interpreter.weightBytes();
    j["weight_panel_bytes"] = interpreter.weightPanelBytes();
    // Packed int4 convs on the pair paths build their panel per call, in the arena (counted there).
    j["call_panel_bytes"] = interpreter.callPanelBytes();
    j["peak_rss_bytes"] = peakRssBytes();
    j["macs"] = macs;
    j["macs_source"] = "computed from op shapes (the .tmn format does not store them)";
    j["gmac_per_s"] = gmacs;
    nlohmann::json inputs = nlohmann::json::array();
    for (const auto& in : model.inputs) {
        const auto& t = model.tensors[in.tensor];
        inputs.push_back({{"modality", in.modality}, {"shape", {t.c, t.h, t.w}}, {"bits", t.bits}});
    }
    j["inputs"] = inputs;
    if (!o.latency_table.empty()) j["latency_table"] = o.latency_table;
    if (o.per_layer) {
        nlohmann::json rows = nlohmann::json::array();
        for (std::size_t i = 0; i < model.ops.size(); ++i) {
            const auto& op = model.ops[i];
            nlohmann::json row = latencyJson(layers[i]);
            row["name"] = op.name;
            row["type"] = tm2::runtime::toString(op.type);
            row["weight_bits"] = op.weightCount() == 0 ? 0 : op.weight_bits;
            row["macs"] = tm2::runtime::opMacs(model, op);
            rows.push_back(row);
        }
        j["layers"] = rows;
    }
    if (o.json) {
        std::cout << j.dump(2) << "\n";
        return 0;
    }
    std::printf("%s: %zu ops, %s kernels, %d runs after %d warm-up\n", o.model.c_str(), model.ops.size(),
                interpreter.kernelPath(), o.runs, o.warmup);
    std::printf("latency µs   p50 %.1f  p90 %.1f  p99 %.1f  mean %.1f\n", total.p50, total.p90, total.p99,
                total.mean);
    std::printf("MACs %llu  (%.2f GMAC/s at p50)\n", static_cast<unsigned long long>(macs), gmacs);
    std::printf("arena %zu B (largest per-call panel %zu B)  weights %zu B (+ %zu B pair panels)  model file %llu B  "
                "peak RSS %llu B\n",
                interpreter.arenaBytes(), interpreter.callPanelBytes(), interpreter.weightBytes(),
                interpreter.weightPanelBytes(),
                static_cast<unsigned long long>(model_bytes),
                static_cast<unsigned long long>(peakRssBytes()));
    if (frontend) {
        std::printf(
            "front-end µs  p50 %.1f  p90 %.1f  p99 %.1f  mean %.1f  (MFCC of %s, %s, per inference)\n",
            frontend->frontend.p50, frontend->frontend.p90, frontend->frontend.p99, frontend->frontend.mean,
            frontend->audio.c_str(), frontend->mfcc_kernel.c_str());
        const LatencyStats& e2e = frontend->end_to_end;
        std::printf(
            "end-to-end µs p50 %.1f  p90 %.1f  p99 %.1f  mean %.1f  (samples to logits, per inference)\n",
            e2e.p50, e2e.p90, e2e.p99, e2e.mean);
        std::printf("p50 µs: front-end %.1f + network %.1f; end-to-end %.1f\n", frontend->frontend.p50,
                    total.p50, e2e.p50);
    } else
        std::printf("front-end: not measured (pass --audio FILE.wav)\n");
    if (!o.latency_table.empty()) std::printf("latency table written to %s\n", o.latency_table.c_str());
    if (o.per_layer) {
        std::printf("\n%-36s %-16s %4s %10s %10s\n", "layer", "op", "bits", "MACs", "p50 µs");
        for (std::size_t i = 0; i < model.ops.size(); ++i) {
            const auto& op = model.ops[i];
            std::printf("%-36s %-16s %4d %10llu %10.2f\n", op.name.c_str(), tm2::runtime::toString(op.type),
                        op.weightCount() == 0 ? 0 : op.weight_bits,
                        static_cast<unsigned long long>(tm2::runtime::opMacs(model, op)), layers[i].p50);
        }
    }
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    BenchOptions o;
    CLI::App app{"Batch-1 latency and memory of a .tmn model (integer runtime)", "tinym2net-bench"};
    app.add_option("model", o.model, ".tmn model")->required()->check(CLI::ExistingFile);
    app.add_option("--runs", o.runs, "Timed invokes")->check(CLI::Range(1, 10000000))->capture_default_str();
    app.add_option("--warmup", o.warmup, "Untimed invokes first")
        ->check(CLI::NonNegativeNumber)
        ->capture_default_str();
    app.add_option("--kernel", o.kernel, "Inner loops: auto | portable | avx2 | neon")
        ->check(CLI::IsMember({"auto", "portable", "avx2", "neon"}))
        ->capture_default_str();
    app.add_option("--seed", o.seed, "Seed of the random inputs")->capture_default_str();
    app.add_flag("--per-layer", o.per_layer, "Also time each op on its own (--runs profiled invokes)");
    app.add_flag("--json", o.json, "Print the result as JSON");
    app.add_option("--audio", o.audio,
                   "Time the MFCC front-end on this wav and run the network on its features")
        ->check(CLI::ExistingFile);
    auto* table =
        app.add_option("--latency-table", o.latency_table,
                       "Write each weight layer's p50 µs per bit width (for `quantize --latency-table`)");
    app.add_option("--also", o.also,
                   "With --latency-table: the same network exported at another width (repeatable)")
        ->check(CLI::ExistingFile)
        ->needs(table);
    try {
        app.parse(argc, argv);
        return runBench(o);
    } catch (const CLI::ParseError& e) {
        return app.exit(e);
    } catch (const tm2::Error& e) {
        std::cerr << "tinym2net-bench: error: " << e.what() << "\n";
        return 1;
    } catch (const std::exception& e) {
        std::cerr << "tinym2net-bench: error: " << e.what() << "\n";
        return 1;
    }
}
