#include "core/runtime/frontend/mfcc_plan.h"

#include <cmath>
#include <string>

#include "core/base/error.h"
#include "core/runtime/frontend/mel_filterbank.h"

namespace tm2::runtime {

bool batchedFftSupports(int n_fft) { return n_fft >= 8 && (n_fft & (n_fft - 1)) == 0; }

MfccPlan makeMfccPlan(const MfccConfig& config, const std::vector<float>& window,
                      const std::vector<float>& filterbank) {
    if (!batchedFftSupports(config.n_fft))
        throw Error("mfcc: the batched FFT needs a power-of-two n_fft >= 8, got " +
                    std::to_string(config.n_fft));
    MfccPlan plan;
    plan.n_fft = config.n_fft;
    plan.half = config.n_fft / 2;
    plan.hop = config.hop_length;
    plan.pad = config.center ? config.n_fft / 2 : 0;
    plan.win_lo = (config.n_fft - config.effectiveWinLength()) / 2;
    plan.win_hi = plan.win_lo + config.effectiveWinLength();
    plan.window = window;
    plan.power = config.power;
    plan.n_mels = config.n_mels;

    // Twiddles in double, rounded once to float: each is as close as float allows.
    const double pi = std::acos(-1.0);
    for (int n = plan.half; n >= 4; n /= 4) {
        for (int p = 0; p < n / 4; ++p)
            for (int mult = 1; mult <= 3; ++mult) {
                const double angle = -2.0 * pi * mult * p / n;
                plan.stage_twiddles.push_back(static_cast<float>(std::cos(angle)));
                plan.stage_twiddles.push_back(static_cast<float>(std::sin(angle)));
            }
    }
    for (int k = 0; k < plan.half; ++k) {
        const double angle = -2.0 * pi * k / plan.n_fft;
        plan.split_twiddles.push_back(static_cast<float>(std::cos(angle)));
        plan.split_twiddles.push_back(static_cast<float>(std::sin(angle)));
    }

    const std::size_t bins = static_cast<std::size_t>(plan.half) + 1;
    for (const SparseMelFilter& f :
         sparseFilters(filterbank, static_cast<std::size_t>(config.n_mels), bins)) {
        plan.first.push_back(f.first_bin);
        plan.count.push_back(static_cast<int>(f.weights.size()));
        plan.offset.push_back(static_cast<int>(plan.weights.size()));
        plan.weights.insert(plan.weights.end(), f.weights.begin(), f.weights.end());
    }
    return plan;
}

}  // namespace tm2::runtime
