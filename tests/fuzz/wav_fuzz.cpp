// libFuzzer target for both WAV readers: the runtime's bounds-checked parser
// (core/runtime/frontend/wav_reader.cpp, what the device runs) and the
// workbench's libsndfile decoder (core/data/audio_decoder.cpp, what training
// reads; it takes a path, so the bytes go through a temp file). Each must
// accept the bytes or throw tm2::Error; accepted audio is mono in [-1, 1]
// with a plausible rate. Seeds: tests/fuzz/wav_corpus.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "core/base/error.h"
#include "core/data/audio_decoder.h"
#include "core/runtime/frontend/wav_reader.h"
#include "tests/fuzz/fuzz_input_file.h"

namespace {

void checkSamples(const std::vector<float>& samples) {
    for (float v : samples)
        if (!(v >= -1.0f && v <= 1.0f)) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    try {
        const tm2::runtime::WavAudio wav = tm2::runtime::parseWav(data, size, "fuzz.wav");
        if (wav.sample_rate < 1 || wav.source_channels < 1) std::abort();
        checkSamples(wav.samples);
    } catch (const tm2::Error&) {
    }
    try {
        const tm2::data::AudioClip clip =
            tm2::data::decodeAudio(tm2::fuzz::writeInputFile(data, size, ".wav"));
        if (clip.samples.empty() || clip.sample_rate < 1 || clip.source_channels < 1) std::abort();
        checkSamples(clip.samples);
    } catch (const tm2::Error&) {
    }
    return 0;
}
