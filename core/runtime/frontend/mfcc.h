#pragma once
// MFCC extraction (librosa conventions, see mfcc_config.h) with KissFFT and the
// standard library only. Output is frames × featureCount() row-major (row = one
// frame), the layout librosa returns transposed.

#include <cstddef>
#include <memory>
#include <vector>

#include "core/runtime/frontend/mfcc_config.h"

namespace tm2::runtime {

// The inner loops compute() runs. Auto: the batched kernel this CPU runs
// fastest; every batched kernel (Scalar, Simd128, Avx2) gives the same bits, so
// the features do not depend on the machine's SIMD. KissFft: the per-frame
// KissFFT path, kept as the speed reference (bench/run_frontend_bench.sh); it
// differs from the batched kernels in float rounding only. An n_fft that is not
// a power of two always takes it.
enum class MfccPath { Auto, Scalar, Simd128, Avx2, KissFft };

// FFT state and scratch for one thread's MFCC calls. Reused across calls, so a
// steady stream of same-length windows allocates nothing after the first.
class MfccWorkspace {
public:
    MfccWorkspace();
    ~MfccWorkspace();
    MfccWorkspace(MfccWorkspace&&) noexcept;
    MfccWorkspace& operator=(MfccWorkspace&&) noexcept;

    // For tests and benchmarks; Auto by default. compute() throws tm2::Error when
    // the chosen path is not available on this CPU or build.
    void setPath(MfccPath path);
    MfccPath path() const;

private:
    friend class MfccExtractor;
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

class MfccExtractor {
public:
    explicit MfccExtractor(const MfccConfig& config);  // validates, precomputes window, filters, DCT
    ~MfccExtractor();
    MfccExtractor(MfccExtractor&&) noexcept;
    MfccExtractor& operator=(MfccExtractor&&) noexcept;

    const MfccConfig& config() const;
    // The mel filterbank, row-major n_mels × (n_fft/2 + 1), for tests and plots.
    const std::vector<float>& melFilterbank() const;
    // The inner loops compute() runs for `path` here ("avx2", "sse2", "neon", "scalar", "kissfft").
    const char* kernelName(MfccPath path = MfccPath::Auto) const;

    // frames × featureCount() floats into `out` (frameCount(count) rows); an
    // empty signal gives the frames its padding yields. Throws tm2::Error on
    // NaN or infinite samples. Safe from several threads with one workspace each.
    void compute(const float* samples, std::size_t count, MfccWorkspace& workspace, float* out) const;
    // Convenience: a fresh workspace, the result as a vector.
    std::vector<float> compute(const float* samples, std::size_t count) const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace tm2::runtime
