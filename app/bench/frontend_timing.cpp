#include "app/bench/frontend_timing.h"

#include <chrono>

#include "core/base/error.h"
#include "core/runtime/frontend/audio_frontend.h"
#include "core/runtime/frontend/wav_reader.h"

namespace tm2::bench {

FrontendTiming timeAudioFrontend(runtime::Interpreter& interpreter, const std::string& wav_path, int warmup,
                                 int runs) {
    const runtime::Model& model = interpreter.model();
    const std::vector<std::string> modalities = runtime::audioInputs(model);
    if (modalities.empty())
        throw Error(wav_path +
                    ": --audio needs a model with an audio input and its front-end settings "
                    "(exported from a training run)");
    const runtime::WavAudio wav = runtime::readWav(wav_path);

    FrontendTiming timing;
    timing.audio = wav_path;
    timing.audio_samples = wav.samples.size();
    std::vector<runtime::AudioFrontend> fronts;
    std::vector<std::size_t> input_index;
    for (const std::string& modality : modalities) {
        fronts.push_back(runtime::AudioFrontend::forModel(model, modality));
        const runtime::AudioFrontendConfig& c = fronts.back().config();
        if (c.sample_rate != wav.sample_rate)
            throw Error(wav_path + ": recorded at " + std::to_string(wav.sample_rate) + " Hz, the model's '" +
                        modality + "' input expects " + std::to_string(c.sample_rate) +
                        " Hz (resample it first)");
        for (std::size_t i = 0; i < model.inputs.size(); ++i)
            if (model.inputs[i].modality == modality) input_index.push_back(i);
        const auto shape = fronts.back().outputShape();
        timing.inputs.push_back({modality, c.window_s, c.sample_rate, shape[0], shape[1], shape[2]});
    }

    std::vector<std::vector<float>> features(fronts.size());
    for (std::size_t f = 0; f < fronts.size(); ++f) features[f].resize(fronts[f].outputElements());
    auto pass = [&] {
        for (std::size_t f = 0; f < fronts.size(); ++f)
            fronts[f].process(wav.samples.data(), wav.samples.size(), features[f].data());
    };
    auto setInputs = [&] {
        for (std::size_t f = 0; f < fronts.size(); ++f)
            interpreter.setInput(input_index[f], features[f].data(), features[f].size());
    };
    auto timed = [&](auto&& work) {
        for (int r = 0; r < warmup; ++r) work();
        std::vector<double> us;
        us.reserve(static_cast<std::size_t>(runs));
        for (int r = 0; r < runs; ++r) {
            const auto start = std::chrono::steady_clock::now();
            work();
            us.push_back(
                std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start).count());
        }
        return runtime::latencyStats(std::move(us));
    };
    timing.mfcc_kernel = fronts.front().mfccKernelName();
    timing.latency = timed(pass);
    // Its own loop rather than the sum of the two medians: a device runs them back to
    // back, with the front-end's buffers and the network's arena competing for cache.
    timing.end_to_end = timed([&] {
        pass();
        setInputs();
        interpreter.invoke();
    });
    setInputs();
    return timing;
}

}  // namespace tm2::bench
