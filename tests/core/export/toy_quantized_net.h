#pragma once
// A toy two-branch network (tests/core/train/toy_data.h), briefly trained so its
// activations are not degenerate, then quantized: what the exporter tests and the
// runtime's golden files (fusion_golden_writer.cpp) export.

#include <torch/torch.h>

#include <algorithm>
#include <map>
#include <string>

#include "core/model/model_spec.h"
#include "core/quant/quantizer.h"
#include "core/train/multimodal_net.h"
#include "core/train/training_data.h"

namespace tm2::exporter::testing {

// `plan_bits`, when given, is every layer's width (a mixed plan replayed as it is);
// otherwise `mode` quantizes uniformly. Deterministic for a given torch seed state.
inline train::MultimodalNet toyQuantizedNet(const train::TrainingData& data, model::ModelSpec spec,
                                            quant::QuantMode mode, model::FusionType fusion,
                                            const std::map<std::string, int>& plan_bits = {}) {
    spec.fusion.type = fusion;
    train::MultimodalNet net(spec, false);
    torch::optim::Adam opt(net->parameters(), torch::optim::AdamOptions(3e-3));
    net->train();
    for (int e = 0; e < 3; ++e)
        for (int64_t b = 0; b < data.train.size(); b += 16) {
            const auto idx = torch::arange(b, std::min<int64_t>(data.train.size(), b + 16));
            opt.zero_grad();
            torch::nn::functional::cross_entropy(net->forward({data.train.inputs[0].index_select(0, idx),
                                                               data.train.inputs[1].index_select(0, idx)})
                                                     .logits,
                                                 data.train.labels.index_select(0, idx))
                .backward();
            opt.step();
        }
    quant::QuantizeOptions o;
    o.mode = mode;
    o.plan_bits = plan_bits;
    quant::quantizeModel(net, data, {0, 1}, o);
    return net;
}

}  // namespace tm2::exporter::testing
