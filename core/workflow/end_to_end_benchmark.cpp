#include "core/workflow/end_to_end_benchmark.h"

#include <algorithm>
#include <vector>

#include "core/base/error.h"
#include "core/data/audio_decoder.h"
#include "core/dsp/resample.h"
#include "core/runtime/frontend/audio_frontend.h"
#include "core/runtime/interpreter.h"
#include "core/workflow/local_benchmark.h"

namespace tm2::workflow {

namespace {

struct Recording {
    runtime::WavAudio audio;
    std::string origin;  // the file, as messages and the result name it
    std::string source;  // how it was chosen, for the note
};

// The first test-split sample's recording of `modality`, decoded by libsndfile and
// resampled to `sample_rate` as training did (the front-end's cost depends on the
// window, not the content, so a chunk's offset is left out).
Recording firstTestRecording(const DatasetOptions& dataset, const std::string& modality, int sample_rate) {
    if (dataset.path.empty())
        throw Error("Front-end vs network: no recording chosen and no dataset open (choose a wav at " +
                    std::to_string(sample_rate) + " Hz, or open the dataset the model was trained on)");
    std::vector<std::string> warnings;
    const data::DatasetIndex index = dataset.open(warnings);
    const auto column = std::find_if(index.spec.modalities.begin(), index.spec.modalities.end(),
                                     [&](const data::ModalitySpec& m) { return m.name == modality; });
    if (column == index.spec.modalities.end())
        throw Error(
            dataset.path + ": no '" + modality +
            "' modality, which the model's audio input takes (choose a wav, or open the model's dataset)");
    const auto at = static_cast<std::size_t>(column - index.spec.modalities.begin());
    const auto sample = std::find_if(index.samples.begin(), index.samples.end(), [&](const data::Sample& s) {
        return s.split == "test" && at < s.paths.size() && !s.paths[at].empty();
    });
    if (sample == index.samples.end())
        throw Error(
            dataset.path + ": no '" + modality +
            "' recording in the test split (choose a wav, or assign a test split in the Dataset pane)");
    const std::string& path = sample->paths[at];
    const data::AudioClip clip = data::decodeAudio(path);
    Recording r;
    r.audio.sample_rate = sample_rate;
    r.audio.source_channels = clip.source_channels;
    r.audio.samples = dsp::resample(clip.samples, clip.sample_rate, sample_rate);
    r.origin = path;
    r.source = "first test-split sample '" + sample->id + "' of " + dataset.path;
    return r;
}

}  // namespace

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

    Recording recording;
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
