#include "core/dsp/resample.h"

#include <samplerate.h>

#include <cmath>
#include <string>

#include "core/base/error.h"

namespace tm2::dsp {

namespace {
int converterFor(ResampleQuality quality) {
    switch (quality) {
        case ResampleQuality::Best:
            return SRC_SINC_BEST_QUALITY;
        case ResampleQuality::Fastest:
            return SRC_SINC_FASTEST;
        case ResampleQuality::Medium:
            break;
    }
    return SRC_SINC_MEDIUM_QUALITY;
}
}  // namespace

std::vector<float> resample(const std::vector<float>& samples, int from_rate, int to_rate,
                            ResampleQuality quality) {
    if (from_rate <= 0) throw Error("resample: from_rate must be > 0, got " + std::to_string(from_rate));
    if (to_rate <= 0) throw Error("resample: to_rate must be > 0, got " + std::to_string(to_rate));
    const double ratio = static_cast<double>(to_rate) / from_rate;
    // libsamplerate's own limit (SRC_MAX_RATIO = 256).
    if (ratio > 256.0 || ratio < 1.0 / 256.0)
        throw Error("resample: ratio " + std::to_string(to_rate) + "/" + std::to_string(from_rate) +
                    " is outside libsamplerate's 1/256 .. 256");
    if (from_rate == to_rate || samples.empty()) return samples;

    // The length a caller expects; libsamplerate may emit a sample more or less.
    const auto expected = static_cast<std::size_t>(std::llround(static_cast<double>(samples.size()) * ratio));
    std::vector<float> out(expected + 16);
    SRC_DATA data{};
    data.data_in = samples.data();
    data.input_frames = static_cast<long>(samples.size());
    data.data_out = out.data();
    data.output_frames = static_cast<long>(out.size());
    data.src_ratio = ratio;
    const int rc = src_simple(&data, converterFor(quality), 1);
    if (rc != 0) throw Error(std::string("resample: libsamplerate failed: ") + src_strerror(rc));
    out.resize(static_cast<std::size_t>(data.output_frames_gen));
    // Pin the length to round(n · ratio) so callers can rely on it; the tail is
    // the converter's flush, a zero here or there is inaudible.
    out.resize(expected, 0.0f);
    return out;
}

}  // namespace tm2::dsp
