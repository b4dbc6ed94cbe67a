#pragma once
// Order statistics of a set of timings (µs).

#include <vector>

namespace tm2::bench {

struct LatencySummary {
    double p50 = 0, p90 = 0, p99 = 0, mean = 0, min = 0, max = 0;
};

// Nearest-rank percentiles (the smallest sample with at least q·n samples at or
// below it), so each figure is a time that was actually measured.
LatencySummary summarize(std::vector<double> samples_us);

}  // namespace tm2::bench
