#pragma once
// MFCC extraction. Output is frames × featureCount() (row = one frame), the
// layout librosa returns transposed.

#include <memory>
#include <vector>

#include "core/base/tensor.h"
#include "core/dsp/mfcc_config.h"

namespace tm2::dsp {

class MfccExtractor {
public:
    explicit MfccExtractor(const MfccConfig& config);  // validates, precomputes window, filters, DCT
    ~MfccExtractor();
    MfccExtractor(MfccExtractor&&) noexcept;
    MfccExtractor& operator=(MfccExtractor&&) noexcept;

    const MfccConfig& config() const;
    // frames × featureCount(); an empty signal gives the frames its padding yields.
    Tensor compute(const std::vector<float>& samples) const;
    // The mel filterbank, n_mels × (n_fft/2 + 1), for tests and plots.
    const Tensor& melFilterbank() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// Convenience one-shot call.
Tensor computeMfcc(const std::vector<float>& samples, const MfccConfig& config);

}  // namespace tm2::dsp
