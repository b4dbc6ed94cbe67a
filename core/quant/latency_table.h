#pragma once
// A measured per-layer latency table (what `tinym2net-bench --latency-table`
// writes) and its use as the ILP's latency constraint, as in HAWQ-V3: each
// weight layer's time at each bit width on the target machine, and a budget
// Σ latency_i(b_i) ≤ L for the whole network.
//
// JSON: {"unit": "us",
//        "layers": {"image.0.conv2d": {"4": 12.5, "8": 13.0}, …},   weight layers, by quantizer name
//        "other_ops_us": 4.0, …}                                      pooling/reshape/concat: any width
// Other fields (machine, kernel path, models) are kept for the reader and ignored here.

#include <map>
#include <nlohmann/json_fwd.hpp>
#include <string>

#include "core/quant/bit_allocation.h"

namespace tm2::quant {

struct LatencyTable {
    std::map<std::string, std::map<int, double>> layers;  // layer → bit width → µs
    double other_ops_us = 0;                              // ops without weights: the same at every width
    std::string origin;                                   // file name, for messages
};

// Strict reading: errors name `origin` and the JSON field ("t.json: layers.fc.4: expected a number …").
LatencyTable latencyTableFromJson(const nlohmann::json& j, const std::string& origin);
LatencyTable readLatencyTable(const std::string& path);

// Gives every layer of `problem` its latency_us at each candidate width (and
// its pinned width) and sets latency_us_max = network_budget_us − other_ops_us,
// since the ops without weights take their time whatever the bits. Throws
// tm2::Error naming the layer or width the table lacks, or when the budget
// does not even cover the ops without weights.
void applyLatencyTable(const LatencyTable& table, double network_budget_us, BitAllocationProblem& problem);

}  // namespace tm2::quant
