#include "core/quant/quantizer.h"

#include <algorithm>
#include <cmath>

#include <nlohmann/json.hpp>

#include "core/base/error.h"
#include "core/base/json_fields.h"
#include "core/model/cost_table.h"
#include "core/quant/activation_inputs.h"
#include "core/quant/pareto_reuse.h"
#include "core/train/activation_width.h"
#include "core/train/trainer.h"

namespace tm2::quant {

namespace {

// Test metrics of the integer-exact evaluation (what the exported runtime computes),
// or none when the network has a part the integer runtime cannot run (e.g. a float batchnorm).
std::optional<train::ClassificationMetrics> integerExactMetrics(train::MultimodalNet& net, const train::TrainingData& data,
                                                                const std::vector<std::size_t>& order, int batch_size) {
    std::optional<train::ClassificationMetrics> metrics;
    const model::ModelSpec& spec = net->spec();
    const bool runs =
        spec.fusion.type == model::FusionType::Concat || spec.fusion.type == model::FusionType::Gated ||
        spec.fusion.type == model::FusionType::Film || spec.fusion.type == model::FusionType::Attention;
    if (spec.branches.size() > 1 && !runs)
        return metrics;  // the runtime runs concat, gated, film and attention
    net->setIntegerExact(true);
    try {
        metrics = train::evaluate(net, data.test, order, net->spec().num_classes, batch_size).metrics;
    } catch (const Error&) {
        metrics.reset();
    }
    net->setIntegerExact(false);
    return metrics;
}

const EnumNames<QuantMode> kModeNames{{QuantMode::Int8, "int8"}, {QuantMode::Int4, "int4"}, {QuantMode::Mixed, "mp"}};

// Cost-table rows of the weight layers, by name.
std::map<std::string, model::LayerCost> weightLayerCosts(train::MultimodalNet& net) {
    std::map<std::string, model::LayerCost> costs;
    for (const auto& row : model::computeCostTable(net->shapes(), net->spec()).layers)
        if (row.quantizable) costs[row.name] = row;
    return costs;
}

void calibrateActivations(train::MultimodalNet& net, const train::TrainingData& data,
                          const std::vector<std::size_t>& order, const QuantizeOptions& o) {
    using Mode = train::ActivationQuantizerImpl::Mode;
    std::vector<train::ActivationQuantizer> quantizers = net->inputQuantizers();
    for (auto& q : net->quantizableLayers())
        if (q.output) quantizers.push_back(q.output);
    for (auto& [name, q] : net->fusionQuantizers()) quantizers.push_back(q);
    for (auto& q : quantizers) q->reset();
    net->setActivationMode(Mode::Observe);
    net->eval();
    {
        torch::NoGradGuard no_grad;
        torch::Generator gen = at::detail::createCPUGenerator(o.seed + 17);
        const int64_t n = std::min<int64_t>(data.train.size(), o.calibration_samples);
        const torch::Tensor index = torch::randperm(data.train.size(), gen).slice(0, 0, n);
        for (int64_t b = 0; b < n; b += o.batch_size) {
            const torch::Tensor idx = index.slice(0, b, std::min<int64_t>(n, b + o.batch_size));
            std::vector<torch::Tensor> inputs;
            for (std::size_t m : order) inputs.push_back(data.train.inputs[m].index_select(0, idx));
            net->forward(inputs);
        }
    }
    for (auto& q : quantizers) q->finishCalibration(o.calibration, o.percentile);
    net->setActivationMode(Mode::Quantize);
}

void fineTune(train::MultimodalNet& net, const train::TrainingData& data, const std::vector<std::size_t>& order,
              const QuantizeOptions& o, const ProgressCallback& progress) {
    // Only what may train: the folded batchnorms are frozen identities (foldBatchNorms).
    std::vector<torch::Tensor> trainable;
    for (const auto& p : net->parameters())
        if (p.requires_grad()) trainable.push_back(p);
    torch::optim::Adam optimizer(trainable, torch::optim::AdamOptions(o.qat_learning_rate));
    const int64_t n = data.train.size();
    for (int epoch = 1; epoch <= o.qat_epochs; ++epoch) {
        // Dropout draws from LibTorch's global generator, which nothing seeded here: each
        // epoch's masks now derive from (seed, epoch), as in training (trainer.cpp).
        torch::manual_seed(o.seed * 1000003ULL + static_cast<std::uint64_t>(epoch));
        torch::Generator gen = at::detail::createCPUGenerator(o.seed * 31 + static_cast<std::uint64_t>(epoch));
        const torch::Tensor perm = torch::randperm(n, gen);
        net->train();  // folded batchnorms stay in eval mode
        for (int64_t b = 0; b < n; b += o.batch_size) {
            const torch::Tensor idx = perm.slice(0, b, std::min<int64_t>(n, b + o.batch_size));
            std::vector<torch::Tensor> inputs;
            for (std::size_t m : order) inputs.push_back(data.train.inputs[m].index_select(0, idx));
            optimizer.zero_grad();
            const torch::Tensor loss =
                torch::nn::functional::cross_entropy(net->forward(inputs).logits, data.train.labels.index_select(0, idx));
            if (!std::isfinite(loss.item<double>()))
                throw Error("quantization-aware fine-tuning: loss is not finite in epoch " + std::to_string(epoch));
            loss.backward();
            optimizer.step();
        }
        reportProgress(progress, {"qat", static_cast<std::size_t>(epoch), static_cast<std::size_t>(o.qat_epochs), ""});
    }
    net->eval();
}

// The network's activation ranges, then (qat_epochs > 0) its weights: all of the
// quantized network besides its bits. Its state after this is what gets saved.
void calibrateAndFineTune(train::MultimodalNet& net, const train::TrainingData& data,
                          const std::vector<std::size_t>& order, const QuantizeOptions& o,
                          const ProgressCallback& progress) {
    calibrateActivations(net, data, order, o);
    if (o.qat_epochs > 0) fineTune(net, data, order, o, progress);
}

std::vector<LayerQuantRow> layerRows(train::MultimodalNet& net) {
    const auto costs = weightLayerCosts(net);
    std::vector<LayerQuantRow> rows;
    for (auto& q : net->quantizableLayers()) {
        const auto it = costs.find(q.name);
        if (it == costs.end()) throw Error("internal: no cost row for layer '" + q.name + "'");
        LayerQuantRow row;
        row.name = q.name;
        row.branch = q.branch;
        row.kind = it->second.kind;
        row.params = it->second.params;
        row.bias = it->second.bias;
        row.macs = it->second.macs;
        row.inputs = activationInputs(net, q, row.macs);
        rows.push_back(row);
    }
    return rows;
}

// Per-layer and total bytes and BOPS for report.bits.
void applyTotals(QuantizationReport& report) {
    report.weight_bytes = report.bias_bytes = report.bops = report.fp32_model_bytes = report.int8_model_bytes = 0;
    for (auto& row : report.layers) {
        row.bits = report.bits.at(row.name);
        row.weight_bytes = std::ceil(static_cast<double>(row.params) * row.bits / 8.0);  // int4 packs two per byte
        row.bops = bopsOf(row.macs, row.inputs, row.bits, report.bits);  // weight bits × the bits it reads
        report.weight_bytes += row.weight_bytes;
        report.bias_bytes += 4.0 * static_cast<double>(row.bias);  // int32 biases
        report.bops += row.bops;
        report.fp32_model_bytes += 4.0 * static_cast<double>(row.params + row.bias);
        report.int8_model_bytes += static_cast<double>(row.params) + 4.0 * static_cast<double>(row.bias);
    }
    report.model_bytes = report.weight_bytes + report.bias_bytes;
}

// Layer → width of every pinned layer: the groups (and --pin-head) at the
// highest candidate width, explicit per-layer pins on top.
std::map<std::string, int> pinnedBits(const std::vector<LayerQuantRow>& rows, const QuantizeOptions& o) {
    std::set<PinGroup> groups = o.pin_groups;
    if (o.pin_head) groups.insert(PinGroup::Head);
    std::vector<NamedLayer> layers;
    for (const auto& row : rows) layers.push_back({row.name, row.branch});
    return pinnedLayerBits(layers, groups, *std::max_element(o.candidate_bits.begin(), o.candidate_bits.end()),
                           o.pinned_bits);
}

BitAllocationProblem buildAllocationProblem(train::MultimodalNet& net, const HessianTraces& traces,
                                            std::vector<LayerQuantRow>& rows, const QuantizeOptions& o) {
    BitAllocationProblem problem;
    problem.candidate_bits = o.candidate_bits;
    const std::map<std::string, int> pins = pinnedBits(rows, o);
    // A trace estimate can come out ≤ 0 (noise, or a layer far from a minimum).
    // Flooring it at 1 % of the mean |trace| keeps Ω(4) > Ω(8) for every layer,
    // so the ILP never sees a layer as free to quantize.
    double mean_abs = 0;
    for (const auto& t : traces.layers) mean_abs += std::abs(t.trace) / static_cast<double>(traces.layers.size());
    const double trace_floor = 0.01 * mean_abs + 1e-12;
    for (std::size_t i = 0; i < rows.size(); ++i) {
        auto& row = rows[i];
        auto& q = net->quantizableLayers()[i];
        row.trace = traces.layers[i].trace;
        row.trace_sem = traces.layers[i].trace_sem;
        row.trace_relative_sem = traces.layers[i].relative_sem;
        row.trace_probe_std = traces.layers[i].probe_std;
        row.trace_running = traces.layers[i].running;
        AllocationLayer layer;
        layer.name = row.name;
        layer.group = row.branch;
        layer.params = row.params;
        layer.macs = row.macs;
        layer.inputs = row.inputs;
        for (int b : o.candidate_bits) {
            // Ω_i(b) = Tr(H_i)/n_i · ‖Q_b(W_i) − W_i‖² (HAWQ-V3).
            row.omega[b] = std::max(trace_floor, row.trace) / static_cast<double>(row.params) *
                           train::quantizationError(q.weight(), b);
            layer.omega[b] = row.omega[b];
        }
        if (const auto pin = pins.find(row.name); pin != pins.end()) layer.pinned_bits = pin->second;
        problem.layers.push_back(layer);
    }
    problem.size_bytes_max = o.size_bytes_max;
    problem.bops_max = o.bops_max;
    // α between the smallest and largest totals the pins leave reachable: the GUI's range too.
    applyAlphaBudgets(problem, o.size_alpha, o.bops_alpha);
    problem.group_size_bytes_max = o.branch_size_bytes_max;
    if (o.latency_us_max) {
        if (!o.latency_table)
            throw Error("a latency budget needs a measured latency table (--latency-table)");
        applyLatencyTable(*o.latency_table, *o.latency_us_max, problem);
    }
    return problem;
}

}  // namespace

QuantMode quantModeFromString(const std::string& text) { return enumFromName(kModeNames, text, "--mode"); }
const char* toString(QuantMode mode) { return enumName(kModeNames, mode); }

QuantizationReport quantizeModel(train::MultimodalNet& net, const train::TrainingData& data,
                                 const std::vector<std::size_t>& order, const QuantizeOptions& o,
                                 const ProgressCallback& progress) {
    QuantizationReport report;
    report.mode = o.mode;
    const int num_classes = net->spec().num_classes;
    if (data.train.size() < 2) throw Error("quantization: the calibration set (train split) is too small");
    report.fp32_test = train::evaluate(net, data.test, order, num_classes, o.batch_size).metrics;

    net->foldBatchNorms();
    report.layers = layerRows(net);

    if (!o.plan_bits.empty()) {
        report.bits = o.plan_bits;  // a saved plan, replayed as it is
        for (const auto& row : report.layers)
            if (!report.bits.count(row.name)) throw Error("plan: no bit width for layer '" + row.name + "'");
    } else if (o.mode == QuantMode::Mixed) {
        const HessianTraces traces = estimateHessianTraces(net, data, order, o.hessian, progress);
        report.hessian_seconds = traces.seconds;
        report.hessian_probes = traces.probes;
        report.hessian_converged = traces.converged;
        report.hessian_tolerance = o.hessian.tolerance;
        report.hessian_worst_relative_sem = traces.worst_relative_sem;
        report.problem = buildAllocationProblem(net, traces, report.layers, o);
        for (const auto& l : report.problem.layers)
            if (l.pinned_bits) report.pinned[l.name] = *l.pinned_bits;
        const BitAllocation allocation = solveBitAllocation(report.problem);
        if (allocation.status != AllocationStatus::Optimal) throw Error("mixed precision: " + allocation.message);
        report.allocation = allocation;
        report.bits = allocation.bits;
        report.omega_total = allocation.objective;
    } else {
        const int b = o.mode == QuantMode::Int8 ? 8 : 4;
        const std::map<std::string, int> pins = pinnedBits(report.layers, o);  // e.g. HAWQ-V3's INT4: first, last at 8
        report.pinned = pins;
        for (const auto& row : report.layers) report.bits[row.name] = pins.count(row.name) ? pins.at(row.name) : b;
    }

    net->setBits(report.bits);
    applyTotals(report);
    calibrateAndFineTune(net, data, order, o, progress);
    report.test = train::evaluate(net, data.test, order, num_classes, o.batch_size).metrics;
    report.integer_test = integerExactMetrics(net, data, order, o.batch_size);
    return report;
}

void quantizeWithPlan(train::MultimodalNet& net, const train::TrainingData& data,
                      const std::vector<std::size_t>& order, const std::map<std::string, int>& bits,
                      const QuantizeOptions& o, const ProgressCallback& progress) {
    if (data.train.size() < 2) throw Error("quantization: the calibration set (train split) is too small");
    net->foldBatchNorms();
    for (const auto& q : net->quantizableLayers())
        if (!bits.count(q.name)) throw Error("plan: no bit width for layer '" + q.name + "'");
    net->setBits(bits);
    calibrateAndFineTune(net, data, order, o, progress);
}

std::vector<ParetoPoint> paretoSweep(train::MultimodalNet& net, const train::TrainingData& data,
                                     const std::vector<std::size_t>& order, const QuantizeOptions& o, int points,
                                     const ProgressCallback& progress) {
    if (points < 2) throw Error("Pareto sweep: needs at least 2 points");
    net->foldBatchNorms();
    const HessianTraces traces = estimateHessianTraces(net, data, order, o.hessian, progress);
    return paretoSweepWithTraces(net, data, order, o, points, traces, progress);
}

std::vector<ParetoPoint> paretoSweepWithTraces(train::MultimodalNet& net, const train::TrainingData& data,
                                               const std::vector<std::size_t>& order, const QuantizeOptions& o,
                                               int points, const HessianTraces& traces,
                                               const ProgressCallback& progress) {
    if (points < 2) throw Error("Pareto sweep: needs at least 2 points");
    net->foldBatchNorms();  // a no-op when paretoSweep folded them already
    QuantizationReport base;
    base.layers = layerRows(net);
    if (traces.layers.size() != base.layers.size())
        throw Error("Pareto sweep: " + std::to_string(traces.layers.size()) + " Hessian traces for " +
                    std::to_string(base.layers.size()) + " quantizable layers");
    for (std::size_t i = 0; i < base.layers.size(); ++i)
        if (traces.layers[i].name != base.layers[i].name)
            throw Error("Pareto sweep: Hessian trace " + std::to_string(i) + " is for layer '" + traces.layers[i].name +
                        "', the network's layer is '" + base.layers[i].name + "'");
    QuantizeOptions unbudgeted = o;
    unbudgeted.size_alpha.reset();
    unbudgeted.size_bytes_max.reset();
    const BitAllocationProblem problem = buildAllocationProblem(net, traces, base.layers, unbudgeted);
    const BudgetRange range = budgetRange(problem);  // pins applied, as α everywhere
    std::vector<double> budgets;
    for (int i = 0; i < points; ++i)
        budgets.push_back(
            interpolateBudget(range.min_size_bytes, range.max_size_bytes, static_cast<double>(i) / (points - 1)));
    const std::vector<BitAllocation> allocations = sweepSizeBudgets(problem, budgets);
    std::vector<ParetoPoint> sweep;
    for (std::size_t i = 0; i < allocations.size(); ++i) {
        ParetoPoint point;
        point.size_budget_bytes = budgets[i];
        point.allocation = allocations[i];
        if (allocations[i].status == AllocationStatus::Optimal) {
            // Accuracy of each plan: set its bits, recalibrate, evaluate (weights stay FP32 underneath).
            QuantizationReport r = base;
            r.bits = allocations[i].bits;
            net->setBits(r.bits);
            applyTotals(r);
            calibrateActivations(net, data, order, o);
            const int classes = net->spec().num_classes;
            if (data.val.size() > 0)
                point.val_accuracy = train::evaluate(net, data.val, order, classes, o.batch_size).metrics.accuracy;
            point.test_accuracy = train::evaluate(net, data.test, order, classes, o.batch_size).metrics.accuracy;
            point.model_bytes = r.model_bytes;
        }
        sweep.push_back(point);
        reportProgress(progress, {"pareto", i + 1, allocations.size(), ""});
    }
    return sweep;
}

nlohmann::json reportToJson(const QuantizationReport& r) {
    nlohmann::json layers = nlohmann::json::array();
    for (const auto& row : r.layers) {
        nlohmann::json l{{"name", row.name},     {"branch", row.branch},     {"kind", row.kind},
                         {"params", row.params}, {"bias", row.bias},         {"macs", row.macs},
                         {"bits", row.bits},     {"weight_bytes", row.weight_bytes}, {"bops", row.bops}};
        l["inputs"] = nlohmann::json::array();  // what the layer reads and at which width (BOPS)
        for (const auto& in : row.inputs)
            l["inputs"].push_back(
                {{"macs", in.macs},
                 {"bits", in.from.empty() ? in.bits : train::activationBitsFor(r.bits.at(in.from))},
                 {"from", in.from.empty() ? nlohmann::json() : nlohmann::json(in.from)}});
        if (r.mode == QuantMode::Mixed) {
            l["hessian_trace"] = row.trace;
            l["hessian_trace_sem"] = row.trace_sem;
            l["hessian_trace_relative_sem"] = row.trace_relative_sem;
            l["hessian_trace_probe_std"] = row.trace_probe_std;
            l["hessian_trace_running"] = row.trace_running;
            nlohmann::json omega;
            for (const auto& [b, w] : row.omega) omega[std::to_string(b)] = w;
            l["omega"] = omega;
        }
        layers.push_back(l);
    }
    nlohmann::json j{{"mode", toString(r.mode)},
                     {"accuracy", r.test.accuracy},
                     {"fp32_accuracy", r.fp32_test.accuracy},
                     {"accuracy_delta", r.test.accuracy - r.fp32_test.accuracy},
                     {"test", r.test},
                     {"model_bytes", r.model_bytes},
                     {"weight_bytes", r.weight_bytes},
                     {"bias_bytes", r.bias_bytes},
                     {"fp32_model_bytes", r.fp32_model_bytes},
                     {"int8_model_bytes", r.int8_model_bytes},
                     {"bops", r.bops},
                     {"bits", r.bits},
                     {"pinned", r.pinned},
                     {"layers", layers}};
    if (r.integer_test) j["integer_accuracy"] = r.integer_test->accuracy;
    if (r.allocation) {
        j["ilp"] = allocationToJson(*r.allocation);
        j["ilp_problem"] = problemToJson(r.problem);
        j["omega_total"] = r.omega_total;
        j["hessian"] = {{"seconds", r.hessian_seconds},
                        {"probes", r.hessian_probes},
                        {"converged", r.hessian_converged},
                        {"tolerance", r.hessian_tolerance},
                        {"worst_relative_sem", r.hessian_worst_relative_sem}};
    }
    return j;
}

}  // namespace tm2::quant
