#include "core/runtime/kernels/kernels.h"
#include "core/runtime/kernels/softmax_table.h"

namespace tm2::runtime {

// B is the number of branches (2–3): a scalar loop is all it needs.
void softmaxCodes(const std::uint8_t* in, int count, const std::int32_t* table, std::uint8_t* out) {
    std::uint8_t top = 0;
    for (int i = 0; i < count; ++i) top = in[i] > top ? in[i] : top;
    std::int64_t sum = 0;
    for (int i = 0; i < count; ++i) sum += table[top - in[i]];
    for (int i = 0; i < count; ++i) out[i] = softmaxWeight(table[top - in[i]], sum);
}

}  // namespace tm2::runtime
