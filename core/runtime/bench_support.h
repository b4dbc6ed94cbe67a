#pragma once
// What every benchmark of a .tmn model shares (tinym2net-bench on the device,
// the workbench's in-process benchmark): order statistics of timings and
// random inputs that exercise every input code.

#include <cstddef>
#include <vector>

namespace tm2::runtime {

class Interpreter;

// Nearest-rank percentiles (the smallest sample with at least q·n samples at or
// below it), so each figure is a time that was actually measured; µs.
struct LatencyStats {
    std::size_t runs = 0;
    double p50 = 0, p90 = 0, p99 = 0, mean = 0, min = 0, max = 0;
};
LatencyStats latencyStats(std::vector<double> samples_us);

// Uniform over each input's representable real range, seeded.
void setRandomInputs(Interpreter& interpreter, unsigned seed);

}  // namespace tm2::runtime
