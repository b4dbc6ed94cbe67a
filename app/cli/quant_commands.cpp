// `tinym2net quantize` (one run → INT8 / INT4 / mixed precision) and
// `tinym2net ablate` ({each unimodal, fused} × {FP32, INT8, INT4, MP}).

#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <memory>
#include <sstream>

#include <nlohmann/json.hpp>

#include "app/cli/commands.h"
#include "app/cli/progress_printer.h"
#include "app/cli/train_progress.h"
#include "app/cli/training_session.h"
#include "core/base/error.h"
#include "core/base/thread_count.h"
#include "core/experiment/experiment_store.h"
#include "core/quant/quantizer.h"
#include "core/train/checkpoint.h"
#include "core/train/comparison.h"
#include "core/train/trainer.h"

namespace tm2::cli {

namespace {

namespace fs = std::filesystem;

struct QuantArgs {
    std::string mode = "int8";
    double size_kb = 0, bops_m = 0;  // 0 = no budget
    double alpha = -1, bops_alpha = -1;
    bool pin_head = false;
    int qat_epochs = 0;
    std::string calibration = "percentile";
    int hessian_probes = 32;
    double hessian_tolerance = 0.02;
    std::vector<int> bits{4, 8};
    std::vector<std::string> branch_kb;  // NAME=KIB
    std::string plan;
    std::string hessian_probe = "joint";
    int hessian_samples = 256;
    std::string workspace;
    int threads = 0;
    bool json = false;
    bool quiet = false;

    void addTo(CLI::App& c, bool with_mode, bool with_threads = true) {
        if (with_mode)
            c.add_option("--mode", mode, "int8 | int4 | mp (mixed INT4/INT8 by the ILP)")
                ->check(CLI::IsMember({"int8", "int4", "mp"}))
                ->capture_default_str();
        c.add_option("--size-kb", size_kb, "MP: weight-size budget in KiB")->check(CLI::PositiveNumber);
        c.add_option("--bops-m", bops_m, "MP: BOPS budget in millions")->check(CLI::PositiveNumber);
        c.add_option("--alpha", alpha, "MP: size budget as α between all-INT4 (0) and all-INT8 (1)")
            ->check(CLI::Range(0.0, 1.0));
        c.add_option("--bops-alpha", bops_alpha, "MP: BOPS budget as α between all-INT4 and all-INT8")
            ->check(CLI::Range(0.0, 1.0));
        c.add_flag("--pin-head", pin_head, "MP: keep the fusion head and classifier at 8 bits");
        c.add_option("--qat-epochs", qat_epochs, "Quantization-aware fine-tuning epochs")->capture_default_str();
        c.add_option("--calibration", calibration, "minmax | percentile")
            ->check(CLI::IsMember({"minmax", "percentile"}))
            ->capture_default_str();
        c.add_option("--hessian-probes", hessian_probes, "MP: most Hutchinson probes")->capture_default_str();
        c.add_option("--hessian-probe", hessian_probe,
                     "MP: joint (one H·v per probe, HAWQ-V3) | isolated (one per layer: unbiased, slower)")
            ->check(CLI::IsMember({"joint", "isolated"}))
            ->capture_default_str();
        c.add_option("--hessian-samples", hessian_samples, "MP: calibration samples for the Hessian")
            ->capture_default_str();
        c.add_option("--hessian-tol", hessian_tolerance, "MP: stop when every trace moved less than this (relative)")
            ->capture_default_str();
        c.add_option("--bits", bits, "MP: candidate bit widths (2..8)")->delimiter(',')->capture_default_str()
            ->check(CLI::Range(2, 8));
        c.add_option("--branch-kb", branch_kb, "MP: per-branch weight budget, BRANCH=KiB (repeatable)");
        c.add_option("--workspace", workspace, "Experiment store folder (default ~/.local/share/tinym2net)");
        if (with_threads) c.add_option("--threads", threads, "Worker threads (0 = all cores)")->capture_default_str();
        c.add_flag("--json", json, "Print the result as JSON");
        c.add_flag("--quiet", quiet, "No progress output");
    }

