#include "core/model/training_memory.h"

#include <cstdio>

#include "core/base/error.h"
#include "core/model/cost_table.h"
#include "core/model/shape_inference.h"

namespace tm2::model {

namespace {

constexpr std::int64_t kFloatBytes = 4;
constexpr std::int64_t kParameterCopies = 4;   // value, gradient, Adam m and v
constexpr std::int64_t kActivationCopies = 2;  // output kept for backward, its gradient

std::int64_t mul(std::int64_t a, std::int64_t b, const std::string& layer) {
    std::int64_t out = 0;
    if (__builtin_mul_overflow(a, b, &out)) throw Error(layer + ": training memory exceeds the 64-bit range");
    return out;
}

std::int64_t add(std::int64_t a, std::int64_t b, const std::string& layer) {
    std::int64_t out = 0;
    if (__builtin_add_overflow(a, b, &out)) throw Error(layer + ": training memory exceeds the 64-bit range");
    return out;
}

std::string gib(std::int64_t bytes) {
    char text[32];
    if (bytes < (std::int64_t{1} << 30))
        std::snprintf(text, sizeof text, "%.1f MiB", static_cast<double>(bytes) / (1 << 20));
    else
        std::snprintf(text, sizeof text, "%.1f GiB", static_cast<double>(bytes) / (1 << 30));
    return text;
}

}  // namespace

std::int64_t TrainingMemory::total() const { return add(parameter_bytes, activation_bytes, "model"); }

TrainingMemory estimateTrainingMemory(const ModelSpec& spec, int batch_size) {
    if (batch_size < 1)
        throw Error("training memory: batch size must be >= 1, got " + std::to_string(batch_size));
    const CostTable table = computeCostTable(inferShapes(spec), spec);
    TrainingMemory m;
    for (const BranchSpec& b : spec.branches) {
        std::int64_t elements = 1;
        for (std::size_t d : b.input) elements = mul(elements, static_cast<std::int64_t>(d), b.modality);
        m.activation_bytes =
            add(m.activation_bytes, mul(mul(elements, batch_size, b.modality), kFloatBytes, b.modality),
                b.modality);
    }
    for (const LayerCost& l : table.layers) {
        const std::int64_t parameters =
            mul(add(l.params, l.bias, l.name), kFloatBytes * kParameterCopies, l.name);
        const std::int64_t activations =
            mul(mul(l.output_elements, batch_size, l.name), kFloatBytes * kActivationCopies, l.name);
        m.parameter_bytes = add(m.parameter_bytes, parameters, l.name);
        m.activation_bytes = add(m.activation_bytes, activations, l.name);
        const std::int64_t layer = add(parameters, activations, l.name);
        if (layer > m.largest_layer_bytes) m.largest_layer = l.name, m.largest_layer_bytes = layer;
    }
    m.total();  // throws if the sum leaves the range
    return m;
}

void checkTrainingMemory(const ModelSpec& spec, int batch_size, std::int64_t budget_bytes,
                         const std::string& budget_option) {
    const TrainingMemory m = estimateTrainingMemory(spec, batch_size);
    if (m.total() <= budget_bytes) return;
    throw Error("model '" + spec.name + "' needs about " + gib(m.total()) + " to train at batch " +
                std::to_string(batch_size) + " (parameters " + gib(m.parameter_bytes) + ", activations " +
                gib(m.activation_bytes) + "), more than the budget of " + gib(budget_bytes) + " (" +
                budget_option + "); layer '" + m.largest_layer + "' alone needs " +
                gib(m.largest_layer_bytes) + ": make it smaller or lower the batch size");
}

}  // namespace tm2::model
