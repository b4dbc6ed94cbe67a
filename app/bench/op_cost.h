#pragma once
// Multiply-accumulates per op, from the shapes in the .tmn graph (the format
// does not store them). Pooling, concat and reshape count as zero MACs.

#include <cstdint>

#include "core/runtime/model_format.h"

namespace tm2::bench {

std::uint64_t opMacs(const runtime::Model& model, const runtime::Op& op);
std::uint64_t modelMacs(const runtime::Model& model);

}  // namespace tm2::bench
