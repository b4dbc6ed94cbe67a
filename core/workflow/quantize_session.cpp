#include "core/workflow/quantize_session.h"

#include <filesystem>

#include <torch/torch.h>

#include "core/base/atomic_write.h"
#include "core/base/error.h"
#include "core/base/json_file.h"
#include "core/base/thread_count.h"
#include "core/base/utc_time.h"
#include "core/experiment/experiment_store.h"
#include "core/quant/bit_allocation.h"
#include "core/quant/pareto_reuse.h"
#include "core/quant/quantize_options_json.h"
#include "core/train/checkpoint.h"
#include "core/train/trainer.h"
#include "core/workflow/test_split_required.h"
#include "core/workflow/quantized_plan.h"

namespace tm2::workflow {

namespace fs = std::filesystem;

quant::QuantizeOptions QuantSettings::options(quant::QuantMode m) const {
    quant::QuantizeOptions o;
    o.mode = m;
    if (size_kb > 0) o.size_bytes_max = size_kb * 1024.0;
    if (bops_m > 0) o.bops_max = bops_m * 1e6;
    if (alpha >= 0) o.size_alpha = alpha;
    if (bops_alpha >= 0) o.bops_alpha = bops_alpha;
    if (latency_us > 0 || !latency_table.empty()) {
        if (latency_us <= 0 || latency_table.empty())
            throw Error("--latency-us and --latency-table go together (a budget and the measured table)");
        o.latency_table = quant::readLatencyTable(latency_table);
        o.latency_us_max = latency_us;
    }
    if (m == quant::QuantMode::Mixed && !o.size_bytes_max && !o.bops_max && !o.size_alpha && !o.bops_alpha &&
        !o.latency_us_max)
        o.size_alpha = 0.5;  // no budget given: halfway between all-INT4 and all-INT8
    o.pin_head = pin_head;
    for (const auto& group : pins) o.pin_groups.insert(quant::pinGroupFromString(group));
    o.qat_epochs = qat_epochs;
    o.calibration = calibration == "minmax" ? train::ActivationQuantizerImpl::Calibration::MinMax
                                            : train::ActivationQuantizerImpl::Calibration::Percentile;
    o.hessian.max_probes = hessian_probes;
    o.hessian.tolerance = hessian_tolerance;
    o.hessian.seed = hessian_seed;
    o.candidate_bits = bits;
    for (const auto& [branch, kb] : branch_kb) o.branch_size_bytes_max[branch] = kb * 1024.0;
    o.hessian.isolate_layers = hessian_probe == "isolated";
    o.hessian.calibration_samples = hessian_samples;
    return o;
}

std::pair<std::string, double> parseBranchBudget(const std::string& item) {
    const auto eq = item.find('=');
    if (eq == std::string::npos || eq == 0) throw Error("--branch-kb " + item + ": expected BRANCH=KiB");
    try {
        return {item.substr(0, eq), std::stod(item.substr(eq + 1))};
    } catch (const std::exception&) {
        throw Error("--branch-kb " + item + ": '" + item.substr(eq + 1) + "' is not a number");
    }
}

QuantizeOutcome quantizeAndRecord(const std::string& run_dir, const QuantSettings& settings,
                                  const std::string& plan_out, const ProgressCallback& progress) {
    const quant::QuantMode mode = quant::quantModeFromString(settings.mode);
    torch::set_num_threads(resolveThreadCount(settings.threads));
    LoadedRun run = loadRun(run_dir, settings.threads, progress);
    requireTestSplit(run.prepared.data, "quantize", "run " + run_dir);
    QuantizeOutcome out;
    out.warnings = run.prepared.warnings;
    train::MultimodalNet net = loadTrainedNet(run.prepared.spec, run.aux_heads, run.best_weights);
    const auto order = train::branchInputOrder(run.prepared.spec, run.prepared.data);
    quant::QuantizeOptions options = settings.options(mode);
    if (!settings.plan.empty()) options.plan_bits = readPlanBits(settings.plan);
    out.report = quant::quantizeModel(net, run.prepared.data, order, options, progress);
    out.result = quant::reportToJson(out.report);
    out.result["run"] = fs::absolute(run_dir).string();
    out.plan_path = plan_out.empty() ? (fs::path(run_dir) / ("quant-" + settings.mode + ".json")).string() : plan_out;
    experiment::ExperimentStore store(workspaceOrDefault(settings.workspace));
    const std::string id = store.createRun("quantize", settings.mode, nlohmann::json(run.prepared.spec),
                                           {{"run", out.result["run"]}, {"mode", settings.mode}},
                                           run.prepared.fingerprint);
    out.result["run_id"] = id;
    out.result["plan"] = fs::absolute(out.plan_path).string();
    // The network just evaluated, saved whole: export and the parity check load it.
    quant::QuantizedModelInfo info;
    info.id = id;
    info.spec = run.prepared.spec;
    info.aux_heads = run.aux_heads;
    info.classes = run.prepared.data.classes;
    info.data_fingerprint = run.prepared.fingerprint;
    info.options = quant::quantizeOptionsToJson(options);
    out.result["format_version"] = kPlanFormatVersion;
    out.result["created"] = utcNow();  // listings show it; a copied file's mtime would not be its age
    out.result["options"] = info.options;
    out.result["data_fingerprint"] = info.data_fingerprint;
    out.result["model"] = saveQuantizedModelFor(net, info, out.plan_path);  // before the plan that names it
    tm2::writeFileAtomically(out.plan_path, out.result.dump(2));  // written whole, or not at all
    store.addArtifact(id, "plan", fs::absolute(out.plan_path).string());
    store.addArtifact(id, "quantized_model", fs::absolute(quantizedModelPathFor(out.plan_path)).string());
    store.finishRun(id, out.result);
    return out;
}

nlohmann::json paretoAndSave(const std::string& run_dir, const QuantSettings& settings, int points,
                             const ProgressCallback& progress) {
    torch::set_num_threads(resolveThreadCount(settings.threads));
    LoadedRun run = loadRun(run_dir, settings.threads, progress);
    requireTestSplit(run.prepared.data, "the pareto sweep", "run " + run_dir);
    train::MultimodalNet net = loadTrainedNet(run.prepared.spec, run.aux_heads, run.best_weights);
    const auto order = train::branchInputOrder(run.prepared.spec, run.prepared.data);
    const quant::QuantizeOptions options = settings.options(quant::QuantMode::Mixed);
    // The run's MP quantization estimated the traces already: reuse them when its probe settings,
    // candidate widths and layers are the ones this sweep would use (the estimate is the sweep's slow part).
    nlohmann::json hessian{{"reused", false}};
    std::optional<quant::HessianTraces> saved;
    const fs::path mp_plan = fs::path(run_dir) / "quant-mp.json";
    if (fs::exists(mp_plan)) {
        try {
            const nlohmann::json mp = readJsonFile(mp_plan.string());
            const nlohmann::json now = quant::quantizeOptionsToJson(options);
            const nlohmann::json then = mp.value("options", nlohmann::json::object());
            if (then.value("hessian", nlohmann::json()) != now["hessian"])
                hessian["reason"] = "quant-mp.json was probed with other Hessian settings";
            else if (then.value("candidate_bits", nlohmann::json()) != now["candidate_bits"])
                hessian["reason"] = "quant-mp.json chose among other bit widths";
            else
                saved = quant::tracesFromResult(mp, mp_plan.string());
        } catch (const Error& e) {
            hessian["reason"] = e.what();
        }
    } else {
        hessian["reason"] = "the run has no quant-mp.json yet";
    }
    std::vector<quant::ParetoPoint> sweep;
    if (saved) {
        try {
            sweep = quant::paretoSweepWithTraces(net, run.prepared.data, order, options, points, *saved, progress);
            hessian = {{"reused", true}, {"from", fs::absolute(mp_plan).string()}, {"seconds_saved", saved->seconds}};
        } catch (const Error& e) {  // another network's traces (layers differ): estimate them afresh
            hessian["reason"] = e.what();
        }
    }
    if (!hessian["reused"].get<bool>())
        sweep = quant::paretoSweep(net, run.prepared.data, order, options, points, progress);
    nlohmann::json list = nlohmann::json::array();
    for (const auto& p : sweep) {
        nlohmann::json j = quant::allocationToJson(p.allocation);
        j["size_budget_bytes"] = p.size_budget_bytes;
        if (p.allocation.status == quant::AllocationStatus::Optimal) {
            if (p.val_accuracy) j["val_accuracy"] = *p.val_accuracy;  // to choose a plan by
            j["test_accuracy"] = p.test_accuracy;                      // reported beside it
            j["model_bytes"] = p.model_bytes;
        }
        list.push_back(j);
    }
    const nlohmann::json out{{"run", fs::absolute(run_dir).string()}, {"pareto", list}, {"hessian", hessian}};
    tm2::writeFileAtomically((fs::path(run_dir) / "pareto.json").string(), out.dump(2));
    return out;
}

}  // namespace tm2::workflow
