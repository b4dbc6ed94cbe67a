#include "core/dsp/mfcc.h"

namespace tm2::dsp {

MfccExtractor::MfccExtractor(const MfccConfig& config) : extractor_(config) {
    const MfccConfig& c = extractor_.config();
    filterbank_ = Tensor({static_cast<std::size_t>(c.n_mels), static_cast<std::size_t>(c.n_fft) / 2 + 1});
    filterbank_.values = extractor_.melFilterbank();
}

Tensor MfccExtractor::compute(const std::vector<float>& samples) const {
    const MfccConfig& c = extractor_.config();
    c.checkSignalLength(static_cast<long long>(samples.size()));
    Tensor out({static_cast<std::size_t>(c.frameCount(static_cast<long long>(samples.size()))),
                static_cast<std::size_t>(c.featureCount())});
    runtime::MfccWorkspace workspace;
    extractor_.compute(samples.data(), samples.size(), workspace, out.values.data());
    return out;
}

Tensor computeMfcc(const std::vector<float>& samples, const MfccConfig& config) {
    return MfccExtractor(config).compute(samples);
}

}  // namespace tm2::dsp
