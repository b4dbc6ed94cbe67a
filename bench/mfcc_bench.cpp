// MFCC throughput: 60 s of 16 kHz audio (noise + three tones), n_fft 512,
// hop 160, 40 mels, 13 coefficients, one thread. The "rtf" counter is audio
// seconds per wall second; bench/run_mfcc_bench.sh sets it beside the peers
// of bench/mfcc_peers.py (same signal recipe, same sizes).

#include <benchmark/benchmark.h>

#include <cmath>
#include <cstdint>
#include <vector>

#include "core/dsp/mfcc.h"

namespace {

constexpr int kSampleRate = 16000;
constexpr int kSeconds = 60;

std::vector<float> benchSignal() {
    const double pi = std::acos(-1.0);
    std::vector<float> x(static_cast<std::size_t>(kSampleRate) * kSeconds);
    std::uint64_t state = 7;
    for (std::size_t i = 0; i < x.size(); ++i) {
        state = (state * 1103515245ull + 12345ull) % 2147483648ull;  // ANSI C LCG
        const double noise = static_cast<double>(state) / 1073741824.0 - 1.0;
        const double t = static_cast<double>(i) / kSampleRate;
        x[i] = static_cast<float>(0.3 * std::sin(2 * pi * 440.0 * t) + 0.2 * std::sin(2 * pi * 1000.0 * t) +
                                  0.1 * std::sin(2 * pi * 3000.0 * t) + 0.1 * noise);
    }
    return x;
}

tm2::dsp::MfccConfig benchConfig() {
    tm2::dsp::MfccConfig c;
    c.sample_rate = kSampleRate;
    c.n_fft = 512;
    c.hop_length = 160;
    c.n_mels = 40;
    c.n_mfcc = 13;
    return c;
}

void BM_Mfcc60s(benchmark::State& state) {
    const std::vector<float> x = benchSignal();
    const tm2::dsp::MfccExtractor extractor(benchConfig());
    for (auto _ : state) {
        tm2::Tensor features = extractor.compute(x);
        benchmark::DoNotOptimize(features.values.data());
    }
    // kIsIterationInvariantRate: audio seconds per iteration, divided by wall time.
    state.counters["rtf"] =
        benchmark::Counter(static_cast<double>(kSeconds), benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_Mfcc60s)->Unit(benchmark::kMillisecond)->UseRealTime();

// The same with delta and delta-delta, the shape the data pipeline feeds the CNNs.
void BM_Mfcc60sWithDeltas(benchmark::State& state) {
    const std::vector<float> x = benchSignal();
    tm2::dsp::MfccConfig c = benchConfig();
    c.deltas = 2;
    const tm2::dsp::MfccExtractor extractor(c);
    for (auto _ : state) {
        tm2::Tensor features = extractor.compute(x);
        benchmark::DoNotOptimize(features.values.data());
    }
    state.counters["rtf"] =
        benchmark::Counter(static_cast<double>(kSeconds), benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_Mfcc60sWithDeltas)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
