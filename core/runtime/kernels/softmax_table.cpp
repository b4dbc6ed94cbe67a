#include "core/runtime/kernels/softmax_table.h"

#include <cmath>

namespace tm2::runtime {

std::vector<std::int32_t> softmaxTable(double scale, int levels) {
    std::vector<std::int32_t> table(static_cast<std::size_t>(levels) + 1);
    for (int d = 0; d <= levels; ++d)
        table[static_cast<std::size_t>(d)] =
            static_cast<std::int32_t>(std::round(kSoftmaxOne * std::exp(-scale * static_cast<double>(d))));
    return table;
}

}  // namespace tm2::runtime
