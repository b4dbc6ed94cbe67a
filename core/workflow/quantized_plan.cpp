#include "core/workflow/quantized_plan.h"

#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <random>

#include "core/base/atomic_write.h"
#include "core/base/error.h"
#include "core/base/json_file.h"
#include "core/export/network_match.h"
#include "core/quant/quantize_options_json.h"
#include "core/train/trainer.h"
#include "core/workflow/training_session.h"

namespace tm2::workflow {

namespace fs = std::filesystem;

namespace {

// An id for an archive no store run names (a bits-only plan applied by export).
std::string freshId() {
    const auto ns = std::chrono::system_clock::now().time_since_epoch() / std::chrono::nanoseconds(1);
    return "applied-" + std::to_string(ns) + "-" + std::to_string(std::random_device{}() % 100000);
}

// The saved network a plan with "model" names; checks the archive belongs to the plan.
PlanModel loadSaved(const std::string& plan_path, const nlohmann::json& plan) {
    PlanModel pm;
    pm.plan_path = plan_path;
    const nlohmann::json& m = plan.at("model");
    if (!m.is_object() || !m.contains("file") || !m["file"].is_string() || !m.contains("id") ||
        !m["id"].is_string())
        throw Error(plan_path +
                    ": field 'model' must be an object with 'file' and 'id' (written by quantize)");
    pm.model_path = (fs::path(plan_path).parent_path() / m["file"].get<std::string>()).string();
    if (!fs::exists(pm.model_path))
        throw Error(plan_path + ": names the quantized network " + pm.model_path +
                    ", which is missing; quantize the run again (or delete the plan's \"model\" field to "
                    "quantize its bits once more)");
    pm.model = quant::loadQuantizedModel(pm.model_path);
    const std::string id = m["id"].get<std::string>();
    if (pm.model.info.id != id)
        throw Error(pm.model_path + " belongs to another quantization (id " + pm.model.info.id + ") than " +
                    plan_path + " (id " + id + "); quantize the run again");
    if (plan.contains("bits") && plan["bits"].is_object())
        for (const auto& [name, b] : plan["bits"].items()) {
            const auto it = pm.model.bits.find(name);
            if (!b.is_number_integer() || it == pm.model.bits.end() || it->second != b.get<int>())
                throw Error(
                    plan_path + ": bits." + name + " was changed after quantize (the saved network has " +
                    (it == pm.model.bits.end() ? std::string("no such layer") : std::to_string(it->second)) +
                    "); delete the plan's \"model\" field to quantize these bits instead");
        }
    return pm;
}

// The plan's network must be the run's: same spec; a different data fingerprint is a warning.
void checkBelongsToRun(PlanModel& pm, const std::string& run_dir) {
    const fs::path spec_path = fs::path(run_dir) / "spec.json";
    if (fs::exists(spec_path)) {
        const nlohmann::json run_spec = nlohmann::json(model::readModelSpec(spec_path.string()));
        if (run_spec != nlohmann::json(pm.model.info.spec))
            throw Error(pm.plan_path + ": its quantized network is not the network of run " + run_dir +
                        " (spec.json differs); use a plan of this run, or quantize it");
    }
    const fs::path run_json = fs::path(run_dir) / "run.json";
    if (fs::exists(run_json)) {
        const std::string trained = readJsonFile(run_json.string()).value("data_fingerprint", std::string());
        if (!trained.empty() && trained != pm.model.info.data_fingerprint)
            pm.warnings.push_back(pm.plan_path + ": quantized on data with fingerprint " +
                                  pm.model.info.data_fingerprint + ", the run was trained on " + trained);
    }
}

// A bits-only plan: quantize the run's trained network with its bits and recorded
// options (or the defaults) once, save the archive and record it in the plan.
void applyBitsOnlyPlan(const std::string& plan_path, nlohmann::json plan, const std::string& run_dir,
                       int threads, const ProgressCallback& progress) {
    const std::map<std::string, int> bits =
        readPlanBits(plan_path, kRuntimeBitWidths);  // the runtime's kernels: 2, 4 and 8
    quant::QuantizeOptions options;
    if (plan.contains("options")) quant::readReplayOptions(plan["options"], plan_path, options);
    const bool all8 = std::all_of(bits.begin(), bits.end(), [](const auto& b) { return b.second == 8; });
    const bool all4 = std::all_of(bits.begin(), bits.end(), [](const auto& b) { return b.second == 4; });
    options.mode = all8 ? quant::QuantMode::Int8 : all4 ? quant::QuantMode::Int4 : quant::QuantMode::Mixed;
    LoadedRun run = loadRun(run_dir, threads, progress);
    train::MultimodalNet net = loadTrainedNet(run.prepared.spec, run.aux_heads, run.best_weights);
    const auto order = train::branchInputOrder(run.prepared.spec, run.prepared.data);
    quant::quantizeWithPlan(net, run.prepared.data, order, bits, options, progress);
    quant::QuantizedModelInfo info;
    info.id = freshId();
    info.spec = run.prepared.spec;
    info.aux_heads = run.aux_heads;
    info.classes = run.prepared.data.classes;
    info.data_fingerprint = run.prepared.fingerprint;
    info.options = quant::quantizeOptionsToJson(options);
    plan["format_version"] = kPlanFormatVersion;
    plan["options"] = info.options;
    plan["model"] = saveQuantizedModelFor(net, info, plan_path);
    plan["applied"] = "bits-only plan quantized once by export (options as recorded here); not evaluated";
    writeFileAtomically(plan_path, plan.dump(2));
}

}  // namespace

std::string quantizedModelPathFor(const std::string& plan_path) {
    return fs::path(plan_path).replace_extension(".pt").string();
}

nlohmann::json saveQuantizedModelFor(train::MultimodalNet& net, const quant::QuantizedModelInfo& info,
                                     const std::string& plan_path) {
    const std::string path = quantizedModelPathFor(plan_path);
    quant::saveQuantizedModel(net, info, path);
    return nlohmann::json{{"format", info.format},
                          {"file", fs::path(path).filename().string()},
                          {"id", info.id},
                          {"data_fingerprint", info.data_fingerprint},
                          {"activations", quant::activationQuantizersToJson(net)}};
}

PlanModel loadPlanModel(const std::string& plan_path, const std::string& run_dir, int threads,
                        const ProgressCallback& progress) {
    nlohmann::json plan = readJsonFile(plan_path);
    if (!plan.is_object()) throw Error(plan_path + ": expected a plan object with 'bits'");
    bool applied = false;
    if (!plan.contains("model")) {
        applyBitsOnlyPlan(plan_path, plan, run_dir, threads, progress);
        plan = readJsonFile(plan_path);
        applied = true;
    }
    PlanModel pm = loadSaved(plan_path, plan);
    pm.applied_now = applied;
    checkBelongsToRun(pm, run_dir);
    return pm;
}

std::string uniformPlanFor(const std::string& run_dir, const std::string& mode) {
    if (mode != "int8" && mode != "int4") throw Error("uniform plan '" + mode + "': expected int8 or int4");
    const std::string path = (fs::path(run_dir) / ("quant-" + mode + ".json")).string();
    if (fs::exists(path)) return path;
    const fs::path spec_path = fs::path(run_dir) / "spec.json";
    if (!fs::exists(spec_path))
        throw Error(spec_path.string() + ": not found (is " + run_dir + " a trained run?)");
    // The layer names only; no weights are read here.
    train::MultimodalNet net(model::readModelSpec(spec_path.string()), false);
    std::map<std::string, int> bits;
    for (auto& q : net->quantizableLayers()) bits[q.name] = mode == "int4" ? 4 : 8;
    quant::QuantizeOptions defaults;
    defaults.mode = quant::quantModeFromString(mode);
    writeFileAtomically(
        path, nlohmann::json{{"bits", bits},
                             {"options", quant::quantizeOptionsToJson(defaults)},
                             {"source", "export --mode " + mode + ": uniform bits, default options"}}
                  .dump(2));
    return path;
}

PlanModel findPlanModelOf(const runtime::Model& model, const std::string& model_path,
                          const std::string& run_dir, const std::string& plan_path) {
    std::vector<std::string> candidates;
    if (!plan_path.empty()) {
        candidates.push_back(plan_path);
    } else {
        std::error_code ec;
        for (const auto& entry : fs::directory_iterator(run_dir, ec))
            if (entry.path().extension() == ".json") candidates.push_back(entry.path().string());
        std::sort(candidates.begin(), candidates.end());
    }
    std::string tried;
    for (const std::string& path : candidates) {
        nlohmann::json plan;
        try {
            plan = readJsonFile(path);
        } catch (const Error&) {
            if (!plan_path.empty()) throw;
            continue;
        }
        if (!plan.is_object() || !plan.contains("model") || !plan["model"].is_object()) {
            if (!plan_path.empty())
                throw Error(
                    path + ": has no quantized network (bits only); export with it first, which records one");
            continue;
        }
        std::string difference;
        try {
            PlanModel pm = loadSaved(path, plan);
            difference = exporter::networkDifference(model, pm.model.net);
            if (difference.empty()) {
                checkBelongsToRun(pm, run_dir);
                return pm;
            }
        } catch (const Error& e) {
            if (!plan_path.empty()) throw;
            difference = e.what();
        }
        if (!plan_path.empty())
            throw Error(model_path + " was not exported from " + path + " (" + difference +
                        "); export it again with --plan " + path);
        tried += (tried.empty() ? "" : "; ") + fs::path(path).filename().string() + ": " + difference;
    }
    throw Error(model_path + ": no quantized network of run " + run_dir + " matches it" +
                (tried.empty() ? std::string(" (the run has none; quantize it)") : " (" + tried + ")") +
                "; export it from this run again, or name the plan it came from with --plan");
}

}  // namespace tm2::workflow
