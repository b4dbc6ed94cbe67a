#include "core/runtime/frontend/dct.h"

#include <cmath>
#include <string>

#include "core/base/error.h"

namespace tm2::runtime {

std::vector<float> orthoDctMatrix(int n_out, int n_in) {
    if (n_in <= 0 || n_out <= 0 || n_out > n_in)
        throw Error("dct: need 0 < n_out <= n_in, got n_out " + std::to_string(n_out) + ", n_in " +
                    std::to_string(n_in));
    const double pi = std::acos(-1.0);
    std::vector<float> m(static_cast<std::size_t>(n_out) * n_in);
    for (int k = 0; k < n_out; ++k) {
        const double scale = std::sqrt((k == 0 ? 1.0 : 2.0) / n_in);
        for (int n = 0; n < n_in; ++n)
            m[static_cast<std::size_t>(k) * n_in + n] =
                static_cast<float>(scale * std::cos(pi * k * (2.0 * n + 1.0) / (2.0 * n_in)));
    }
    return m;
}

}  // namespace tm2::runtime
