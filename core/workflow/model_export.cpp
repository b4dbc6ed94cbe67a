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
#include "core/runtime/interpreter.h"
#include "core/train/trainer.h"
#include "core/workflow/test_split_required.h"

namespace tm2::workflow {

namespace fs = std::filesystem;

std::map<std::string, int> uniformBits(train::MultimodalNet& net, int b) {
    std::map<std::string, int> bits;
    for (auto& q : net->quantizableLayers()) bits[q.name] = b;
    return bits;
}

void quantizeWithBits(train::MultimodalNet& net, const LoadedRun& run, const std::map<std::string, int>& bits) {
    quant::QuantizeOptions o;
    o.mode = quant::QuantMode::Mixed;
    o.plan_bits = bits;
    const auto order = train::branchInputOrder(run.prepared.spec, run.prepared.data);
    quant::quantizeModel(net, run.prepared.data, order, o);
}

exporter::FrontEndSettings frontEndSettings(const LoadedRun& run) {
    // The statistics the run was trained with (normalization.json, written by prepareTraining).
    const std::string path = (fs::path(run.dir) / "normalization.json").string();
    const nlohmann::json j = readJsonFile(path);
    data::DatasetSpec spec;
    data::NormalizationStats stats;
    try {
        spec = j.at("dataset").get<data::DatasetSpec>();
        stats.mean = j.at("mean").get<std::vector<std::vector<float>>>();
        stats.std = j.at("std").get<std::vector<std::vector<float>>>();
    } catch (const nlohmann::json::exception& e) {
        throw Error(path + ": expected dataset, mean and std (" + e.what() + ")");
    } catch (const Error& e) {
        throw Error(path + ": " + e.what());
    }
    return data::modelFrontEnd(spec, stats, run.prepared.data.classes);
}

nlohmann::json exportRun(const ExportRequest& r, const ProgressCallback& progress) {
    if (r.plan.empty() && r.mode != "int8" && r.mode != "int4")
        throw Error("export mode '" + r.mode + "': expected int8 or int4 (or a plan)");
    torch::set_num_threads(resolveThreadCount(r.threads));
    const LoadedRun run = loadRun(r.run_dir, r.threads, progress);
    train::MultimodalNet net = loadTrainedNet(run.prepared.spec, run.aux_heads, run.best_weights);
    // The runtime's kernels take 4 and 8 bits only.
    const std::map<std::string, int> bits =
        r.plan.empty() ? uniformBits(net, r.mode == "int4" ? 4 : 8) : readPlanBits(r.plan, kRuntimeBitWidths);
    quantizeWithBits(net, run, bits);
    const exporter::ExportSummary s = exporter::exportModel(net, frontEndSettings(run), r.out);
    const runtime::Interpreter interpreter(runtime::readModel(r.out));
    return nlohmann::json{{"model", fs::absolute(r.out).string()}, {"file_bytes", s.file_bytes},
                          {"weight_bytes", s.weight_bytes},           {"ops", s.ops},
                          {"arena_bytes", interpreter.arenaBytes()},  {"bits", bits}};
}

RuntimeEvaluation evaluateRuntime(const std::string& model_path, const std::string& run_dir, int threads,
                                  bool per_layer, const std::string& expected_dataset,
                                  const ProgressCallback& progress) {
    torch::set_num_threads(resolveThreadCount(threads));
    const runtime::Model model = runtime::readModel(model_path);
    const LoadedRun run = loadRun(run_dir, threads, progress);
    requireTestSplit(run.prepared.data, "eval-runtime", "run " + run_dir);
    std::error_code ec;
    if (!expected_dataset.empty() && !fs::equivalent(expected_dataset, run.dataset.path, ec))
        throw Error("--data " + expected_dataset + " is not the dataset of run " + run_dir + " (" + run.dataset.path +
                    ")");
    // The reference: the run quantized with the bits the model carries.
    train::MultimodalNet net = loadTrainedNet(run.prepared.spec, run.aux_heads, run.best_weights);
    std::map<std::string, int> bits;
    for (const auto& op : model.ops)
        if (!op.weightCount() == 0) bits[op.name] = op.weight_bits;
    quantizeWithBits(net, run, bits);
    const auto order = train::branchInputOrder(run.prepared.spec, run.prepared.data);
    RuntimeEvaluation e;
    e.parity = exporter::compareWithReference(net, model, run.prepared.data.test, order, per_layer);
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
    e.result = nlohmann::json{{"model", fs::absolute(model_path).string()},
                              {"samples", r.samples},
                              {"accuracy", r.runtime_accuracy},
                              {"reference_accuracy", r.fake_quant.reference_accuracy},
                              {"agreement", r.fake_quant.agreement},
                              {"fake_quant", logits(r.fake_quant)},
                              {"integer_reference", logits(r.integer)},
                              {"arena_bytes", interpreter.arenaBytes()},
                              {"kernel_path", interpreter.kernelPath()},
                              {"layers", layers}};
    e.result["run"] = fs::absolute(run_dir).string();
    return e;
}

}  // namespace tm2::workflow
