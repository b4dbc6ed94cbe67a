#pragma once
// The per-layer latency table the quantizer's ILP takes as its latency
// constraint (core/quant/latency_table.h): each weight layer's p50 time at each
// bit width, from the per-op timings of exports of one network at different
// widths (e.g. INT8 and INT4), plus the time of the ops without weights.

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/runtime/bench_support.h"
#include "core/runtime/model_format.h"

namespace tm2::bench {

struct TimedModel {
    std::string path;
    const runtime::Model* model = nullptr;
    std::vector<runtime::LatencyStats> ops;  // per op, in model order
};

// {"unit":"us","statistic":"p50","layers":{name:{"4":µs,"8":µs}},"other_ops":{name:µs},"other_ops_us":Σ,…}.
// Op names of weight layers are the quantizer's layer names (the exporter
// names each op after its QuantizableLayer). A width measured in several
// models is averaged. Throws tm2::Error when the models are not the same
// network (op names differ) or a layer lacks a width that others have.
nlohmann::json latencyTableJson(const std::vector<TimedModel>& models);

}  // namespace tm2::bench
