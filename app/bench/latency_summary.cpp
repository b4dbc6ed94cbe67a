#include "app/bench/latency_summary.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace tm2::bench {

namespace {
double nearestRank(const std::vector<double>& sorted, double q) {
    const auto rank = static_cast<std::size_t>(std::ceil(q * static_cast<double>(sorted.size())));
    return sorted[std::min(sorted.size(), std::max<std::size_t>(rank, 1)) - 1];
}
}  // namespace

LatencySummary summarize(std::vector<double> samples_us) {
    LatencySummary s;
    if (samples_us.empty()) return s;
    std::sort(samples_us.begin(), samples_us.end());
    s.p50 = nearestRank(samples_us, 0.50);
    s.p90 = nearestRank(samples_us, 0.90);
    s.p99 = nearestRank(samples_us, 0.99);
    s.mean =
        std::accumulate(samples_us.begin(), samples_us.end(), 0.0) / static_cast<double>(samples_us.size());
    s.min = samples_us.front();
    s.max = samples_us.back();
    return s;
}

}  // namespace tm2::bench
