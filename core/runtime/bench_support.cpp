#include "core/runtime/bench_support.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>

#include "core/runtime/interpreter.h"

namespace tm2::runtime {

namespace {
double nearestRank(const std::vector<double>& sorted, double q) {
    const auto rank = static_cast<std::size_t>(std::ceil(q * static_cast<double>(sorted.size())));
    return sorted[std::min(sorted.size(), std::max<std::size_t>(rank, 1)) - 1];
}
}  // namespace

LatencyStats latencyStats(std::vector<double> samples_us) {
    LatencyStats s;
    s.runs = samples_us.size();
    if (samples_us.empty()) return s;
    std::sort(samples_us.begin(), samples_us.end());
    s.p50 = nearestRank(samples_us, 0.50);
    s.p90 = nearestRank(samples_us, 0.90);
    s.p99 = nearestRank(samples_us, 0.99);
    s.mean = std::accumulate(samples_us.begin(), samples_us.end(), 0.0) / static_cast<double>(samples_us.size());
    s.min = samples_us.front();
    s.max = samples_us.back();
    return s;
}

void setRandomInputs(Interpreter& interpreter, unsigned seed) {
    std::mt19937 rng(seed);
    const auto& model = interpreter.model();
    for (std::size_t i = 0; i < interpreter.inputCount(); ++i) {
        const auto& t = model.tensors[model.inputs[i].tensor];
        const float lo = t.scale * static_cast<float>(0 - t.zero_point);
        const float hi = t.scale * static_cast<float>(((1 << t.bits) - 1) - t.zero_point);
        std::uniform_real_distribution<float> dist(lo, hi);
        std::vector<float> values(interpreter.inputElements(i));
        for (float& v : values) v = dist(rng);
        interpreter.setInput(i, values.data(), values.size());
    }
}

}  // namespace tm2::runtime
