#pragma once
// Per-layer Hessian trace by Hutchinson's method (HAWQ-V2/V3): for Rademacher
// probes v, Tr(H_i) ≈ mean over probes of v_iᵀ (H v)_i, where H v comes from a
// double backward through the loss on a calibration batch. Probes for all
// layers are drawn at once; cross-layer terms vanish in expectation.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/base/progress.h"
#include "core/train/multimodal_net.h"
#include "core/train/training_data.h"

namespace tm2::quant {

struct HessianConfig {
    int max_probes = 32;        // upper bound on Rademacher probes
    int min_probes = 8;
    double tolerance = 0.02;    // stop when every layer's running mean moved < tol (relative) in the last probe
    int calibration_samples = 256;  // taken from the train split
    int batch_size = 128;
    std::uint64_t seed = 7;
    // Joint probes (HAWQ-V3's way, one H·v per probe) carry cross-layer terms that
    // vanish only on average; isolated probes (one H·v per layer per probe, v zero
    // outside the layer) are unbiased per probe but cost a backward pass per layer.
    bool isolate_layers = false;
};

struct LayerTrace {
    std::string name;
    std::int64_t params = 0;     // n_i (weights)
    double trace = 0;            // Tr(H_i) estimate
    double trace_std = 0;        // standard deviation of the per-probe estimates
    std::vector<double> running; // running mean after each probe (convergence)
};

struct HessianTraces {
    std::vector<LayerTrace> layers;  // quantizable layers, network order
    int probes = 0;
    double seconds = 0;
};

// `net` is used in eval mode; its inputs follow `input_order` (see branchInputOrder).
HessianTraces estimateHessianTraces(train::MultimodalNet& net, const train::TrainingData& data,
                                    const std::vector<std::size_t>& input_order, const HessianConfig& config,
                                    const ProgressCallback& progress = {});

}  // namespace tm2::quant
