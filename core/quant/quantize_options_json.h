#pragma once
// QuantizeOptions in a plan JSON: every option is recorded ("options"), and a
// bits-only plan replays the ones that shape the network besides its bits
// (calibration, fine-tuning, seed) when it is applied.

#include <nlohmann/json.hpp>
#include <string>

#include "core/quant/quantizer.h"

namespace tm2::quant {

nlohmann::json quantizeOptionsToJson(const QuantizeOptions& options);

// Sets the calibration and fine-tuning options present in `j` (the rest keep their
// values); errors name `origin`.options.<field>.
void readReplayOptions(const nlohmann::json& j, const std::string& origin, QuantizeOptions& options);

}  // namespace tm2::quant
