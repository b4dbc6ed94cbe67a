#pragma once
// From a trained FP32 network to a fake-quantized one: batchnorm folding,
// bit plan (uniform INT8 / INT4, or mixed precision chosen by the ILP over
// Hessian-weighted perturbations under size and BOPS budgets), activation
// calibration, optional quantization-aware fine-tuning, and the accuracy,
// size and BOPS that result.

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "core/base/progress.h"
#include "core/quant/bit_allocation.h"
#include "core/quant/hessian_trace.h"
#include "core/quant/latency_table.h"
#include "core/quant/layer_pins.h"
#include "core/train/metrics.h"
#include "core/train/multimodal_net.h"
#include "core/train/training_data.h"

namespace tm2::quant {

enum class QuantMode { Int8, Int4, Mixed };
QuantMode quantModeFromString(const std::string& text);  // int8 | int4 | mp
const char* toString(QuantMode mode);

struct QuantizeOptions {
    QuantMode mode = QuantMode::Int8;
    std::vector<int> candidate_bits{4, 8};
    // Mixed precision budgets: absolute, or α ∈ [0, 1] between the all-lowest and
    // all-highest totals (HAWQ-V3). Size counts weight bytes (biases stay int32).
    std::optional<double> size_bytes_max, bops_max;
    std::optional<double> size_alpha, bops_alpha;
    std::map<std::string, int> pinned_bits;   // layer → bits
    std::map<std::string, int> plan_bits;     // a saved plan: every layer's bits, used as given
    // Groups held at the highest width in every mode (int4 with first + classifier
    // is HAWQ-V3's uniform INT4 baseline); α budgets range over what they leave free.
    std::set<PinGroup> pin_groups;
    bool pin_head = false;                    // alias of PinGroup::Head (fusion head and classifier)
    std::map<std::string, double> branch_size_bytes_max;  // per-branch weight-byte budgets
    // Mixed precision latency budget (µs, whole network) against a measured per-layer table (HAWQ-V3).
    std::optional<LatencyTable> latency_table;
    std::optional<double> latency_us_max;
    train::ActivationQuantizerImpl::Calibration calibration = train::ActivationQuantizerImpl::Calibration::Percentile;
    double percentile = 99.99;
    int calibration_samples = 512;
    int qat_epochs = 0;       // quantization-aware fine-tuning (straight-through estimator)
    double qat_learning_rate = 1e-4;
    int batch_size = 64;
    std::uint64_t seed = 1;
    HessianConfig hessian;
};

struct LayerQuantRow {
    std::string name, branch, kind;
    std::int64_t params = 0, bias = 0, macs = 0;
    std::vector<ActivationInput> inputs;  // what the layer reads, at which width (BOPS count these)
    double trace = 0;                 // Mixed only: Tr(H_i), mean over probes
    double trace_sem = 0;             // its standard error (the precision the stop rule met)
    double trace_relative_sem = 0;    // trace_sem / max(|trace|, floor): what the tolerance is compared with
    double trace_probe_std = 0;       // spread of single probes (not the error of `trace`)
    std::vector<double> trace_running;  // running mean after each probe (convergence)
    std::map<int, double> omega;      // Ω_i(b) = Tr(H_i)/n_i · ‖Q_b(W_i) − W_i‖² (Mixed only)
    int bits = 0;
    double weight_bytes = 0, bops = 0;  // bops: bopsOf(macs, inputs, bits, plan)
};

struct QuantizationReport {
    QuantMode mode = QuantMode::Int8;
    std::vector<LayerQuantRow> layers;
    std::map<std::string, int> bits;
    std::map<std::string, int> pinned;  // the layers pins held (pin groups, --pin-head, explicit)
    double weight_bytes = 0, bias_bytes = 0, model_bytes = 0, bops = 0;
    double fp32_model_bytes = 0, int8_model_bytes = 0;
    train::ClassificationMetrics fp32_test, test;  // before / after quantization (float fake quantization)
    // After quantization, evaluated integer-exactly as the exported runtime computes it
    // (MultimodalNet::setIntegerExact); none when the network cannot be exported.
    std::optional<train::ClassificationMetrics> integer_test;
    std::optional<BitAllocation> allocation;       // Mixed only: solver status, objective, time
    BitAllocationProblem problem;                  // Mixed only: the ILP's inputs, for reproduction
    double hessian_seconds = 0;
    int hessian_probes = 0;
    double hessian_tolerance = 0;          // the relative standard error the traces were asked for
    bool hessian_converged = false;        // every trace met the tolerance before the probe cap
    double hessian_worst_relative_sem = 0;  // the largest relative standard error reached
    double omega_total = 0;  // Σ Ω_i(b_i) of the chosen plan
};

// Quantizes `net` in place (fold, set bits, calibrate, optionally fine-tune)
// and evaluates it on the test split. Throws tm2::Error on an unreachable
// budget (message with the smallest achievable size and BOPS) before changing `net`.
QuantizationReport quantizeModel(train::MultimodalNet& net, const train::TrainingData& data,
                                 const std::vector<std::size_t>& input_order, const QuantizeOptions& options,
                                 const ProgressCallback& progress = {});

// The same network quantizeModel makes for a given plan (fold, `bits`, calibration,
// fine-tuning as `options` say), without evaluating anything: a bits-only plan applied once.
void quantizeWithPlan(train::MultimodalNet& net, const train::TrainingData& data,
                      const std::vector<std::size_t>& input_order, const std::map<std::string, int>& bits,
                      const QuantizeOptions& options, const ProgressCallback& progress = {});

nlohmann::json reportToJson(const QuantizationReport& report);

// Pareto sweep: Hessian traces once, then the ILP for `points` size budgets from
// the smallest to the largest weight bytes the pins allow (other budgets as in
// `options`), and each plan's accuracy after calibration: on validation, the
// figure to choose a plan by, and on test beside it, reported, never chosen on.
struct ParetoPoint {
    double size_budget_bytes = 0;
    BitAllocation allocation;            // status, bits, Ω, size, BOPS, solve time
    std::optional<double> val_accuracy;  // optimal points, when the run has a validation split
    double test_accuracy = 0;            // optimal points only
    double model_bytes = 0;              // weights at their bits + int32 biases
};
std::vector<ParetoPoint> paretoSweep(train::MultimodalNet& net, const train::TrainingData& data,
                                     const std::vector<std::size_t>& input_order, const QuantizeOptions& options,
                                     int points, const ProgressCallback& progress = {});

}  // namespace tm2::quant
