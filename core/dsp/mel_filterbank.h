#pragma once
// Mel filterbank exactly as librosa.filters.mel. The computation lives in the
// runtime's MFCC front-end (core/runtime/frontend/mel_filterbank.h); dsp adds
// the Tensor forms the workbench and its tests use.

#include <vector>

#include "core/base/tensor.h"
#include "core/dsp/mfcc_config.h"
#include "core/runtime/frontend/mel_filterbank.h"

namespace tm2::dsp {

using runtime::hzToMel;
using runtime::melToHz;
using runtime::SparseMelFilter;

// n_mels × (n_fft/2 + 1), computed in double, stored as float (librosa's dtype).
Tensor melFilterbank(const MfccConfig& config);

// Drops the zero bins at both ends of each row of a dense filterbank.
std::vector<SparseMelFilter> sparseFilters(const Tensor& filterbank);

}  // namespace tm2::dsp
