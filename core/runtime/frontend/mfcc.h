#pragma once
// MFCC extraction (librosa conventions, see mfcc_config.h) with KissFFT and the
// standard library only. Output is frames × featureCount() row-major (row = one
// frame), the layout librosa returns transposed.

#include <cstddef>
#include <memory>
#include <vector>

#include "core/runtime/frontend/mfcc_config.h"

namespace tm2::runtime {

// FFT state and scratch for one thread's MFCC calls. Reused across calls, so a
// steady stream of same-length windows allocates nothing after the first.
class MfccWorkspace {
public:
    MfccWorkspace();
    ~MfccWorkspace();
    MfccWorkspace(MfccWorkspace&&) noexcept;
    MfccWorkspace& operator=(MfccWorkspace&&) noexcept;

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
