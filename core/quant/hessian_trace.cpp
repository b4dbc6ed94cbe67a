#include "core/quant/hessian_trace.h"

#include <chrono>
#include <cmath>
#include <limits>

#include "core/base/error.h"

namespace tm2::quant {

namespace {

// Sample standard deviation (n − 1) from running sums; 0 for fewer than 2 values.
double sampleStd(double sum, double sum_sq, int n) {
    if (n < 2) return 0;
    const double mean = sum / n;
    return std::sqrt(std::max(0.0, (sum_sq - n * mean * mean) / (n - 1)));
}

// Per layer SEM_i / max(|mean_i|, floor), the floor 1 % of the mean |trace| (as the
// ILP floors traces, quantizer.cpp): the precision the stop rule asks for.
std::vector<double> relativeSems(const std::vector<double>& sum, const std::vector<double>& sum_sq, int n) {
    if (n < 2) return std::vector<double>(sum.size(), std::numeric_limits<double>::infinity());
    double mean_abs = 0;
    for (double s : sum) mean_abs += std::abs(s / n) / static_cast<double>(sum.size());
    const double floor = 0.01 * mean_abs + 1e-12;
    std::vector<double> relative;
    for (std::size_t i = 0; i < sum.size(); ++i) {
        const double sem = sampleStd(sum[i], sum_sq[i], n) / std::sqrt(static_cast<double>(n));
        relative.push_back(sem / std::max(std::abs(sum[i] / n), floor));
    }
    return relative;
}

double worstOf(const std::vector<double>& values) {
    double worst = 0;
    for (double v : values) worst = std::max(worst, v);
    return worst;
}

}  // namespace

HessianTraces estimateHessianTraces(train::MultimodalNet& net, const train::TrainingData& data,
                                    const std::vector<std::size_t>& input_order, const HessianConfig& config,
                                    const ProgressCallback& progress) {
    const auto start = std::chrono::steady_clock::now();
    const int64_t available = data.train.size();
    const int64_t n = std::min<int64_t>(available, config.calibration_samples);
    if (n < 2) throw Error("Hessian traces: the calibration set needs at least 2 samples (train split has " +
                           std::to_string(available) + ")");
    // The calibration subset has its own seed, so another probe seed changes only the
    // probes' noise, which the standard error measures, not the Hessian being estimated.
    torch::Generator subset_gen = at::detail::createCPUGenerator(config.calibration_seed);
    const torch::Tensor index = torch::randperm(available, subset_gen).slice(0, 0, n);
    torch::Generator gen = at::detail::createCPUGenerator(config.seed);

    net->eval();
    auto& layers = net->quantizableLayers();
    std::vector<torch::Tensor> weights;
    HessianTraces result;
    for (auto& q : layers) {
        weights.push_back(q.weight());
        result.layers.push_back({q.name, q.weight().numel(), 0, 0, 0, 0, {}});
    }
    std::vector<double> sum(layers.size(), 0.0), sum_sq(layers.size(), 0.0);

    // The gradient graph (create_graph) does not depend on the probe: build it
    // once per calibration batch and keep it, so a probe costs one H·v backward
    // per batch instead of a forward and two backwards.
    std::vector<std::vector<torch::Tensor>> batch_grads;
    for (int64_t b0 = 0; b0 < n; b0 += config.batch_size) {
        const torch::Tensor idx = index.slice(0, b0, std::min<int64_t>(n, b0 + config.batch_size));
        std::vector<torch::Tensor> inputs;
        for (std::size_t m : input_order) inputs.push_back(data.train.inputs[m].index_select(0, idx));
        const torch::Tensor labels = data.train.labels.index_select(0, idx);
        // Mean loss over the whole calibration set: weight each batch by its share.
        const torch::Tensor loss = torch::nn::functional::cross_entropy(net->forward(inputs).logits, labels) *
                                   (static_cast<double>(idx.size(0)) / static_cast<double>(n));
        batch_grads.push_back(torch::autograd::grad({loss}, weights, {}, /*retain_graph=*/true, /*create_graph=*/true));
    }

    for (int probe = 1; probe <= config.max_probes; ++probe) {
        std::vector<double> estimate(layers.size(), 0.0);
        for (const auto& grads : batch_grads) {
            std::vector<torch::Tensor> v;
            for (std::size_t i = 0; i < weights.size(); ++i)
                v.push_back(torch::randint(0, 2, weights[i].sizes(), gen, torch::kFloat32) * 2 - 1);
            if (config.isolate_layers) {
                for (std::size_t i = 0; i < weights.size(); ++i) {
                    const auto hv = torch::autograd::grad({(grads[i] * v[i]).sum()}, {weights[i]}, {},
                                                          /*retain_graph=*/true, false);
                    estimate[i] += (hv[0] * v[i]).sum().item<double>();
                }
            } else {
                torch::Tensor dot = torch::zeros({});
                for (std::size_t i = 0; i < weights.size(); ++i) dot = dot + (grads[i] * v[i]).sum();
                const auto hv = torch::autograd::grad({dot}, weights, {}, /*retain_graph=*/true, false);
                for (std::size_t i = 0; i < weights.size(); ++i) estimate[i] += (hv[i] * v[i]).sum().item<double>();
            }
        }
        for (std::size_t i = 0; i < layers.size(); ++i) {
            sum[i] += estimate[i];
            sum_sq[i] += estimate[i] * estimate[i];
            result.layers[i].running.push_back(sum[i] / probe);
        }
        result.probes = probe;
        result.worst_relative_sem = worstOf(relativeSems(sum, sum_sq, probe));
        reportProgress(progress, {"hessian", static_cast<std::size_t>(probe), static_cast<std::size_t>(config.max_probes),
                                  "worst relative standard error " + std::to_string(result.worst_relative_sem)});
        if (probe >= std::max(2, config.min_probes) && result.worst_relative_sem < config.tolerance) {
            result.converged = true;
            break;
        }
    }
    const std::vector<double> relative = relativeSems(sum, sum_sq, result.probes);
    for (std::size_t i = 0; i < layers.size(); ++i) {
        result.layers[i].relative_sem = relative[i];
        const double mean = sum[i] / result.probes;
        result.layers[i].trace = mean;
        result.layers[i].probe_std = sampleStd(sum[i], sum_sq[i], result.probes);
        result.layers[i].trace_sem = result.layers[i].probe_std / std::sqrt(static_cast<double>(result.probes));
    }
    result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return result;
}

}  // namespace tm2::quant
