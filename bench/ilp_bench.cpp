// Bit-allocation ILP speed: solveBitAllocation (CBC through its C API) on
// seeded random problems of 12, 32 and 64 layers, and a 100-budget Pareto
// sweep. `ilp_bench --write-problems DIR` writes the same problems as JSON with
// our optima (answers.json) for bench/ilp_pulp_peer.py, the paper's PuLP path;
// bench/run_ilp_bench.sh puts the two side by side.

#include <benchmark/benchmark.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <vector>

#include "core/quant/bit_allocation.h"

namespace {

using tm2::quant::AllocationLayer;
using tm2::quant::BitAllocationProblem;

constexpr int kProblemsPerSize = 20;
const int kSizes[] = {12, 32, 64};

// A CNN-like problem: log-uniform layer sizes, MACs = params × output pixels,
// Ω_i(b) = Tr(H_i)/n_i · ‖Q_b(W) − W‖² with the quantisation error ∝ 4^{−b}
// (HAWQ-V3); budgets at α = 0.5 (size) and 0.7 (BOPS) between all-4 and all-8.
BitAllocationProblem benchProblem(int layers, int index) {
    std::mt19937_64 rng(1000003ull * static_cast<unsigned>(layers) + static_cast<unsigned>(index));
    std::uniform_real_distribution<double> u(0.0, 1.0);
    BitAllocationProblem p;
    double size4 = 0, size8 = 0, bops4 = 0, bops8 = 0;
    for (int i = 0; i < layers; ++i) {
        AllocationLayer l;
        l.name = "layer" + std::to_string(i);
        l.params = static_cast<std::int64_t>(std::exp(std::log(500.0) + u(rng) * std::log(2000.0)));
        l.macs = l.params * static_cast<std::int64_t>(std::exp(u(rng) * std::log(1024.0)));
        const double trace =
            std::exp(std::log(1e-3) + u(rng) * std::log(1e4)) / static_cast<double>(l.params);
        const double weight_energy = static_cast<double>(l.params) * (0.5 + u(rng));
        for (int b : {4, 8}) l.omega[b] = trace * weight_energy * std::pow(4.0, -b) * (0.8 + 0.4 * u(rng));
        size4 += l.bytes(4), size8 += l.bytes(8), bops4 += l.bops(4, {}), bops8 += l.bops(8, {});  // no inputs: MACs · b²
        p.layers.push_back(l);
    }
    p.size_bytes_max = tm2::quant::interpolateBudget(size4, size8, 0.5);
    p.bops_max = tm2::quant::interpolateBudget(bops4, bops8, 0.7);
    return p;
}

void BM_SolveBitAllocation(benchmark::State& state) {
    const int layers = static_cast<int>(state.range(0));
    std::vector<BitAllocationProblem> problems;
    for (int k = 0; k < kProblemsPerSize; ++k) problems.push_back(benchProblem(layers, k));
    std::size_t next = 0;
    for (auto _ : state) {
        const auto a = tm2::quant::solveBitAllocation(problems[next++ % problems.size()]);
        benchmark::DoNotOptimize(a.objective);
    }
}
BENCHMARK(BM_SolveBitAllocation)->Arg(12)->Arg(32)->Arg(64)->Unit(benchmark::kMillisecond)->UseRealTime();

// 100 size budgets from all-4 to all-8, BOPS budget kept.
void BM_Sweep100(benchmark::State& state) {
    const BitAllocationProblem p = benchProblem(static_cast<int>(state.range(0)), 0);
    double size4 = 0, size8 = 0;
    for (const auto& l : p.layers) size4 += l.bytes(4), size8 += l.bytes(8);
    std::vector<double> budgets;
    for (int k = 0; k < 100; ++k) budgets.push_back(tm2::quant::interpolateBudget(size4, size8, k / 99.0));
    for (auto _ : state) {
        const auto sweep = tm2::quant::sweepSizeBudgets(p, budgets);
        benchmark::DoNotOptimize(sweep.data());
    }
}
BENCHMARK(BM_Sweep100)->Arg(32)->Arg(64)->Unit(benchmark::kMillisecond)->UseRealTime();

int writeProblems(const std::filesystem::path& dir) {
    std::filesystem::create_directories(dir);
    nlohmann::json answers = nlohmann::json::object();
    for (int layers : kSizes)
        for (int k = 0; k < kProblemsPerSize; ++k) {
            const BitAllocationProblem p = benchProblem(layers, k);
            const std::string name = "ilp_" + std::to_string(layers) + "_" + std::to_string(k) + ".json";
            std::ofstream(dir / name) << tm2::quant::problemToJson(p).dump(1) << "\n";
            const auto a = tm2::quant::solveBitAllocation(p);
            answers[name] = {{"layers", layers}, {"objective", a.objective}, {"bits", a.bits}};
        }
    std::ofstream(dir / "answers.json") << answers.dump(1) << "\n";
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc == 3 && std::strcmp(argv[1], "--write-problems") == 0) return writeProblems(argv[2]);
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
