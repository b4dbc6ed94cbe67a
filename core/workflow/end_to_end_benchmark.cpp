#include "core/workflow/end_to_end_benchmark.h"

#include <algorithm>
#include <vector>

#include "core/base/error.h"
#include "core/runtime/frontend/audio_frontend.h"
#include "core/runtime/interpreter.h"
#include "core/workflow/benchmark_recording.h"
#include "core/workflow/local_benchmark.h"

namespace tm2::workflow {

EndToEndBenchmark runEndToEndBenchmark(const EndToEndBenchmarkOptions& o, const ProgressCallback& progress) {
    if (o.runs < 1)
        throw Error("Front-end vs network: runs " + std::to_string(o.runs) + " (must be at least 1)");
    EndToEndBenchmark b;
    b.model = o.model;
    b.runs = o.runs;
    runtime::Interpreter interpreter(runtime::readModel(o.model));
    const std::vector<std::string> audio = runtime::audioInputs(interpreter.model());
    if (audio.empty()) {
        b.note = "no audio front-end in " + o.model +
                 " (image inputs, or trained on given features): only the network runs on the device";
        return b;
    }
    runtime::setRandomInputs(interpreter, o.seed);  // image inputs keep random codes, as tinym2net-bench does

    BenchmarkRecording recording;
    if (!o.audio.empty()) {
        recording.audio = runtime::readWav(o.audio);
        recording.origin = o.audio;
        recording.source = "chosen recording " + o.audio;
    } else {
        const int rate = runtime::audioFrontendConfig(interpreter.model(), audio.front()).sample_rate;
        recording = firstTestRecording(o.dataset, audio.front(), rate);
    }
    b.timing =
        runtime::timeAudioPath(interpreter, recording.audio, recording.origin, o.warmup, o.runs,
                               [&progress](std::size_t done, std::size_t total) {
                                   // Every 16th pass: a callback per pass would cost more than a small
                                   // network.
                                   if (done % 16 == 0 || done == total)
                                       reportProgress(progress, {"front-end vs network", done, total, ""});
                               });
    b.has_frontend = true;
    b.note = recording.source;
    return b;
}

nlohmann::json toJson(const EndToEndBenchmark& b) {
    const runtime::AudioPathTiming& t = b.timing;
    auto stats = [&b](const LatencyStats& s) {
        return b.has_frontend ? latencyStatsToJson(s) : nlohmann::json(nullptr);
    };
    nlohmann::json inputs = nlohmann::json::array();
    for (const auto& in : t.inputs)
        inputs.push_back({{"modality", in.modality},
                          {"window_s", in.window_s},
                          {"sample_rate", in.sample_rate},
                          {"shape", {in.c, in.h, in.w}}});
    return {{"model", b.model},
            {"has_frontend", b.has_frontend},
            {"note", b.note},
            {"runs", b.runs},
            {"warmup", t.warmup},
            {"threads", b.threads},
            {"kernel", t.kernel_path},
            {"mfcc_kernel", t.mfcc_kernel},
            {"audio", t.audio},
            {"audio_samples", t.audio_samples},
            {"inputs", inputs},
            {"frontend", stats(t.frontend)},
            {"network", stats(t.network)},
            {"end_to_end", stats(t.end_to_end)}};
}

}  // namespace tm2::workflow
