#pragma once
// The tick step charts use: the smallest 1, 2 or 5 × 10^k that is at least `raw`
// (raw ≤ 0 or not finite gives 1).

#include <cmath>

namespace tm2::gui {

inline double niceStep(double raw) {
    if (!(raw > 0) || !std::isfinite(raw)) return 1;
    const double decade = std::pow(10.0, std::floor(std::log10(raw)));
    for (const double step : {1.0, 2.0, 5.0, 10.0})
        if (step * decade >= raw * (1 - 1e-12)) return step * decade;
    return 10 * decade;
}

}  // namespace tm2::gui
