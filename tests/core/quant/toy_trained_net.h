#pragma once
// A toy network (tests/core/train/toy_data.h) trained for a few epochs, kept as
// archive bytes so every test quantizes the same FP32 weights.

#include <torch/torch.h>

#include <sstream>
#include <string>

#include "core/train/multimodal_net.h"
#include "core/train/trainer.h"
#include "tests/core/train/toy_data.h"

namespace tm2::quant::testing {

inline std::string trainToyWeights(const model::ModelSpec& spec, const train::TrainingData& data) {
    torch::set_num_threads(1);
    torch::manual_seed(1);
    train::MultimodalNet net(spec, false);
    torch::optim::Adam opt(net->parameters(), torch::optim::AdamOptions(3e-3));
    for (int e = 0; e < 6; ++e) {
        net->train();
        for (int64_t b = 0; b < data.train.size(); b += 16) {
            const auto idx = torch::arange(b, std::min<int64_t>(data.train.size(), b + 16));
            opt.zero_grad();
            const auto logits = net->forward({data.train.inputs[0].index_select(0, idx),
                                              data.train.inputs[1].index_select(0, idx)})
                                    .logits;
            torch::nn::functional::cross_entropy(logits, data.train.labels.index_select(0, idx)).backward();
            opt.step();
        }
    }
    torch::serialize::OutputArchive archive;
    net->save(archive);
    std::ostringstream out;
    archive.save_to(out);
    return out.str();
}

inline train::MultimodalNet netFromWeights(const model::ModelSpec& spec, const std::string& weights) {
    train::MultimodalNet net(spec, false);
    std::istringstream in(weights);
    torch::serialize::InputArchive archive;
    archive.load_from(in);
    net->load(archive);
    train::useChannelsLast(*net);
    return net;
}

// The toy spec with dropout in the head, as the image-audio preset has.
inline model::ModelSpec toySpecWithDropout() {
    model::ModelSpec spec = train::testing::toySpec();
    model::LayerSpec dropout = train::testing::layer(model::LayerType::Dropout);
    dropout.p = 0.5;
    spec.head.push_back(dropout);
    return spec;
}

}  // namespace tm2::quant::testing
