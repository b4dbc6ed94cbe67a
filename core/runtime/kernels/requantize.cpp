#include "core/runtime/kernels/requantize.h"

#include <cmath>
#include <string>

#include "core/base/error.h"

namespace tm2::runtime {

Dyadic toDyadic(double real) {
    if (!(real >= 0) || real >= 1073741824.0)
        throw Error("requantization multiplier " + std::to_string(real) + " is not in [0, 2^30)");
    if (real == 0) return {0, 62};
    int exponent = 0;
    const double mantissa = std::frexp(real, &exponent);  // real = mantissa · 2^exponent, mantissa ∈ [0.5, 1)
    auto m = static_cast<std::int64_t>(std::llround(mantissa * 2147483648.0));
    if (m == (std::int64_t{1} << 31)) {  // rounding reached 1.0
        m >>= 1;
        ++exponent;
    }
    int shift = 31 - exponent;
    while (shift > 62) {  // too small for the shift range: drop precision, not magnitude
        m >>= 1;
        --shift;
    }
    if (m == 0) return {0, 62};
    return {static_cast<std::int32_t>(m), shift};
}

}  // namespace tm2::runtime
