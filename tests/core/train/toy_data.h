#pragma once
// Tiny synthetic two-modality data whose class is readable from either
// modality (a bright quadrant in the "image", a band in the "spectrogram"),
// with label noise per modality so both carry part of the answer.

#include <torch/torch.h>

#include "core/model/model_spec.h"
#include "core/train/training_data.h"

namespace tm2::train::testing {

inline SplitTensors toySplit(int64_t n, int classes, std::uint64_t seed) {
    torch::manual_seed(seed);
    SplitTensors s;
    s.labels = torch::randint(classes, {n}, torch::kInt64);
    torch::Tensor image = torch::randn({n, 1, 8, 8}) * 0.5;
    torch::Tensor audio = torch::randn({n, 1, 6, 10}) * 0.5;
    for (int64_t i = 0; i < n; ++i) {
        const int64_t c = s.labels[i].item<int64_t>();
        image[i][0][c * 2 % 8][c * 2 % 8] += 2.0;
        audio[i][0][c % 6] += 1.5;
        s.ids.push_back("s" + std::to_string(i));
    }
    s.inputs = {image, audio};
    return s;
}

inline TrainingData toyData(int classes = 3) {
    TrainingData d;
    d.modalities = {"image", "audio"};
    d.shapes = {{1, 8, 8}, {1, 6, 10}};
    for (int c = 0; c < classes; ++c) d.classes.push_back("c" + std::to_string(c));
    d.train = toySplit(96, classes, 1);
    d.val = toySplit(32, classes, 2);
    d.test = toySplit(32, classes, 3);
    return d;
}

inline model::LayerSpec layer(model::LayerType type, int size = 0) {
    model::LayerSpec l;
    l.type = type;
    if (type == model::LayerType::Conv2d || type == model::LayerType::DsConv2d) {
        l.out_channels = size;
        l.padding = 1;
    }
    if (type == model::LayerType::Fc) l.out_features = size;
    if (type == model::LayerType::MaxPool2d) {
        l.kernel = 2;
        l.stride = 2;
    }
    return l;
}

inline model::ModelSpec toySpec(model::FusionType fusion = model::FusionType::Concat) {
    using model::LayerType;
    model::ModelSpec spec;
    for (const char* m : {"image", "audio"}) {
        model::BranchSpec b;
        b.modality = m;
        b.layers = {layer(LayerType::Conv2d, 4), layer(LayerType::BatchNorm), layer(LayerType::MaxPool2d),
                    layer(LayerType::DsConv2d, 8), layer(LayerType::Flatten), layer(LayerType::Fc, 8)};
        spec.branches.push_back(b);
    }
    spec.fusion.type = fusion;
    if (fusion != model::FusionType::Late) spec.head = {layer(LayerType::Fc, 8)};
    return spec;
}

}  // namespace tm2::train::testing
