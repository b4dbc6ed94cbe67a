#include "core/dsp/mel_filterbank.h"

namespace tm2::dsp {

Tensor melFilterbank(const MfccConfig& config) {
    Tensor fb({static_cast<std::size_t>(config.n_mels), static_cast<std::size_t>(config.n_fft) / 2 + 1});
    fb.values = runtime::melFilterbankWeights(config);
    return fb;
}

std::vector<SparseMelFilter> sparseFilters(const Tensor& filterbank) {
    return runtime::sparseFilters(filterbank.values, filterbank.shape[0], filterbank.shape[1]);
}

}  // namespace tm2::dsp
