#pragma once
// What a spec asks of memory when LibTorch trains it, estimated from its shapes
// before anything is allocated, so a 2^31-wide fc or 100k channels fail with the
// layer's name instead of "DefaultCPUAllocator: not enough memory".
// Per layer, in float32 bytes:
//   parameters  (weights + bias) · 4 bytes · 4 copies (value, gradient, Adam's two moments)
//   activations output elements · batch · 4 bytes · 2 (kept for backward, and its gradient)
// plus every branch's input at the batch. An estimate, not an allocator: LibTorch's
// workspaces come on top, which is why the default budget leaves room below a 8 GB machine.

#include <cstdint>
#include <string>

#include "core/model/model_spec.h"

namespace tm2::model {

constexpr std::int64_t kDefaultTrainingMemoryBudget = std::int64_t{4} << 30;  // 4 GiB

struct TrainingMemory {
    std::int64_t parameter_bytes = 0;
    std::int64_t activation_bytes = 0;
    std::string largest_layer;  // the row of the cost table that needs the most
    std::int64_t largest_layer_bytes = 0;
    std::int64_t total() const;
};

// Throws tm2::Error when the spec's shapes are inconsistent (as inferShapes) or a
// figure would leave the 64-bit range (then naming the layer).
TrainingMemory estimateTrainingMemory(const ModelSpec& spec, int batch_size);

// Throws tm2::Error naming the largest layer, the estimate and the budget when the
// estimate exceeds `budget_bytes`; `budget_option` says how to raise it.
void checkTrainingMemory(const ModelSpec& spec, int batch_size, std::int64_t budget_bytes,
                         const std::string& budget_option);

}  // namespace tm2::model
