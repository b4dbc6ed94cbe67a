#pragma once
// The integer softmax of attention fusion (train/attention_fusion.h): B score codes
// q_b on one grid (scale s) become B weights on the fixed grid [0, 1] (scale 1/255,
// zero point 0, 8 bits), as the runtime's Softmax op and the integer-exact reference
// both compute them:
//   e_b = table[q_max − q_b],   table[d] = round(2^15 · exp(−s · d))
//   α_b = floor((510 · e_b + Σe) / (2 · Σe))      (255 · e_b / Σe, ties toward +∞)
// Subtracting q_max first makes the largest term exactly 2^15, so Σe ≥ 2^15 and the
// table needs one entry per code distance (2^bits); the zero point cancels.

#include <cstdint>
#include <vector>

namespace tm2::runtime {

constexpr double kSoftmaxScale = 1.0 / 255.0;  // α = code / 255
constexpr std::int32_t kSoftmaxOne = 1 << 15;  // table[0]: exp(0) in the table's fixed point

// table[d] = round(2^15 · exp(−scale · d)) for d in 0..levels (levels + 1 entries).
std::vector<std::int32_t> softmaxTable(double scale, int levels);

// 255 · e / sum rounded half up, for 0 ≤ e ≤ sum, sum > 0.
inline std::uint8_t softmaxWeight(std::int64_t e, std::int64_t sum) {
    return static_cast<std::uint8_t>((510 * e + sum) / (2 * sum));
}

}  // namespace tm2::runtime
