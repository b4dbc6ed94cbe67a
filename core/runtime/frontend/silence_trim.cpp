#include "core/runtime/frontend/silence_trim.h"

#include <algorithm>
#include <cmath>

#include "core/base/error.h"

namespace tm2::runtime {

SampleRange nonSilentRange(const float* samples, std::size_t count, int sample_rate, double trim_db) {
    if (sample_rate <= 0) throw Error("trimSilence: sample rate must be > 0");
    const std::size_t frame = static_cast<std::size_t>(std::max(1, sample_rate / 100));  // 10 ms
    const double threshold = std::pow(10.0, trim_db / 20.0);                             // dBFS -> amplitude
    const std::size_t frames = (count + frame - 1) / frame;
    auto loud = [&](std::size_t f) {
        const std::size_t begin = f * frame;
        const std::size_t end = std::min(count, begin + frame);
        double sum = 0.0;
        for (std::size_t i = begin; i < end; ++i) sum += static_cast<double>(samples[i]) * samples[i];
        return std::sqrt(sum / static_cast<double>(end - begin)) >= threshold;
    };
    std::size_t first = 0;
    while (first < frames && !loud(first)) ++first;
    if (first == frames) return {};
    std::size_t last = frames - 1;
    while (last > first && !loud(last)) --last;
    return {first * frame, std::min(count, (last + 1) * frame)};
}

}  // namespace tm2::runtime
