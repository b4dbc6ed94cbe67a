#pragma once
// MFCC settings: the struct is the runtime front-end's (core/runtime/frontend/
// mfcc_config.h, standard library only); this header adds its JSON form.

#include <nlohmann/json_fwd.hpp>

#include "core/runtime/frontend/mfcc_config.h"

namespace tm2::runtime {
// Declared in the struct's namespace so nlohmann finds them by ADL; defined in
// core/dsp because the runtime does not depend on nlohmann-json.
void to_json(nlohmann::json& j, const MfccConfig& c);
void from_json(const nlohmann::json& j, MfccConfig& c);  // missing keys keep defaults
}  // namespace tm2::runtime

namespace tm2::dsp {
using runtime::LogKind;
using runtime::MelScale;
using runtime::MfccConfig;
using runtime::WindowKind;
using runtime::from_json;
using runtime::to_json;
}  // namespace tm2::dsp
