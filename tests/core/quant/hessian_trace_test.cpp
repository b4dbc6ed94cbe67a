#include "core/quant/hessian_trace.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

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
    hc.tolerance = 1e9;  // anything counts as converged once min_probes are in
    const HessianTraces traces = estimateHessianTraces(net, data, {0, 1}, hc);
    EXPECT_EQ(traces.probes, 3);
    EXPECT_TRUE(traces.converged);
    EXPECT_EQ(traces.layers.front().running.size(), 3u);
    EXPECT_GE(traces.layers.front().trace_sem, 0);
}

// The stop rule is on the standard error of each layer's mean: recompute it
// from the running means (probe k's estimate = k·m_k − (k−1)·m_{k−1}).
TEST(HessianTraceTest, StopsOnceEveryLayersStandardErrorMeetsTheRelativeTolerance) {
    const train::TrainingData data = train::testing::toyData(3);
    train::MultimodalNet net(train::bindSpecToData(train::testing::toySpec(), data), false);
    net->eval();
    HessianConfig hc;
    hc.max_probes = 300;
    hc.min_probes = 4;
    hc.tolerance = 0.5;
    hc.isolate_layers = true;  // no cross-layer noise: converges within the cap on the toy net
    const HessianTraces traces = estimateHessianTraces(net, data, {0, 1}, hc);
    ASSERT_TRUE(traces.converged);
    double mean_abs = 0;
    for (const auto& t : traces.layers) mean_abs += std::abs(t.trace) / static_cast<double>(traces.layers.size());
    const double floor = 0.01 * mean_abs + 1e-12;
    double worst = 0;
    for (const auto& t : traces.layers) {
        ASSERT_EQ(static_cast<int>(t.running.size()), traces.probes);
        std::vector<double> probes;
        for (int k = 1; k <= traces.probes; ++k)
            probes.push_back(k * t.running[k - 1] - (k > 1 ? (k - 1) * t.running[k - 2] : 0.0));
        double mean = 0, ss = 0;
        for (double p : probes) mean += p / static_cast<double>(probes.size());
        for (double p : probes) ss += (p - mean) * (p - mean);
        const double std = std::sqrt(ss / static_cast<double>(probes.size() - 1));
        EXPECT_NEAR(t.probe_std, std, 1e-6 * std::abs(std) + 1e-9) << t.name;
        EXPECT_NEAR(t.trace_sem, std / std::sqrt(static_cast<double>(traces.probes)), 1e-6 * std + 1e-9) << t.name;
        EXPECT_LE(t.trace_sem, hc.tolerance * std::max(std::abs(t.trace), floor) * (1 + 1e-9)) << t.name;
        EXPECT_NEAR(t.relative_sem, t.trace_sem / std::max(std::abs(t.trace), floor), 1e-9) << t.name;
        worst = std::max(worst, t.trace_sem / std::max(std::abs(t.trace), floor));
    }
    EXPECT_NEAR(traces.worst_relative_sem, worst, 1e-9);
}

TEST(HessianTraceTest, RunsToTheProbeCapWhenTheToleranceIsNotMet) {
    const train::TrainingData data = train::testing::toyData(3);
    train::MultimodalNet net(train::bindSpecToData(train::testing::toySpec(), data), false);
    HessianConfig hc;
    hc.max_probes = 5;
    hc.min_probes = 2;
    hc.tolerance = 1e-9;
    const HessianTraces traces = estimateHessianTraces(net, data, {0, 1}, hc);
    EXPECT_EQ(traces.probes, 5);
    EXPECT_FALSE(traces.converged);
    EXPECT_GT(traces.worst_relative_sem, hc.tolerance);
}

TEST(HessianTraceTest, TheSameSeedGivesTheSameTracesAndAnotherSeedOtherProbes) {
    const train::TrainingData data = train::testing::toyData(3);
    train::MultimodalNet net(train::bindSpecToData(train::testing::toySpec(), data), false);
    HessianConfig hc;
    hc.max_probes = hc.min_probes = 3;
    const HessianTraces a = estimateHessianTraces(net, data, {0, 1}, hc);
    const HessianTraces b = estimateHessianTraces(net, data, {0, 1}, hc);
    hc.seed += 1;
    const HessianTraces c = estimateHessianTraces(net, data, {0, 1}, hc);
    EXPECT_EQ(a.layers.front().trace, b.layers.front().trace);
    EXPECT_NE(a.layers.front().trace, c.layers.front().trace);
}

// The calibration subset has its own seed: 16 of the 96 toy samples, so another
// subset is another loss and other traces under the very same probes.
TEST(HessianTraceTest, TheCalibrationSubsetFollowsItsOwnSeed) {
    const train::TrainingData data = train::testing::toyData(3);
    train::MultimodalNet net(train::bindSpecToData(train::testing::toySpec(), data), false);
    HessianConfig hc;
    hc.max_probes = hc.min_probes = 2;
    hc.calibration_samples = 16;
    const HessianTraces a = estimateHessianTraces(net, data, {0, 1}, hc);
    hc.calibration_seed += 1;
    const HessianTraces b = estimateHessianTraces(net, data, {0, 1}, hc);
    EXPECT_NE(a.layers.front().trace, b.layers.front().trace);
}

TEST(HessianTraceTest, CancelsThroughTheProgressCallback) {
    const train::TrainingData data = train::testing::toyData(3);
    train::MultimodalNet net(train::bindSpecToData(train::testing::toySpec(), data), false);
    EXPECT_THROW(estimateHessianTraces(net, data, {0, 1}, {}, [](const Progress&) { return false; }), Cancelled);
}

}  // namespace
}  // namespace tm2::quant
