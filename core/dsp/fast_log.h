#pragma once
// The vectorisable natural log lives in the runtime's MFCC front-end; dsp re-exports it.

#include "core/runtime/frontend/fast_log.h"

namespace tm2::dsp {
using runtime::floatBits;
using runtime::lnOfFloatBits;
}  // namespace tm2::dsp
