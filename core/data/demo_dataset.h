#pragma once
// Built-in demo datasets, made offline from Debian packages and written as a
// manifest dataset (manifest.csv + dataset.json + files). Deterministic for a seed.
//  image-audio: Fashion-MNIST images (dataset-fashion-mnist) + the class name
//               spoken by espeak-ng in varied voices, rates and pitches, with noise
//               (the paper's battlefield case: an object's image and its sound).
//  audio-audio: the class word through two different voice groups and degraded
//               channels (the paper's cough + speech case).

#include <cstdint>
#include <string>

#include "core/base/progress.h"

namespace tm2::data {

enum class DemoKind { ImageAudio, AudioAudio };

DemoKind demoKindFromString(const std::string& text);  // "image-audio" | "audio-audio"; throws tm2::Error

struct DemoConfig {
    DemoKind kind = DemoKind::ImageAudio;
    std::string out_dir;
    std::uint64_t seed = 1;
    int samples_per_class = 150;
    int speakers = 40;  // groups: each sample is spoken by one of these speaker profiles
    std::string fashion_mnist_dir = "/usr/share/datasets/fashion-mnist";
    std::string espeak = "espeak-ng";  // program used for speech synthesis
    int threads = 0;                   // 0 = all cores
};

struct DemoSummary {
    std::string manifest_path;
    int samples = 0;
    int classes = 0;
    double seconds = 0.0;
};

// Throws tm2::Error when a source is missing (naming the package to install).
DemoSummary makeDemoDataset(const DemoConfig& config, const ProgressCallback& progress = {});

}  // namespace tm2::data
