#pragma once
// The Pareto sweep on Hessian traces already estimated: a mixed-precision run of
// the same network with the same probe settings saved them in its result, so
// the sweep solves its ILPs and measures each plan without probing again.

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/quant/quantizer.h"

namespace tm2::quant {

// paretoSweep with `traces` given (one per quantizable layer, network order).
std::vector<ParetoPoint> paretoSweepWithTraces(train::MultimodalNet& net, const train::TrainingData& data,
                                               const std::vector<std::size_t>& input_order,
                                               const QuantizeOptions& options, int points,
                                               const HessianTraces& traces,
                                               const ProgressCallback& progress = {});

// The traces a mixed-precision result saved (reportToJson's "layers" with hessian_trace…,
// and "hessian"); errors name `origin` and the field.
HessianTraces tracesFromResult(const nlohmann::json& result, const std::string& origin);

}  // namespace tm2::quant
