#include "core/quant/hessian_trace.h"

#include <gtest/gtest.h>

#include "core/base/error.h"
#include "core/train/trainer.h"
#include "tests/core/train/toy_data.h"

namespace tm2::quant {
namespace {

// Exact Tr(H) of one weight tensor: Σ_k ∂²L/∂w_k², one double backward per weight.
double exactTrace(train::MultimodalNet& net, const train::TrainingData& data, torch::Tensor& w, int64_t n) {
    std::vector<torch::Tensor> inputs{data.train.inputs[0].slice(0, 0, n), data.train.inputs[1].slice(0, 0, n)};
    const torch::Tensor loss =
        torch::nn::functional::cross_entropy(net->forward(inputs).logits, data.train.labels.slice(0, 0, n));
    const torch::Tensor g = torch::autograd::grad({loss}, {w}, {}, true, true)[0].reshape({-1});
    double trace = 0;
    for (int64_t k = 0; k < g.numel(); ++k)
        trace += torch::autograd::grad({g[k]}, {w}, {}, true, false)[0].reshape({-1})[k].item<double>();
    return trace;
}

TEST(HessianTraceTest, HutchinsonAgreesWithTheExactTraceOfSmallLayers) {
    const train::TrainingData data = train::testing::toyData(3);
    train::TrainConfig config;
    config.epochs = 2;
    config.threads = 1;
    const train::TrainResult trained = train::trainModel(train::testing::toySpec(), data, config);
    train::MultimodalNet net(trained.spec, false);
    net->eval();
    HessianConfig hc;
    hc.calibration_samples = 96;  // the whole toy train split, so both see the same loss
    hc.batch_size = 96;
    hc.max_probes = 300;
    hc.min_probes = 300;
    hc.isolate_layers = true;  // unbiased per layer: no cross-layer noise
    const HessianTraces traces =
        estimateHessianTraces(net, data, train::branchInputOrder(trained.spec, data), hc);
    EXPECT_EQ(traces.probes, 300);
    // The calibration subset is a random permutation of all 96 samples: same mean loss.
    for (const char* name : {"classifier", "head.0.fc"}) {
        auto& layer = net->quantizableLayer(name);
        const double exact = exactTrace(net, data, layer.weight(), 96);
        double estimate = 0;
        for (const auto& t : traces.layers)
            if (t.name == name) estimate = t.trace;
        EXPECT_NEAR(estimate, exact, 0.15 * std::abs(exact) + 1e-6) << name;
    }
}

TEST(HessianTraceTest, StopsWhenConvergedAndRecordsTheRunningEstimate) {
    const train::TrainingData data = train::testing::toyData(3);
    train::MultimodalNet net(train::bindSpecToData(train::testing::toySpec(), data), false);
    HessianConfig hc;
    hc.max_probes = 50;
    hc.min_probes = 3;
    hc.tolerance = 10.0;  // anything counts as converged once min_probes are in
    const HessianTraces traces = estimateHessianTraces(net, data, {0, 1}, hc);
    EXPECT_EQ(traces.probes, 3);
    EXPECT_EQ(traces.layers.front().running.size(), 3u);
    EXPECT_GE(traces.layers.front().trace_std, 0);
}

TEST(HessianTraceTest, CancelsThroughTheProgressCallback) {
    const train::TrainingData data = train::testing::toyData(3);
    train::MultimodalNet net(train::bindSpecToData(train::testing::toySpec(), data), false);
    EXPECT_THROW(estimateHessianTraces(net, data, {0, 1}, {}, [](const Progress&) { return false; }), Cancelled);
}

}  // namespace
}  // namespace tm2::quant
