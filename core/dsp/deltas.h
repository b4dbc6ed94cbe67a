#pragma once
// librosa-style deltas live in the runtime's MFCC front-end; dsp re-exports them.

#include "core/runtime/frontend/deltas.h"

namespace tm2::dsp {
using runtime::savgolWeights;
using runtime::timeDeltas;
}  // namespace tm2::dsp
