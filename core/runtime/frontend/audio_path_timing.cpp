#include "core/runtime/frontend/audio_path_timing.h"

#include <chrono>

#include "core/base/error.h"
#include "core/runtime/frontend/audio_frontend.h"

namespace tm2::runtime {

AudioPathTiming timeAudioPath(Interpreter& interpreter, const WavAudio& audio, const std::string& origin,
                              int warmup, int runs, const TimingTick& tick) {
    if (runs < 1) throw Error(origin + ": timed runs " + std::to_string(runs) + " (must be at least 1)");
    if (warmup < 0) warmup = 0;
    const Model& model = interpreter.model();
    const std::vector<std::string> modalities = audioInputs(model);
    if (modalities.empty())
        throw Error(origin +
                    ": timing the front-end needs a model with an audio input and its front-end settings "
                    "(exported from a training run)");

    AudioPathTiming timing;
    timing.audio = origin;
    timing.audio_samples = audio.samples.size();
    timing.kernel_path = interpreter.kernelPath();
    timing.warmup = warmup;
    std::vector<AudioFrontend> fronts;
    std::vector<std::size_t> input_index;
    for (const std::string& modality : modalities) {
        fronts.push_back(AudioFrontend::forModel(model, modality));
        const AudioFrontendConfig& c = fronts.back().config();
        if (c.sample_rate != audio.sample_rate)
            throw Error(origin + ": recorded at " + std::to_string(audio.sample_rate) + " Hz, the model's '" +
                        modality + "' input expects " + std::to_string(c.sample_rate) +
                        " Hz (resample it first)");
        for (std::size_t i = 0; i < model.inputs.size(); ++i)
            if (model.inputs[i].modality == modality) input_index.push_back(i);
        const auto shape = fronts.back().outputShape();
        timing.inputs.push_back({modality, c.window_s, c.sample_rate, shape[0], shape[1], shape[2]});
    }

    std::vector<std::vector<float>> features(fronts.size());
    for (std::size_t f = 0; f < fronts.size(); ++f) features[f].resize(fronts[f].outputElements());
    auto frontends = [&] {
        for (std::size_t f = 0; f < fronts.size(); ++f)
            fronts[f].process(audio.samples.data(), audio.samples.size(), features[f].data());
    };
    auto setInputs = [&] {
        for (std::size_t f = 0; f < fronts.size(); ++f)
            interpreter.setInput(input_index[f], features[f].data(), features[f].size());
    };
    const auto per_loop = static_cast<std::size_t>(warmup + runs);
    std::size_t done = 0;
    auto timed = [&](auto&& work) {
        for (int r = 0; r < warmup; ++r) {
            work();
            if (tick) tick(++done, 3 * per_loop);
        }
        std::vector<double> us;
        us.reserve(static_cast<std::size_t>(runs));
        for (int r = 0; r < runs; ++r) {
            const auto start = std::chrono::steady_clock::now();
            work();
            us.push_back(
                std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start).count());
            if (tick) tick(++done, 3 * per_loop);  // outside the timed span
        }
        return latencyStats(std::move(us));
    };
    timing.mfcc_kernel = fronts.front().mfccKernelName();
    timing.frontend = timed(frontends);
    setInputs();  // the network then runs on the recording's features, not random codes
    timing.network = timed([&] { interpreter.invoke(); });
    timing.end_to_end = timed([&] {
        frontends();
        setInputs();
        interpreter.invoke();
    });
    return timing;
}

AudioPathTiming timeAudioPath(Interpreter& interpreter, const std::string& wav_path, int warmup, int runs,
                              const TimingTick& tick) {
    return timeAudioPath(interpreter, readWav(wav_path), wav_path, warmup, runs, tick);
}

}  // namespace tm2::runtime
