// `tinym2net export` (a quantized run → .tmn integer model, or ONNX) and
// `tinym2net eval-runtime` (the integer runtime on the test split, against
// the LibTorch fake-quant model it was exported from).

#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>

#include <nlohmann/json.hpp>

#include "app/cli/cli_options.h"
#include "app/cli/commands.h"
#include "core/workflow/model_export.h"
#include "core/workflow/onnx_export.h"

namespace tm2::cli {

namespace {

namespace fs = std::filesystem;

struct ExportCommand {
    workflow::ExportRequest request;
    std::string format = "tmn";
    std::string onnx_form = "qdq";
    bool json = false;
};

void runOnnxExport(const ExportCommand& c) {
    workflow::OnnxExportRequest request;
    request.source = c.request;
    request.form = onnx::parseQuantForm(c.onnx_form);
    const workflow::OnnxExportResult r = workflow::exportRunOnnx(request);
    printWarnings(r.warnings);
    if (c.json) {
        std::cout << workflow::toJson(r).dump(2) << "\n";
        return;
    }
    std::cout << "exported " << c.request.out << " (ONNX opset " << onnx::kOpsetVersion << ", "
              << onnx::toString(r.form) << " form) from " << r.quantized_model << ": " << r.summary.nodes
              << " nodes, " << r.summary.bytes << " bytes\n";
}

void runExport(const ExportCommand& c) {
    if (c.format == "onnx") return runOnnxExport(c);
    const nlohmann::json j = workflow::exportRun(c.request);
    printWarnings(j["warnings"].get<std::vector<std::string>>());
    if (c.json) {
        std::cout << j.dump(2) << "\n";
        return;
    }
    std::cout << "exported " << c.request.out << " from " << j["quantized_model"].get<std::string>() << ": " << j["ops"]
              << " ops, " << j["file_bytes"] << " bytes (weights " << j["weight_bytes"] << "), arena "
              << j["arena_bytes"] << " bytes\n";
}

struct EvalRuntimeCommand {
    workflow::RuntimeEvaluationRequest request;
    bool json = false;
};

void runEvalRuntime(const EvalRuntimeCommand& c) {
    const workflow::RuntimeEvaluation e = workflow::evaluateRuntime(c.request);
    printWarnings(e.result["warnings"].get<std::vector<std::string>>());
    if (c.json) {
        std::cout << e.result.dump(2) << "\n";
        return;
    }
    std::cout << "reference: " << e.result["quantized_model"].get<std::string>() << "\n";
    const exporter::ParityReport& r = e.parity;
    std::cout << std::fixed << std::setprecision(2) << "runtime accuracy " << 100 * r.runtime_accuracy << "% on "
              << r.samples << " samples\n";
    auto logits = [](const char* what, const exporter::LogitParity& p) {
        std::cout << "  vs " << std::left << std::setw(22) << what << std::right << std::setprecision(2) << " accuracy "
                  << 100 * p.reference_accuracy << "%, agreement " << 100 * p.agreement << "%, max logit difference "
                  << std::setprecision(4) << p.max_abs << " (" << p.max_steps << " steps), " << p.within_one_step
                  << " samples within one step\n";
    };
    logits("fake-quant (float)", r.fake_quant);
    logits("integer-exact LibTorch", r.integer);
    if (!r.layers.empty()) std::cout << "per layer, runtime vs fake-quant | vs integer-exact:\n";
    for (const auto& l : r.layers)
        std::cout << "  " << std::left << std::setw(34) << l.name << std::right << " max " << l.max_steps
                  << " steps, mean " << l.mean_abs / l.step << " steps | max " << l.exact_max_steps << " steps, "
                  << l.exact_mismatches << " codes differ\n";
}

}  // namespace

void registerRuntimeCommands(CLI::App& app) {
    auto ex = std::make_shared<ExportCommand>();
    CLI::App* e = app.add_subcommand("export", "Export a quantized run as an integer .tmn model (or as ONNX)");
    e->add_option("--run", ex->request.run_dir, "Training run folder (a compare / ablate folder: its fused network)")->required()->check(CLI::ExistingDirectory);
    auto* plan = e->add_option("--plan", ex->request.plan,
                               "Quantization plan JSON: the quantized network `quantize` saved with it (a bits-only "
                               "plan is quantized once and recorded)")
                     ->check(CLI::ExistingFile);
    auto* mode = e->add_option("--mode", ex->request.mode,
                               "int8 | int4: RUN/quant-MODE.json (made with the default options when missing)")
                     ->check(CLI::IsMember({"int8", "int4"}));
    plan->excludes(mode);
    mode->excludes(plan);
    e->add_option("--out", ex->request.out, "Output file (.tmn, or .onnx with --format onnx)")->required();
    e->add_option("--format", ex->format,
                  "tmn: the integer runtime's model | onnx: the same network as ONNX (opset 13; docs/onnx-export.md)")
        ->check(CLI::IsMember({"tmn", "onnx"}))
        ->capture_default_str();
    e->add_option("--onnx-form", ex->onnx_form,
                  "qdq: QuantizeLinear/DequantizeLinear with int8 weight codes | arithmetic: the quantizers as "
                  "Div/Round/Relu/Mul with dequantized weights, for runtimes without QDQ (OpenCV 4.6)")
        ->check(CLI::IsMember({"qdq", "arithmetic"}))
        ->capture_default_str();
    e->add_option("--threads", ex->request.threads, "LibTorch threads (to quantize a bits-only plan)")->capture_default_str();
    e->add_flag("--json", ex->json, "Print the result as JSON");
    e->callback([ex, e] {
        if (ex->request.plan.empty() && !e->count("--mode")) throw CLI::RequiredError("--plan or --mode");
        if (e->count("--onnx-form") && ex->format != "onnx")
            throw CLI::ValidationError("--onnx-form", "applies to --format onnx only");
        runExport(*ex);
    });

    auto ev = std::make_shared<EvalRuntimeCommand>();
    CLI::App* v = app.add_subcommand("eval-runtime", "Run a .tmn model on the test split and compare it with the network (integer-exact and fake-quant)");
    v->add_option("--model", ev->request.model, ".tmn model")->required()->check(CLI::ExistingFile);
    v->add_option("--data", ev->request.data, "Dataset folder (the run's)");
    v->add_option("--run", ev->request.run_dir, "Run (or compare / ablate folder) the model was exported from")
        ->required()
        ->check(CLI::ExistingDirectory);
    v->add_option("--plan", ev->request.plan,
                  "The plan the model was exported from (default: the run's plan whose saved network it matches)")
        ->check(CLI::ExistingFile);
    v->add_option("--threads", ev->request.threads, "LibTorch threads for the reference")->capture_default_str();
    v->add_flag("--json", ev->json, "Print the result as JSON");
    v->callback([ev] { runEvalRuntime(*ev); });
}

}  // namespace tm2::cli
