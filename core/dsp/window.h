#pragma once
// Analysis windows live in the runtime's MFCC front-end; dsp re-exports them.

#include "core/dsp/mfcc_config.h"
#include "core/runtime/frontend/window.h"

namespace tm2::dsp {
using runtime::centredWindow;
using runtime::periodicWindow;
}  // namespace tm2::dsp
