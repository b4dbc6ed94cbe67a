#pragma once
// Multiply-accumulates per op, from the shapes in the .tmn graph (the format
// does not store them). Pooling, concat and reshape count as zero MACs. One
// count for tinym2net-bench, the workbench's benchmark and its target view.

#include <cstdint>

#include "core/runtime/model_format.h"

namespace tm2::runtime {

std::uint64_t opMacs(const Model& model, const Op& op);
std::uint64_t modelMacs(const Model& model);

}  // namespace tm2::runtime