    quant::QuantizeOptions options(quant::QuantMode m) const {
        quant::QuantizeOptions o;
        o.mode = m;
        if (size_kb > 0) o.size_bytes_max = size_kb * 1024.0;
        if (bops_m > 0) o.bops_max = bops_m * 1e6;
        if (alpha >= 0) o.size_alpha = alpha;
        if (bops_alpha >= 0) o.bops_alpha = bops_alpha;
        if (m == quant::QuantMode::Mixed && !o.size_bytes_max && !o.bops_max && !o.size_alpha && !o.bops_alpha)
            o.size_alpha = 0.5;  // no budget given: halfway between all-INT4 and all-INT8
        o.pin_head = pin_head;
        o.qat_epochs = qat_epochs;
        o.calibration = calibration == "minmax" ? train::ActivationQuantizerImpl::Calibration::MinMax
                                                : train::ActivationQuantizerImpl::Calibration::Percentile;
        o.hessian.max_probes = hessian_probes;
        o.hessian.tolerance = hessian_tolerance;
        o.candidate_bits = bits;
        for (const auto& item : branch_kb) {
            const auto eq = item.find('=');
            if (eq == std::string::npos || eq == 0) throw Error("--branch-kb " + item + ": expected BRANCH=KiB");
            try {
                o.branch_size_bytes_max[item.substr(0, eq)] = std::stod(item.substr(eq + 1)) * 1024.0;
            } catch (const std::exception&) {
                throw Error("--branch-kb " + item + ": '" + item.substr(eq + 1) + "' is not a number");
            }
        }
        o.hessian.isolate_layers = hessian_probe == "isolated";
        o.hessian.calibration_samples = hessian_samples;
        return o;
    }
};

std::string kib(double bytes) {
    std::ostringstream s;
    s << std::fixed << std::setprecision(1) << bytes / 1024.0 << " KiB";
    return s.str();
}

void printReport(const quant::QuantizationReport& r) {
    std::cout << std::left << std::setw(34) << "layer" << std::setw(8) << "params" << std::setw(10) << "MACs";
    if (r.mode == quant::QuantMode::Mixed) std::cout << std::setw(12) << "Tr(H)" << std::setw(11) << "Ω(4)" << std::setw(11) << "Ω(8)";
    std::cout << "bits\n";
    for (const auto& l : r.layers) {
        std::cout << std::setw(34) << l.name << std::setw(8) << l.params << std::setw(10) << l.macs;
        if (r.mode == quant::QuantMode::Mixed) {
            std::cout << std::setw(12) << std::setprecision(4) << l.trace;
            for (int b : {4, 8}) std::cout << std::setw(11) << (l.omega.count(b) ? l.omega.at(b) : 0.0);
        }
        std::cout << l.bits << "\n";
    }
    std::cout << std::fixed << std::setprecision(1) << "test accuracy " << 100 * r.test.accuracy << "% (FP32 "
              << 100 * r.fp32_test.accuracy << "%, " << std::showpos << 100 * (r.test.accuracy - r.fp32_test.accuracy)
              << std::noshowpos << " points); model " << kib(r.model_bytes) << " (FP32 " << kib(r.fp32_model_bytes)
              << ", INT8 " << kib(r.int8_model_bytes) << "); " << std::setprecision(2) << r.bops / 1e6 << " M BOPS\n";
    if (r.allocation)
        std::cout << "ILP (CBC): Σ Ω = " << std::scientific << std::setprecision(3) << r.omega_total << std::fixed
                  << ", solved in " << r.allocation->solve_ms << " ms; Hessian traces: " << r.hessian_probes
                  << " probes in " << std::setprecision(1) << r.hessian_seconds << " s\n";
}

struct QuantizeCommand {
    std::string run;
    QuantArgs args;
    std::string plan_out;
    int sweep = 0;
};

void runSweep(const QuantizeCommand& c, train::MultimodalNet& net, const LoadedRun& run,
              const std::vector<std::size_t>& order) {
    ProgressPrinter printer(c.args.quiet || c.args.json);
    const auto points = quant::paretoSweep(net, run.prepared.data, order, c.args.options(quant::QuantMode::Mixed),
                                           c.sweep, printer.callback());
    nlohmann::json list = nlohmann::json::array();
    for (const auto& p : points) {
        nlohmann::json j = quant::allocationToJson(p.allocation);
        j["size_budget_bytes"] = p.size_budget_bytes;
        if (p.allocation.status == quant::AllocationStatus::Optimal) {
            j["accuracy"] = p.accuracy;
            j["model_bytes"] = p.model_bytes;
        }
        list.push_back(j);
    }
    const nlohmann::json out{{"run", fs::absolute(c.run).string()}, {"pareto", list}};
    train::writeFileAtomically((fs::path(c.run) / "pareto.json").string(), out.dump(2));
    if (c.args.json) {
        std::cout << out.dump(2) << "\n";
        return;
    }
    std::cout << std::left << std::setw(16) << "budget" << std::setw(14) << "model" << std::setw(14) << "Σ Ω"
              << std::setw(10) << "accuracy" << "bits at 4\n";
    for (const auto& p : points) {
        std::cout << std::setw(16) << kib(p.size_budget_bytes);
        if (p.allocation.status != quant::AllocationStatus::Optimal) {
            std::cout << "infeasible\n";
            continue;
        }
        int at4 = 0;
        for (const auto& [name, b] : p.allocation.bits) at4 += b == 4;
        std::ostringstream omega;
        omega << std::scientific << std::setprecision(3) << p.allocation.objective;
        std::cout << std::setw(14) << kib(p.model_bytes) << std::setw(14) << omega.str() << std::setw(10)
                  << (std::to_string(static_cast<int>(1000 * p.accuracy) / 10.0).substr(0, 4) + "%") << at4 << " of "
                  << p.allocation.bits.size() << "\n";
    }
    std::cout << "pareto: " << (fs::path(c.run) / "pareto.json").string() << "\n";
}

void runQuantize(const QuantizeCommand& c) {
    const quant::QuantMode mode = quant::quantModeFromString(c.args.mode);
    torch::set_num_threads(resolveThreadCount(c.args.threads));
    LoadedRun run = loadRun(c.run, c.args.threads, c.args.quiet || c.args.json);
    for (const auto& w : run.prepared.warnings) std::cerr << "warning: " << w << "\n";
    train::MultimodalNet net = loadTrainedNet(run.prepared.spec, run.aux_heads, run.best_weights);
    const auto order = train::branchInputOrder(run.prepared.spec, run.prepared.data);
    if (c.sweep > 0) return runSweep(c, net, run, order);
    quant::QuantizeOptions options = c.args.options(mode);
    if (!c.args.plan.empty()) options.plan_bits = readPlanBits(c.args.plan);
    ProgressPrinter printer(c.args.quiet || c.args.json);
    const quant::QuantizationReport report =
        quant::quantizeModel(net, run.prepared.data, order, options, printer.callback());
    nlohmann::json j = quant::reportToJson(report);
    j["run"] = fs::absolute(c.run).string();
    const std::string plan_path =
        c.plan_out.empty() ? (fs::path(c.run) / ("quant-" + c.args.mode + ".json")).string() : c.plan_out;
    experiment::ExperimentStore store(c.args.workspace.empty() ? defaultWorkspace() : c.args.workspace);
    const std::string id = store.createRun("quantize", c.args.mode, nlohmann::json(run.prepared.spec),
                                           {{"run", j["run"]}, {"mode", c.args.mode}}, run.prepared.fingerprint);
    j["run_id"] = id;
    train::writeFileAtomically(plan_path, j.dump(2));  // written whole, or not at all
    store.addArtifact(id, "plan", fs::absolute(plan_path).string());
    store.finishRun(id, j);
    if (c.args.json) {
        std::cout << j.dump(2) << "\n";
        return;
    }
    printReport(report);
    std::cout << "plan: " << plan_path << "\n";
}

// ---- ablate ----------------------------------------------------------------
struct AblateCommand {
    TrainingOptions training;
    QuantArgs quant;
};

void runAblate(AblateCommand c) {
    c.training.json = c.quant.json;
    c.training.quiet = c.quant.quiet;
    const PreparedTraining p = prepareTraining(c.training);
    if (p.spec.branches.size() < 2) throw Error("ablate needs a spec with at least two branches");
    TrainProgressPrinter printer(c.quant.quiet || c.quant.json);
    const train::ComparisonResult comparison = train::compareModalities(
        p.spec, p.data, p.config, printer.callback(), [&](const std::string& v) { printer.setVariant(v); });

    struct Variant {
        std::string name;
        model::ModelSpec spec;
        train::TrainingData data;
        std::string weights;
        double fp32;
    };
    std::vector<Variant> variants;
    const bool aux = p.config.aux_loss_weight > 0;
    variants.push_back({"multimodal", comparison.multimodal.spec, p.data,
                        (fs::path(p.config.checkpoint_dir) / "multimodal" / "best.pt").string(),
                        comparison.multimodal.test.accuracy});
    for (const auto& [m, r] : comparison.unimodal)
        variants.push_back({"only " + m, r.spec, p.data.only(m),
                            (fs::path(p.config.checkpoint_dir) / ("only-" + m) / "best.pt").string(), r.test.accuracy});

    nlohmann::json matrix = nlohmann::json::array();
    for (const auto& v : variants) {
        nlohmann::json row{{"variant", v.name}, {"fp32", {{"accuracy", v.fp32}}}};
        for (quant::QuantMode mode : {quant::QuantMode::Int8, quant::QuantMode::Int4, quant::QuantMode::Mixed}) {
            if (!c.quant.quiet && !c.quant.json) std::cerr << "quantizing " << v.name << " → " << quant::toString(mode) << "\n";
            train::MultimodalNet net = loadTrainedNet(v.spec, aux, v.weights);
            const auto order = train::branchInputOrder(v.spec, v.data);
            const quant::QuantizationReport r = quant::quantizeModel(net, v.data, order, c.quant.options(mode));
            row["fp32"]["model_bytes"] = r.fp32_model_bytes;
            row[quant::toString(mode)] = {{"accuracy", r.test.accuracy},
                                          {"delta", r.test.accuracy - r.fp32_test.accuracy},
                                          {"model_bytes", r.model_bytes},
                                          {"bops", r.bops},
                                          {"bits", r.bits}};
            if (r.allocation) {
                row["mp"]["ilp"] = quant::allocationToJson(*r.allocation);
                row["mp"]["ilp_problem"] = quant::problemToJson(r.problem);  // inputs, to reproduce the plan
            }
        }
        matrix.push_back(row);
    }
    nlohmann::json result{{"matrix", matrix}, {"comparison", comparison}, {"data_fingerprint", p.fingerprint},
                          {"seed", p.config.seed}};
    experiment::ExperimentStore store(c.training.workspace.empty() ? defaultWorkspace() : c.training.workspace);
    const std::string id = store.createRun("ablate", fs::path(c.training.out).filename().string(),
                                           nlohmann::json(p.spec), {{"train", p.config}, {"data", c.training.dataset.path}},
                                           p.fingerprint);
    result["run_id"] = id;
    train::writeFileAtomically((fs::path(c.training.out) / "ablation.json").string(), result.dump(2));
    store.addArtifact(id, "ablation", fs::absolute(fs::path(c.training.out) / "ablation.json").string());
    store.finishRun(id, result);
    if (c.quant.json) {
        std::cout << result.dump(2) << "\n";
        return;
    }
    std::cout << "\n" << std::left << std::setw(18) << "variant";
    for (const char* m : {"FP32", "INT8", "INT4", "MP"}) std::cout << std::setw(24) << m;
    std::cout << "\n" << std::fixed;
    for (const auto& row : matrix) {
        std::cout << std::setw(18) << row["variant"].get<std::string>();
        for (const char* key : {"fp32", "int8", "int4", "mp"}) {
            const auto& cell = row[key];
            std::ostringstream text;
            text << std::fixed << std::setprecision(1) << 100 * cell["accuracy"].get<double>() << "%";
            if (cell.contains("delta")) text << " (" << std::showpos << 100 * cell["delta"].get<double>() << std::noshowpos << ")";
            text << " " << kib(cell["model_bytes"].get<double>());
            std::cout << std::setw(24) << text.str();
        }
        std::cout << "\n";
    }
    std::cout << "run " << id << " in " << c.training.out << "\n";
}

}  // namespace

void registerQuantCommands(CLI::App& app) {
    auto quantize = std::make_shared<QuantizeCommand>();
    CLI::App* q = app.add_subcommand("quantize", "Quantize a trained run: uniform INT8/INT4 or ILP mixed precision");
    q->add_option("--run", quantize->run, "Run folder from `tinym2net train`")->required();
    q->add_option("--plan-out", quantize->plan_out, "Where to write the plan JSON (default RUN/quant-MODE.json)");
    q->add_option("--plan", quantize->args.plan, "Replay a saved plan's bits (a quant-*.json)");
    q->add_option("--sweep", quantize->sweep, "MP: Pareto sweep over N size budgets (all-INT4 … all-INT8)")
        ->check(CLI::Range(2, 1000));
    quantize->args.addTo(*q, true);
    q->callback([quantize] { runQuantize(*quantize); });

    auto ablate = std::make_shared<AblateCommand>();
    CLI::App* a = app.add_subcommand(
        "ablate", "Train fused and unimodal networks, then FP32 / INT8 / INT4 / MP accuracy and size of each");
    ablate->training.dataset.addTo(*a, true);
    a->add_option("--spec", ablate->training.spec_path, "ModelSpec JSON (default: preset)");
    a->add_option("--epochs", ablate->training.train.epochs, "Training epochs")->capture_default_str();
    a->add_option("--batch-size", ablate->training.train.batch_size, "Batch size")->capture_default_str();
    a->add_option("--lr", ablate->training.train.learning_rate, "Adam learning rate")->capture_default_str();
    a->add_option("--modality-dropout", ablate->training.train.modality_dropout, "Modality dropout")
        ->capture_default_str();
    a->add_option("--out", ablate->training.out, "Output folder")->required();
    ablate->quant.addTo(*a, false, /*with_threads=*/false);  // --threads comes with the dataset options
    a->callback([ablate] {
        AblateCommand c = *ablate;
        c.quant.threads = c.training.dataset.threads;
        if (c.training.workspace.empty()) c.training.workspace = c.quant.workspace;
        c.training.train.resume = false;
        runAblate(c);
    });
}

}  // namespace tm2::cli
