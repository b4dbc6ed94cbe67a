#include "core/workflow/model_export.h"

#include <filesystem>
#include <fstream>

#include <torch/torch.h>

#include "core/base/error.h"
#include "core/base/json_file.h"
#include "core/base/thread_count.h"
#include "core/data/dataset_spec.h"
#include "core/data/model_frontend_settings.h"
#include "core/quant/quantizer.h"
#include "core/workflow/quantized_plan.h"
#include "core/runtime/interpreter.h"
#include "core/train/trainer.h"
#include "core/workflow/test_split_required.h"

namespace tm2::workflow {

namespace fs = std::filesystem;

exporter::FrontEndSettings frontEndSettings(const std::string& run_dir, const model::ModelSpec& /*spec*/,
                                           const std::vector<std::string>& classes) {
    // The statistics the run was trained with (normalization.json, written by prepareTraining);
    // input shapes travel in the model's input tensors.
    const std::string path = (fs::path(run_dir) / "normalization.json").string();
    const nlohmann::json j = readJsonFile(path);
    data::DatasetSpec dataset;
    data::NormalizationStats stats;
    try {
        dataset = j.at("dataset").get<data::DatasetSpec>();
        stats.mean = j.at("mean").get<std::vector<std::vector<float>>>();
        stats.std = j.at("std").get<std::vector<std::vector<float>>>();
    } catch (const nlohmann::json::exception& e) {
        throw Error(path + ": expected dataset, mean and std (" + e.what() + ")");
    } catch (const Error& e) {
        throw Error(path + ": " + e.what());
    }
    return data::modelFrontEnd(dataset, stats, classes);
}

nlohmann::json exportRun(const ExportRequest& r, const ProgressCallback& progress) {
    if (r.plan.empty() && r.mode != "int8" && r.mode != "int4")
        throw Error("export mode '" + r.mode + "': expected int8 or int4 (or a plan)");
    torch::set_num_threads(resolveThreadCount(r.threads));
    // The network `quantize` saved; only a bits-only plan is quantized here, once, and recorded.
    const std::string plan = r.plan.empty() ? uniformPlanFor(r.run_dir, r.mode) : r.plan;
    PlanModel pm = loadPlanModel(plan, r.run_dir, r.threads, progress);
    const quant::QuantizedModelInfo& info = pm.model.info;
    const exporter::ExportSummary s =
        exporter::exportModel(pm.model.net, frontEndSettings(r.run_dir, info.spec, info.classes), r.out);
    const runtime::Interpreter interpreter(runtime::readModel(r.out));
    return nlohmann::json{{"model", fs::absolute(r.out).string()},
                          {"file_bytes", s.file_bytes},
                          {"weight_bytes", s.weight_bytes},
                          {"ops", s.ops},
                          {"arena_bytes", interpreter.arenaBytes()},
                          {"bits", pm.model.bits},
                          {"plan", fs::absolute(plan).string()},
                          {"quantized_model", fs::absolute(pm.model_path).string()},
                          {"quantized_now", pm.applied_now},
                          {"warnings", pm.warnings}};
}

RuntimeEvaluation evaluateRuntime(const RuntimeEvaluationRequest& request, const ProgressCallback& progress) {
    torch::set_num_threads(resolveThreadCount(request.threads));
    const runtime::Model model = runtime::readModel(request.model);
    // The reference: the saved quantized network this model is the export of.
    PlanModel pm = findPlanModelOf(model, request.model, request.run_dir, request.plan);
    const LoadedRun run = loadRun(request.run_dir, request.threads, progress);
    requireTestSplit(run.prepared.data, "eval-runtime", "run " + request.run_dir);
    std::error_code ec;
    if (!request.data.empty() && !fs::equivalent(request.data, run.dataset.path, ec))
        throw Error("--data " + request.data + " is not the dataset of run " + request.run_dir + " (" +
                    run.dataset.path + ")");
    if (run.prepared.fingerprint != pm.model.info.data_fingerprint)
        pm.warnings.push_back("the run's data changed since " + pm.plan_path +
                              " was quantized: accuracies are not comparable with quantize's");
    train::MultimodalNet& net = pm.model.net;
    const auto order = train::branchInputOrder(run.prepared.spec, run.prepared.data);
    RuntimeEvaluation e;
    e.parity = exporter::compareWithReference(net, model, run.prepared.data.test, order, request.per_layer);
    const exporter::ParityReport& r = e.parity;
    const runtime::Interpreter interpreter(model);
    nlohmann::json layers = nlohmann::json::array();
    for (const auto& l : r.layers)
        layers.push_back({{"name", l.name}, {"max_abs", l.max_abs}, {"mean_abs", l.mean_abs}, {"step", l.step},
                          {"max_steps", l.max_steps}, {"integer_max_steps", l.exact_max_steps},
                          {"integer_mismatched_codes", l.exact_mismatches}});
    auto logits = [](const exporter::LogitParity& p) {
        return nlohmann::json{{"accuracy", p.reference_accuracy},
                              {"agreement", p.agreement},
                              {"max_logit_diff", p.max_abs},
                              {"mean_logit_diff", p.mean_abs},
                              {"max_logit_diff_steps", p.max_steps},
                              {"logits_within_one_step", p.within_one_step}};
    };
    // Top level: the runtime against the fake-quant model `quantize` evaluated; the two
    // objects: its logits against each reference (runtime_parity.h).
    e.result = nlohmann::json{{"model", fs::absolute(request.model).string()},
                              {"samples", r.samples},
                              {"accuracy", r.runtime_accuracy},
                              {"reference_accuracy", r.fake_quant.reference_accuracy},
                              {"agreement", r.fake_quant.agreement},
                              {"fake_quant", logits(r.fake_quant)},
                              {"integer_reference", logits(r.integer)},
                              {"arena_bytes", interpreter.arenaBytes()},
                              {"kernel_path", interpreter.kernelPath()},
                              {"layers", layers}};
    e.result["run"] = fs::absolute(request.run_dir).string();
    e.result["plan"] = fs::absolute(pm.plan_path).string();
    e.result["quantized_model"] = fs::absolute(pm.model_path).string();
    e.result["warnings"] = pm.warnings;
    return e;
}

}  // namespace tm2::workflow
