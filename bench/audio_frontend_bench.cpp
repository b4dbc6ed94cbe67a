// The device's audio front-end (core/runtime/frontend AudioFrontend): one
// window of 16 kHz audio (noise + tones) to the normalised MFCC input, as
// `tinym2net-bench --audio` times it per inference. Default MFCC sizes
// (n_fft 512, hop 160, 40 mels, 13 coefficients); window 1 s (the demo
// datasets) and 2 s (the paper's COVID case), without and with deltas.
//   build/bench/audio_frontend_bench --benchmark_repetitions=5 --benchmark_report_aggregates_only=true

#include <benchmark/benchmark.h>

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "core/base/error.h"
#include "core/runtime/frontend/audio_frontend.h"
#include "core/runtime/frontend/mfcc.h"

namespace {

std::vector<float> benchSignal(std::size_t n) {
    const double pi = std::acos(-1.0);
    std::vector<float> x(n);
    std::uint64_t state = 7;
    for (std::size_t i = 0; i < n; ++i) {
        state = (state * 1103515245ull + 12345ull) % 2147483648ull;  // ANSI C LCG
        const double noise = static_cast<double>(state) / 1073741824.0 - 1.0;
        const double t = static_cast<double>(i) / 16000.0;
        x[i] = static_cast<float>(0.3 * std::sin(2 * pi * 440.0 * t) + 0.2 * std::sin(2 * pi * 1000.0 * t) +
                                  0.1 * noise);
    }
    return x;
}

// state.range(0): window in ms; state.range(1): deltas (0 or 2).
void BM_AudioFrontend(benchmark::State& state) {
    tm2::runtime::AudioFrontendConfig c;
    c.window_s = static_cast<double>(state.range(0)) / 1000.0;
    c.mfcc.deltas = static_cast<int>(state.range(1));
    const std::size_t rows = static_cast<std::size_t>(c.mfcc.featureCount());
    c.mean.assign(rows, 0.5f);
    c.std.assign(rows, 2.0f);
    tm2::runtime::AudioFrontend frontend(c);
    const std::vector<float> x = benchSignal(static_cast<std::size_t>(c.windowSamples()));
    std::vector<float> out(frontend.outputElements());
    for (auto _ : state) {
        frontend.process(x.data(), x.size(), out.data());
        benchmark::DoNotOptimize(out.data());
    }
}
// The MFCC alone on a 1 s window, per inner-loop path: state.range(0) is a
// tm2::runtime::MfccPath (4 = KissFft, the per-frame path this front-end had
// before the batched kernels; bench/run_frontend_bench.sh sets them side by side).
void BM_Mfcc1sWindow(benchmark::State& state) {
    const auto path = static_cast<tm2::runtime::MfccPath>(state.range(0));
    const tm2::runtime::MfccExtractor mfcc{tm2::runtime::MfccConfig{}};
    try {
        mfcc.kernelName(path);
    } catch (const tm2::Error& e) {
        state.SkipWithError(e.what());
        return;
    }
    const std::vector<float> x = benchSignal(16000);
    std::vector<float> out(static_cast<std::size_t>(mfcc.config().frameCount(16000)) *
                           static_cast<std::size_t>(mfcc.config().featureCount()));
    tm2::runtime::MfccWorkspace workspace;
    workspace.setPath(path);
    for (auto _ : state) {
        mfcc.compute(x.data(), x.size(), workspace, out.data());
        benchmark::DoNotOptimize(out.data());
    }
    state.SetLabel(mfcc.kernelName(path));
}
BENCHMARK(BM_Mfcc1sWindow)->ArgName("path")->DenseRange(0, 4)->Unit(benchmark::kMicrosecond);

BENCHMARK(BM_AudioFrontend)
    ->ArgNames({"window_ms", "deltas"})
    ->Args({1000, 0})
    ->Args({2000, 0})
    ->Args({2000, 2})
    ->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
