#pragma once
// The integer sigmoid of gated fusion: a table from the gate's b-bit input codes
// to 8-bit codes of σ on the fixed grid [0, 1] (scale 1/255, zero point 0). The
// exporter builds it and stores it in the Lookup op; the integer-exact
// simulation builds the very same table, so the two agree code for code.

#include <cstdint>
#include <vector>

namespace tm2::runtime {

// Scale of the sigmoid's output codes: z = code / 255.
constexpr double kSigmoidScale = 1.0 / 255.0;

// table[q] = round(255 · σ(scale · (q − zero_point))) for q in 0..levels (levels + 1 entries).
std::vector<std::int32_t> sigmoidTable(double scale, std::int32_t zero_point, int levels);

}  // namespace tm2::runtime
