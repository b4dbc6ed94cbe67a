#include "core/runtime/kernels/kernels.h"

namespace tm2::runtime {

// A table per code (validateModel checks it covers the input's code range), so a
// nonlinearity such as the gate's sigmoid costs one load per element.
void lookupCodes(const std::uint8_t* in, int count, const std::int32_t* table, std::uint8_t* out) {
    for (int i = 0; i < count; ++i) out[i] = static_cast<std::uint8_t>(table[in[i]]);
}

}  // namespace tm2::runtime
