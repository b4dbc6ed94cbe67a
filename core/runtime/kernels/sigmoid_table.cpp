#include "core/runtime/kernels/sigmoid_table.h"

#include <algorithm>
#include <cmath>

namespace tm2::runtime {

std::vector<std::int32_t> sigmoidTable(double scale, std::int32_t zero_point, int levels) {
    std::vector<std::int32_t> table(static_cast<std::size_t>(levels) + 1);
    for (int q = 0; q <= levels; ++q) {
        const double x = scale * static_cast<double>(q - zero_point);
        const double code = std::round(255.0 / (1.0 + std::exp(-x)));
        table[static_cast<std::size_t>(q)] = static_cast<std::int32_t>(std::clamp(code, 0.0, 255.0));
    }
    return table;
}

}  // namespace tm2::runtime
