#include "core/workflow/onnx_export.h"

#include <torch/torch.h>

#include <filesystem>

#include "core/base/error.h"
#include "core/base/thread_count.h"
#include "core/export/tmn_exporter.h"
#include "core/workflow/quantized_plan.h"

namespace tm2::workflow {

namespace fs = std::filesystem;

OnnxExportResult exportRunOnnx(const OnnxExportRequest& request, const ProgressCallback& progress) {
    const ExportRequest& r = request.source;
    if (r.plan.empty() && r.mode != "int8" && r.mode != "int4")
        throw Error("export mode '" + r.mode + "': expected int8 or int4 (or a plan)");
    if (r.out.empty()) throw Error("export --format onnx: no output file (--out FILE.onnx)");
    torch::set_num_threads(resolveThreadCount(r.threads));
    const std::string plan = r.plan.empty() ? uniformPlanFor(r.run_dir, r.mode) : r.plan;
    PlanModel pm = loadPlanModel(plan, r.run_dir, r.threads, progress);
    const quant::QuantizedModelInfo& info = pm.model.info;

    // The very model the .tmn export writes, plus the weight scales it folds away.
    exporter::QuantizedGraph graph =
        exporter::buildQuantizedGraph(pm.model.net, frontEndSettings(r.run_dir, info.spec, info.classes));
    onnx::OnnxSource source;
    for (const auto& branch : info.spec.branches)
        source.input_dims.emplace_back(branch.input.begin(), branch.input.end());
    source.model = std::move(graph.model);
    source.weight_scales = std::move(graph.weight_scales);

    OnnxExportResult out;
    out.summary = onnx::writeOnnx(r.out, source, request.form);
    out.model = fs::absolute(r.out).string();
    out.form = request.form;
    for (const auto& in : source.model.inputs) out.inputs.push_back(in.modality);
    out.classes = source.model.frontend.classes;
    out.bits = pm.model.bits;
    out.plan = fs::absolute(plan).string();
    out.quantized_model = fs::absolute(pm.model_path).string();
    out.quantized_now = pm.applied_now;
    out.warnings = pm.warnings;
    return out;
}

nlohmann::json toJson(const OnnxExportResult& r) {
    return nlohmann::json{{"model", r.model},
                          {"format", "onnx"},
                          {"form", onnx::toString(r.form)},
                          {"opset", onnx::kOpsetVersion},
                          {"file_bytes", r.summary.bytes},
                          {"nodes", r.summary.nodes},
                          {"initializers", r.summary.initializers},
                          {"inputs", r.inputs},
                          {"output", "logits"},
                          {"classes", r.classes},
                          {"bits", r.bits},
                          {"plan", r.plan},
                          {"quantized_model", r.quantized_model},
                          {"quantized_now", r.quantized_now},
                          {"warnings", r.warnings}};
}

}  // namespace tm2::workflow
