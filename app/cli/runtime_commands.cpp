// `tinym2net export` (a quantized run → .tmn integer model) and
// `tinym2net eval-runtime` (the integer runtime on the test split, against
// the LibTorch fake-quant model it was exported from).

#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>

#include <nlohmann/json.hpp>

#include "app/cli/commands.h"
#include "app/cli/training_session.h"
#include "core/base/error.h"
#include "core/base/thread_count.h"
#include "core/export/runtime_parity.h"
#include "core/export/tmn_exporter.h"
#include "core/quant/quantizer.h"
#include "core/runtime/interpreter.h"
#include "core/train/trainer.h"

namespace tm2::cli {

namespace {

namespace fs = std::filesystem;

// Re-runs quantizeModel with the given bits (a replayed plan, no Hessian or
// ILP) so the network is exactly what `quantize` evaluated.
void quantizeWithBits(train::MultimodalNet& net, const LoadedRun& run, const std::map<std::string, int>& bits) {
    quant::QuantizeOptions o;
    o.mode = quant::QuantMode::Mixed;
    o.plan_bits = bits;
    const auto order = train::branchInputOrder(run.prepared.spec, run.prepared.data);
    quant::quantizeModel(net, run.prepared.data, order, o);
}

std::map<std::string, int> uniformBits(train::MultimodalNet& net, int b) {
    std::map<std::string, int> bits;
    for (auto& q : net->quantizableLayers()) bits[q.name] = b;
    return bits;
}

// What a device needs besides the network: input shapes and how the run made its features.
exporter::FrontEndSettings frontEndSettings(const LoadedRun& run) {
    exporter::FrontEndSettings s;
    for (const auto& b : run.prepared.spec.branches) {
        std::string shape;
        for (std::size_t d : b.input) shape += (shape.empty() ? "" : "x") + std::to_string(d);
        s.emplace_back("input." + b.modality + ".shape", shape);
    }
    for (const char* file : {"normalization.json", "run.json"}) {
        std::ifstream in(fs::path(run.dir) / file);
        if (!in) continue;
        try {
            nlohmann::json j;
            in >> j;
            const nlohmann::json part = std::string(file) == "run.json" && j.contains("dataset") ? j["dataset"] : j;
            s.emplace_back(std::string(file) == "run.json" ? "features" : "normalization", part.dump());
        } catch (const nlohmann::json::exception&) {
        }
    }
    s.emplace_back("classes", nlohmann::json(run.prepared.data.classes).dump());
    return s;
}

struct ExportCommand {
    std::string run, plan, mode, out;
    int threads = 1;
    bool json = false;
};

void runExport(const ExportCommand& c) {
    torch::set_num_threads(resolveThreadCount(c.threads));
    const LoadedRun run = loadRun(c.run, c.threads, true);
    train::MultimodalNet net = loadTrainedNet(run.prepared.spec, run.aux_heads, run.best_weights);
    // The runtime's kernels take 4 and 8 bits only.
    const std::map<std::string, int> bits =
        c.plan.empty() ? uniformBits(net, c.mode == "int4" ? 4 : 8) : readPlanBits(c.plan, 4, 8);
    quantizeWithBits(net, run, bits);
    const exporter::ExportSummary s = exporter::exportModel(net, frontEndSettings(run), c.out);
    const runtime::Interpreter interpreter(runtime::readModel(c.out));
    nlohmann::json j{{"model", fs::absolute(c.out).string()}, {"file_bytes", s.file_bytes},
                     {"weight_bytes", s.weight_bytes},           {"ops", s.ops},
                     {"arena_bytes", interpreter.arenaBytes()},  {"bits", bits}};
    if (c.json) {
        std::cout << j.dump(2) << "\n";
        return;
    }
    std::cout << "exported " << c.out << ": " << s.ops << " ops, " << s.file_bytes << " bytes (weights "
              << s.weight_bytes << "), arena " << interpreter.arenaBytes() << " bytes\n";
}

struct EvalRuntimeCommand {
    std::string model, data, run;
    int threads = 1;
    bool json = false;
    bool layers = true;
};

void runEvalRuntime(const EvalRuntimeCommand& c) {
    torch::set_num_threads(resolveThreadCount(c.threads));
    const runtime::Model model = runtime::readModel(c.model);
    const LoadedRun run = loadRun(c.run, c.threads, true);
    std::error_code ec;
    if (!c.data.empty() && !fs::equivalent(c.data, run.dataset.path, ec))
        throw Error("--data " + c.data + " is not the dataset of run " + c.run + " (" + run.dataset.path + ")");
    // The reference: the run quantized with the bits the model carries.
    train::MultimodalNet net = loadTrainedNet(run.prepared.spec, run.aux_heads, run.best_weights);
    std::map<std::string, int> bits;
    for (const auto& op : model.ops)
        if (!op.weights.empty()) bits[op.name] = op.weight_bits;
    quantizeWithBits(net, run, bits);
    const auto order = train::branchInputOrder(run.prepared.spec, run.prepared.data);
    const exporter::ParityReport r = exporter::compareWithReference(net, model, run.prepared.data.test, order, c.layers);
    const runtime::Interpreter interpreter(model);
    nlohmann::json layers = nlohmann::json::array();
    for (const auto& l : r.layers)
        layers.push_back({{"name", l.name}, {"max_abs", l.max_abs}, {"mean_abs", l.mean_abs}, {"step", l.step},
                          {"max_steps", l.max_steps}});
    nlohmann::json j{{"model", fs::absolute(c.model).string()},
                     {"samples", r.samples},
                     {"accuracy", r.runtime_accuracy},
                     {"reference_accuracy", r.reference_accuracy},
                     {"agreement", r.agreement},
                     {"max_logit_diff", r.max_logit_diff},
                     {"mean_logit_diff", r.mean_logit_diff},
                     {"max_logit_diff_steps", r.max_logit_diff_steps},
                     {"logits_within_one_step", r.logits_within_one_step},
                     {"arena_bytes", interpreter.arenaBytes()},
                     {"kernel_path", interpreter.kernelPath()},
                     {"layers", layers}};
    if (c.json) {
        std::cout << j.dump(2) << "\n";
        return;
    }
    std::cout << std::fixed << std::setprecision(2) << "runtime accuracy " << 100 * r.runtime_accuracy
              << "% (fake-quant " << 100 * r.reference_accuracy << "%), agreement " << 100 * r.agreement << "% on "
              << r.samples << " samples; max logit difference " << std::setprecision(4) << r.max_logit_diff << " ("
              << r.max_logit_diff_steps << " steps)\n";
    for (const auto& l : r.layers)
        std::cout << "  " << std::left << std::setw(34) << l.name << " max " << l.max_steps << " steps, mean "
                  << l.mean_abs / l.step << " steps\n";
}

}  // namespace

void registerRuntimeCommands(CLI::App& app) {
    auto ex = std::make_shared<ExportCommand>();
    CLI::App* e = app.add_subcommand("export", "Export a quantized run as an integer .tmn model");
    e->add_option("--run", ex->run, "Training run folder")->required()->check(CLI::ExistingDirectory);
    auto* plan = e->add_option("--plan", ex->plan, "Quantization plan JSON (from `quantize`): its per-layer bits")
                     ->check(CLI::ExistingFile);
    auto* mode = e->add_option("--mode", ex->mode, "Uniform bits: int8 | int4")->check(CLI::IsMember({"int8", "int4"}));
    plan->excludes(mode);
    mode->excludes(plan);
    e->add_option("--out", ex->out, "Output .tmn file")->required();
    e->add_option("--threads", ex->threads, "LibTorch threads for re-quantizing")->capture_default_str();
    e->add_flag("--json", ex->json, "Print the result as JSON");
    e->callback([ex, e] {
        if (ex->plan.empty() && ex->mode.empty()) throw CLI::RequiredError("--plan or --mode");
        runExport(*ex);
    });

    auto ev = std::make_shared<EvalRuntimeCommand>();
    CLI::App* v = app.add_subcommand("eval-runtime", "Run a .tmn model on the test split and compare with fake-quant");
    v->add_option("--model", ev->model, ".tmn model")->required()->check(CLI::ExistingFile);
    v->add_option("--data", ev->data, "Dataset folder (the run's)");
    v->add_option("--run", ev->run, "Run the model was exported from (rebuilds the reference)")
        ->required()
        ->check(CLI::ExistingDirectory);
    v->add_option("--threads", ev->threads, "LibTorch threads for the reference")->capture_default_str();
    v->add_flag("--json", ev->json, "Print the result as JSON");
    v->callback([ev] { runEvalRuntime(*ev); });
}

}  // namespace tm2::cli
