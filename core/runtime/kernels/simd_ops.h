#pragma once
// The inner loops every hot kernel is built from, as a table of function
// pointers: a portable version, and AVX2 (x86-64) / NEON (aarch64) versions
// where the build and the CPU have them. Kernels take the table as a
// parameter so tests can run the portable and the optimised twins side by side.

#include <cstdint>

namespace tm2::runtime {

struct SimdOps {
    const char* name;
    // acc[i] += w · (in[i] − zero_point) for i < n.
    void (*accumulate_row)(std::int32_t* acc, const std::uint8_t* in, std::int32_t zero_point, std::int32_t w,
                           int n);
    // Σ (in[i] − zero_point) · w[i] for i < n.
    std::int32_t (*dot)(const std::uint8_t* in, std::int32_t zero_point, const std::int8_t* w, int n);
};

const SimdOps& portableSimdOps();
const SimdOps* avx2SimdOps();  // null unless built with AVX2 support and the CPU has it
const SimdOps* neonSimdOps();  // null unless built for aarch64
const SimdOps& bestSimdOps();  // NEON, else AVX2, else portable

}  // namespace tm2::runtime
