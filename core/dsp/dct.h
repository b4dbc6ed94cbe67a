#pragma once
// The DCT-II matrix lives in the runtime's MFCC front-end; dsp re-exports it.

#include "core/runtime/frontend/dct.h"

namespace tm2::dsp {
using runtime::orthoDctMatrix;
}  // namespace tm2::dsp
