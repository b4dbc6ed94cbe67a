#pragma once
// The width of a layer's output activations for its weight width: the same width
// (the paper's one width per layer), but never below 4 bits. A 2-bit layer keeps
// 4-bit activations (W2A4, as HAWQ-style 8/4/2 mixes keep activations at 4+): ReLU
// outputs on a 2-bit grid (three non-zero levels) would lose far more accuracy than
// the weights' Ω measures, and the ILP only sees Ω. Torch-free, so the ILP's cost
// formulas (core/quant) and the network (core/train) share this one rule.

namespace tm2::train {

constexpr int kMinActivationBits = 4;

// `weight_bits` 0 (float) → 8, as an unquantized layer's output is read at 8 bits.
constexpr int activationBitsFor(int weight_bits) {
    return weight_bits == 0 ? 8 : weight_bits < kMinActivationBits ? kMinActivationBits : weight_bits;
}

}  // namespace tm2::train
