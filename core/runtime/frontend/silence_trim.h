#pragma once
// Leading/trailing silence detection shared by training (core/data) and the
// device, so both cut a recording at the same sample.

#include <cstddef>

namespace tm2::runtime {

struct SampleRange {
    std::size_t begin = 0;
    std::size_t end = 0;  // exclusive; begin == end: silent throughout
};

// The span from the first to the last loud 10 ms frame (RMS >= trim_db dBFS).
// Throws tm2::Error when sample_rate <= 0.
SampleRange nonSilentRange(const float* samples, std::size_t count, int sample_rate, double trim_db);

}  // namespace tm2::runtime
