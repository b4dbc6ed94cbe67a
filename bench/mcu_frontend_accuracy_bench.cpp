// The fixed-point MFCC (core/runtime/mcu_frontend) against the float front-end
// on a run's test split: every test recording's WAV through both, into the same
// exported model (the integer runtime, portable kernels):
//   mcu_frontend_accuracy_bench MODEL.tmn RUN_DIR
// Prints the test accuracy with each front-end, how often they agree, and the
// largest difference of the network's input in normalised units and in codes.
// docs/mcu-frontend.md; bench/run_mcu_frontend.sh drives it.

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <map>
#include <memory>

#include "core/base/error.h"
#include "core/runtime/frontend/audio_frontend.h"
#include "core/runtime/frontend/wav_reader.h"
#include "core/runtime/interpreter.h"
#include "core/runtime/mcu_frontend/fixed_mfcc_tables.h"
#include "core/workflow/training_session.h"

namespace {

using namespace tm2;

struct AudioInput {
    std::size_t spec_index = 0;  // the dataset's modality column
    runtime::AudioFrontend frontend;
    std::unique_ptr<runtime::FixedMfccTables> fixed;
    runtime::TensorInfo tensor;
};

int run(const std::string& model_path, const std::string& run_dir) {
    const runtime::Model model = runtime::readModel(model_path);
    runtime::Interpreter by_float(runtime::readModel(model_path), {false, &runtime::portableSimdOps()});
    runtime::Interpreter by_fixed(runtime::readModel(model_path), {false, &runtime::portableSimdOps()});
    const workflow::LoadedRun loaded = workflow::loadRun(run_dir, 1);
    std::vector<std::string> warnings;
    const data::DatasetIndex index = loaded.dataset.open(warnings);
    std::map<std::string, const data::Sample*> by_id;
    for (const data::Sample& s : index.samples) by_id[s.id] = &s;

    std::vector<AudioInput> inputs;
    for (const runtime::ModelInput& in : model.inputs) {
        const auto& modalities = index.spec.modalities;
        const auto it = std::find_if(modalities.begin(), modalities.end(),
                                     [&](const data::ModalitySpec& m) { return m.name == in.modality; });
        if (it == modalities.end()) throw Error("dataset has no modality '" + in.modality + "'");
        inputs.push_back({static_cast<std::size_t>(it - modalities.begin()),
                          runtime::AudioFrontend::forModel(model, in.modality),
                          std::make_unique<runtime::FixedMfccTables>(
                              runtime::FixedMfccTables::forModel(model, in.modality)),
                          model.tensors[in.tensor]});
    }

    const train::SplitTensors& test = loaded.prepared.data.test;
    const auto labels = test.labels.contiguous();
    std::size_t right_float = 0, right_fixed = 0, agree = 0, codes_total = 0, codes_differ = 0;
    double max_norm = 0.0, sum_norm = 0.0;
    int max_code = 0;
    for (std::int64_t i = 0; i < test.size(); ++i) {
        const auto sample = by_id.find(test.ids[static_cast<std::size_t>(i)]);
        if (sample == by_id.end())
            throw Error("test item '" + test.ids[static_cast<std::size_t>(i)] +
                        "' is not a recording of the dataset (chunk mode is not measured here)");
        for (std::size_t k = 0; k < inputs.size(); ++k) {
            AudioInput& a = inputs[k];
            const runtime::WavAudio wav = runtime::readWav(sample->second->paths[a.spec_index]);
            if (wav.sample_rate != a.frontend.config().sample_rate)
                throw Error(sample->second->paths[a.spec_index] + ": not at the model's sample rate");
            std::vector<std::int16_t> pcm(wav.samples.size());
            for (std::size_t j = 0; j < pcm.size(); ++j)
                pcm[j] = static_cast<std::int16_t>(
                    std::clamp(std::lround(wav.samples[j] * 32768.0), -32768L, 32767L));
            std::vector<float> as_float(pcm.size());
            for (std::size_t j = 0; j < pcm.size(); ++j) as_float[j] = pcm[j] / 32768.0f;

            const std::vector<float> z = a.frontend.process(as_float);
            by_float.setInput(k, z.data(), z.size());
            const std::vector<std::uint8_t> codes = a.fixed->codes(pcm.data(), pcm.size());
            std::memcpy(by_fixed.inputCodes(k), codes.data(), codes.size());
            const std::vector<double> coeffs = a.fixed->coefficients(pcm.data(), pcm.size());

            const auto& cfg = a.frontend.config();
            const std::size_t frames = z.size() / static_cast<std::size_t>(cfg.mfcc.n_mfcc);
            const float levels = static_cast<float>((1 << a.tensor.bits) - 1);
            for (std::size_t j = 0; j < z.size(); ++j) {
                const std::size_t row = j / frames;
                const double zf = (coeffs[j] - cfg.mean[row]) / cfg.std[row];
                max_norm = std::max(max_norm, std::fabs(zf - z[j]));
                sum_norm += std::fabs(zf - z[j]);
                // Interpreter::setInput's code for the float value.
                const float q =
                    std::clamp(std::nearbyint(z[j] / a.tensor.scale) + a.tensor.zero_point, 0.0f, levels);
                const int d = std::abs(static_cast<int>(q) - codes[j]);
                max_code = std::max(max_code, d);
                codes_differ += d != 0;
                ++codes_total;
            }
        }
        by_float.invoke();
        by_fixed.invoke();
        const auto label = static_cast<std::size_t>(labels[i].item<std::int64_t>());
        right_float += by_float.argmax() == label;
        right_fixed += by_fixed.argmax() == label;
        agree += by_float.argmax() == by_fixed.argmax();
    }
    const double n = static_cast<double>(test.size());
    std::printf("test recordings: %lld (%zu audio input(s))\n", static_cast<long long>(test.size()),
                inputs.size());
    std::printf("accuracy, float front-end: %.2f %%\n", 100.0 * right_float / n);
    std::printf("accuracy, fixed-point front-end: %.2f %%\n", 100.0 * right_fixed / n);
    std::printf("same class from both: %.2f %%\n", 100.0 * agree / n);
    std::printf("input, normalised units: max |fixed - float| %.5f, mean %.6f\n", max_norm,
                sum_norm / static_cast<double>(codes_total));
    std::printf("input codes: max |fixed - float| %d, differing %zu of %zu (%.3f %%)\n", max_code,
                codes_differ, codes_total,
                100.0 * static_cast<double>(codes_differ) / static_cast<double>(codes_total));
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 3) {
        std::fprintf(stderr, "usage: mcu_frontend_accuracy_bench MODEL.tmn RUN_DIR\n");
        return 2;
    }
    try {
        return run(argv[1], argv[2]);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "error: %s\n", e.what());
        return 1;
    }
}
