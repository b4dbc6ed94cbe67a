#pragma once
// The device's audio front-end: PCM samples at the model's rate → the
// normalised MFCC "image" an audio branch takes, exactly as training made it
// (core/data: first window of window_s seconds, zero-padded, optional silence
// trim; MFCC as planes × n_mfcc × frames; (x − mean) / std per plane and
// coefficient row with the train split's statistics).
//
//   AudioFrontend fe = AudioFrontend::forModel(model, "audio");
//   fe.process(samples.data(), samples.size(), features.data());
//   interpreter.setInput(i, features.data(), features.size());
//
// Resampling is not here (it needs libsamplerate): give samples at
// config().sample_rate. Training in chunk mode (max_windows 0) saw every
// window; the device takes the first one.

#include <array>
#include <cstddef>
#include <string>
#include <vector>

#include "core/runtime/frontend/mfcc.h"
#include "core/runtime/frontend/mfcc_config.h"
#include "core/runtime/model_format.h"

namespace tm2::runtime {

struct AudioFrontendConfig {
    std::string modality = "audio";
    int sample_rate = 16000;    // Hz the samples must be at (= mfcc.sample_rate)
    double window_s = 2.0;      // seconds per window
    bool trim_silence = false;  // drop leading/trailing frames quieter than trim_db first
    double trim_db = -40.0;     // dBFS
    MfccConfig mfcc;
    std::vector<float> mean, std;  // per (plane, coefficient) row; both empty = no normalisation

    // Samples per window: max(1, round(window_s · sample_rate)), core/data's rule.
    int windowSamples() const;
    void validate() const;  // throws tm2::Error naming the field
};

// The settings a .tmn model carries for one audio input (its typed front-end
// section: audio window, MFCC, the train split's mean and std). Throws tm2::Error
// naming what is missing or inconsistent, including a mismatch with the model's
// input tensor shape.
AudioFrontendConfig audioFrontendConfig(const Model& model, const std::string& modality);

// Model inputs that are audio according to the model's settings, in input order.
std::vector<std::string> audioInputs(const Model& model);

class AudioFrontend {
public:
    explicit AudioFrontend(AudioFrontendConfig config);
    static AudioFrontend forModel(const Model& model, const std::string& modality) {
        return AudioFrontend(audioFrontendConfig(model, modality));
    }

    const AudioFrontendConfig& config() const { return config_; }
    std::array<std::size_t, 3> outputShape() const { return shape_; }  // {1 + deltas, n_mfcc, frames}
    std::size_t outputElements() const { return shape_[0] * shape_[1] * shape_[2]; }
    // The MFCC inner loops process() runs here ("avx2", "neon", "kissfft", …).
    const char* mfccKernelName() const { return mfcc_.kernelName(); }

    // Writes outputElements() floats to `out`. Throws tm2::Error on an empty or
    // non-finite signal. Reuses its buffers: no allocation after the first call
    // (deltas aside), and therefore not for concurrent use — one per thread.
    void process(const float* samples, std::size_t count, float* out);
    std::vector<float> process(const std::vector<float>& samples);

private:
    AudioFrontendConfig config_;
    std::array<std::size_t, 3> shape_{};
    MfccExtractor mfcc_;
    MfccWorkspace workspace_;
    std::vector<float> window_;  // windowSamples() samples
    std::vector<float> frames_;  // frames × featureCount()
};

}  // namespace tm2::runtime
