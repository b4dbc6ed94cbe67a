#include "core/quant/hessian_trace.h"

#include <chrono>
#include <cmath>

#include "core/base/error.h"

namespace tm2::quant {

HessianTraces estimateHessianTraces(train::MultimodalNet& net, const train::TrainingData& data,
                                    const std::vector<std::size_t>& input_order, const HessianConfig& config,
                                    const ProgressCallback& progress) {
    const auto start = std::chrono::steady_clock::now();
    const int64_t available = data.train.size();
    const int64_t n = std::min<int64_t>(available, config.calibration_samples);
    if (n < 2) throw Error("Hessian traces: the calibration set needs at least 2 samples (train split has " +
                           std::to_string(available) + ")");
    torch::Generator gen = at::detail::createCPUGenerator(config.seed);
    const torch::Tensor index = torch::randperm(available, gen).slice(0, 0, n);

    net->eval();
    auto& layers = net->quantizableLayers();
    std::vector<torch::Tensor> weights;
    HessianTraces result;
    for (auto& q : layers) {
        weights.push_back(q.weight());
        result.layers.push_back({q.name, q.weight().numel(), 0, 0, {}});
    }
    std::vector<double> sum(layers.size(), 0.0), sum_sq(layers.size(), 0.0);

    for (int probe = 1; probe <= config.max_probes; ++probe) {
        std::vector<double> estimate(layers.size(), 0.0);
        for (int64_t b0 = 0; b0 < n; b0 += config.batch_size) {
            const torch::Tensor idx = index.slice(0, b0, std::min<int64_t>(n, b0 + config.batch_size));
            std::vector<torch::Tensor> inputs;
            for (std::size_t m : input_order) inputs.push_back(data.train.inputs[m].index_select(0, idx));
            const torch::Tensor labels = data.train.labels.index_select(0, idx);
            // Mean loss over the whole calibration set: weight each batch by its share.
            const torch::Tensor loss = torch::nn::functional::cross_entropy(net->forward(inputs).logits, labels) *
                                       (static_cast<double>(idx.size(0)) / static_cast<double>(n));
            const auto grads = torch::autograd::grad({loss}, weights, {}, /*retain_graph=*/true, /*create_graph=*/true);
            std::vector<torch::Tensor> v;
            for (std::size_t i = 0; i < weights.size(); ++i)
                v.push_back(torch::randint(0, 2, weights[i].sizes(), gen, torch::kFloat32) * 2 - 1);
            if (config.isolate_layers) {
                for (std::size_t i = 0; i < weights.size(); ++i) {
                    const auto hv = torch::autograd::grad({(grads[i] * v[i]).sum()}, {weights[i]}, {},
                                                          /*retain_graph=*/i + 1 < weights.size(), false);
                    estimate[i] += (hv[0] * v[i]).sum().item<double>();
                }
            } else {
                torch::Tensor dot = torch::zeros({});
                for (std::size_t i = 0; i < weights.size(); ++i) dot = dot + (grads[i] * v[i]).sum();
                const auto hv = torch::autograd::grad({dot}, weights, {}, /*retain_graph=*/false, false);
                for (std::size_t i = 0; i < weights.size(); ++i) estimate[i] += (hv[i] * v[i]).sum().item<double>();
            }
        }
        double max_change = 0;
        for (std::size_t i = 0; i < layers.size(); ++i) {
            const double before = probe > 1 ? sum[i] / (probe - 1) : 0;
            sum[i] += estimate[i];
            sum_sq[i] += estimate[i] * estimate[i];
            const double mean = sum[i] / probe;
            result.layers[i].running.push_back(mean);
            if (probe > 1) max_change = std::max(max_change, std::abs(mean - before) / std::max(std::abs(mean), 1e-12));
        }
        result.probes = probe;
        reportProgress(progress, {"hessian", static_cast<std::size_t>(probe), static_cast<std::size_t>(config.max_probes),
                                  "max relative change " + std::to_string(max_change)});
        if (probe >= config.min_probes && max_change < config.tolerance) break;
    }
    for (std::size_t i = 0; i < layers.size(); ++i) {
        const double mean = sum[i] / result.probes;
        result.layers[i].trace = mean;
        result.layers[i].trace_std = std::sqrt(std::max(0.0, sum_sq[i] / result.probes - mean * mean));
    }
    result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return result;
}

}  // namespace tm2::quant
