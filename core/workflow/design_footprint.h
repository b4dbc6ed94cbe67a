#pragma once
// A network's device footprint before it is trained or exported: weights and
// biases at INT8, MACs, the runtime's op count, and an arena *estimate* that
// plans the INT8 activations the way the runtime plans them (planArena, same
// lifetimes: an op's input and output live together, each branch's features
// live until the fusion reads them) but without the kernels' scratch, which
// depends on the SIMD path. Once a model is exported, its planned arena
// replaces this estimate.

#include <optional>
#include <string>

#include "core/device/target_device.h"
#include "core/model/model_spec.h"

namespace tm2::workflow {

// `spec` must be bound (inputs and num_classes set); throws tm2::Error from
// shape inference otherwise.
device::ModelFootprint designFootprint(const model::ModelSpec& spec);

// The same with the weights at a plan's widths: `weight_bytes` replaces the INT8
// weights (biases stay int32).
device::ModelFootprint planFootprint(const model::ModelSpec& spec, std::int64_t weight_bytes,
                                     const std::string& plan_name);

// An exported .tmn on `target`: its file size, its MACs and op count, and the
// arena the runtime plans for the kernels that target runs (this machine: the
// best SIMD path here; every other target: the portable kernels, as on a
// microcontroller). `measured_latency_us`, when given, was measured on `target`.
// Throws tm2::Error naming the file when it cannot be read.
device::ModelFootprint exportedFootprint(const std::string& tmn_path, const device::TargetDevice& target,
                                         std::optional<double> measured_latency_us = std::nullopt);

}  // namespace tm2::workflow
