#pragma once
// MFCC extraction. Output is frames × featureCount() (row = one frame), the
// layout librosa returns transposed. The computation is the runtime front-end's
// (core/runtime/frontend/mfcc.h), so training and the device share one code
// path; this wrapper returns the workbench's Tensor.

#include <vector>

#include "core/base/tensor.h"
#include "core/dsp/mfcc_config.h"
#include "core/runtime/frontend/mfcc.h"

namespace tm2::dsp {

class MfccExtractor {
public:
    explicit MfccExtractor(const MfccConfig& config);  // validates, precomputes window, filters, DCT

    const MfccConfig& config() const { return extractor_.config(); }
    // frames × featureCount(); an empty signal gives the frames its padding yields.
    // Safe from several threads (each call has its own FFT state).
    Tensor compute(const std::vector<float>& samples) const;
    // The mel filterbank, n_mels × (n_fft/2 + 1), for tests and plots.
    const Tensor& melFilterbank() const { return filterbank_; }

private:
    runtime::MfccExtractor extractor_;
    Tensor filterbank_;
};

// Convenience one-shot call.
Tensor computeMfcc(const std::vector<float>& samples, const MfccConfig& config);

}  // namespace tm2::dsp
