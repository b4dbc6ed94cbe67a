#pragma once
// The fixed-point front-end's part of a microcontroller project: frontend_data.h
// (always; TM2_FIXED_FRONTEND says whether the rest exists), frontend_data.c (one
// tm2_fixed_mfcc_plan per audio input: its const tables) and example_audio.c (the
// int16 samples the example feeds each audio input).

#include <string>
#include <vector>

#include "core/export/mcu/mcu_export.h"
#include "core/runtime/model_format.h"

namespace tm2::mcu {

struct McuFrontendFiles {
    bool fixed = false;
    std::string note;  // why there is no front-end, when the model has audio inputs
    std::string header, data_source, audio_source;
    std::vector<McuFrontendInput> inputs;
};

// Throws tm2::Error when options ask for the fixed front-end and the model cannot
// have it, or an example WAV is unreadable or at another sample rate.
McuFrontendFiles mcuFrontendFiles(const runtime::Model& model, const McuExportOptions& options);

}  // namespace tm2::mcu
