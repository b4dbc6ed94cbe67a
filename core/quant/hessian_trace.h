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
    int min_probes = 8;         // at least this many (a standard error from fewer is itself too noisy)
    // Stop once every layer's standard error of the mean trace is below
    // tolerance · max(|mean|, 1 % of the mean |trace| over layers): a relative
    // precision, floored so a layer whose trace is ~0 cannot hold the run up.
    // 15 % with isolated probes: on the image-audio demo it is met after ~16
    // probes and five probe seeds gave the same plan (bench/run_hessian_stability.sh).
    double tolerance = 0.15;
    int calibration_samples = 256;  // taken from the train split
    int batch_size = 128;
    std::uint64_t seed = 7;              // the Rademacher probes
    std::uint64_t calibration_seed = 7;  // the calibration subset (not the probes: a probe seed changes only noise)
    // Joint probes (HAWQ-V3's way, one H·v per probe) carry cross-layer terms that
    // vanish only on average; isolated probes (one H·v per layer per probe, v zero
    // outside the layer) are unbiased per probe but cost a backward pass per layer.
    // Isolated is the default: on the demo network 32 joint probes left a worst
    // relative standard error of 0.7–2.1 (plans changed with the seed), 8 isolated
    // probes 0.22, at about the same time per probe (the gradient graph is reused).
    bool isolate_layers = true;
};

struct LayerTrace {
    std::string name;
    std::int64_t params = 0;     // n_i (weights)
    double trace = 0;            // Tr(H_i) estimate
    double trace_sem = 0;        // standard error of `trace` (sample std of the probes / √probes)
    double probe_std = 0;        // spread of single-probe estimates (sample std), not the error of `trace`
    double relative_sem = 0;     // trace_sem / max(|trace|, floor), the figure the stop rule compares with the tolerance
    std::vector<double> running; // running mean after each probe (convergence)
};

struct HessianTraces {
    std::vector<LayerTrace> layers;  // quantizable layers, network order
    int probes = 0;
    double seconds = 0;
    bool converged = false;  // every layer met the tolerance before max_probes ran out
    double worst_relative_sem = 0;  // max over layers of trace_sem / max(|trace|, floor), as in the stop rule
};

// `net` is used in eval mode; its inputs follow `input_order` (see branchInputOrder).
HessianTraces estimateHessianTraces(train::MultimodalNet& net, const train::TrainingData& data,
                                    const std::vector<std::size_t>& input_order, const HessianConfig& config,
                                    const ProgressCallback& progress = {});

}  // namespace tm2::quant
