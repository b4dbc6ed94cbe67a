// `tinym2net quantize` (one run → INT8 / INT4 / mixed precision) and
// `tinym2net ablate` ({each unimodal, fused} × {FP32, INT8, INT4, MP}).

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <map>
#include <memory>
#include <sstream>

#include <nlohmann/json.hpp>

#include "app/cli/ablate_seeds.h"
#include "app/cli/commands.h"
#include "app/cli/progress_printer.h"
#include "app/cli/train_progress.h"
#include "app/cli/cli_options.h"
#include "core/base/atomic_write.h"
#include "core/base/error.h"
#include "core/experiment/experiment_store.h"
#include "core/quant/quantizer.h"
#include "core/train/checkpoint.h"
#include "core/train/comparison.h"
#include "core/train/trainer.h"
#include "core/workflow/model_export.h"
#include "core/workflow/quantize_session.h"
#include "core/workflow/test_split_required.h"

namespace tm2::cli {

namespace {

namespace fs = std::filesystem;

std::string kib(double bytes) {
    std::ostringstream s;
    s << std::fixed << std::setprecision(1) << bytes / 1024.0 << " KiB";
    return s.str();
}

void printReport(const quant::QuantizationReport& r) {
    std::cout << std::left << std::setw(34) << "layer" << std::setw(8) << "params" << std::setw(10) << "MACs";
    // "±SE": the trace's standard error relative to it (hessian_trace_relative_sem), what the tolerance bounds.
    // Ω at each width the ILP chose among (2, 4 and 8 with --bits 2,4,8).
    std::vector<int> widths = r.problem.candidate_bits;
    std::sort(widths.begin(), widths.end());
    if (r.mode == quant::QuantMode::Mixed) {
        std::cout << std::setw(12) << "Tr(H)" << std::setw(9) << "±SE";
        for (int b : widths) std::cout << std::setw(11) << "Ω(" + std::to_string(b) + ")";
    }
    std::cout << "bits\n";
    for (const auto& l : r.layers) {
        std::cout << std::setw(34) << l.name << std::setw(8) << l.params << std::setw(10) << l.macs;
        if (r.mode == quant::QuantMode::Mixed) {
            std::cout << std::setw(12) << std::setprecision(4) << l.trace;
            std::ostringstream se;
            se << std::fixed << std::setprecision(1) << 100 * l.trace_relative_sem << "%";
            std::cout << std::setw(8) << se.str();
            for (int b : widths) std::cout << std::setw(11) << (l.omega.count(b) ? l.omega.at(b) : 0.0);
        }
        std::cout << l.bits << "\n";
    }
    std::cout << std::fixed << std::setprecision(1) << "test accuracy " << 100 * r.test.accuracy << "% (FP32 "
              << 100 * r.fp32_test.accuracy << "%, " << std::showpos << 100 * (r.test.accuracy - r.fp32_test.accuracy)
              << std::noshowpos << " points";
    if (r.integer_test) std::cout << ", integer-exact " << 100 * r.integer_test->accuracy << "%";
    std::cout << "); model " << kib(r.model_bytes) << " (FP32 " << kib(r.fp32_model_bytes)
              << ", INT8 " << kib(r.int8_model_bytes) << "); " << std::setprecision(2) << r.bops / 1e6 << " M BOPS\n";
    if (r.allocation)
        std::cout << "ILP (CBC): Σ Ω = " << std::scientific << std::setprecision(3) << r.omega_total << std::fixed
                  << ", solved in " << r.allocation->solve_ms << " ms; Hessian traces: " << r.hessian_probes
                  << " probes in " << std::setprecision(1) << r.hessian_seconds << " s, worst relative standard error "
                  << 100 * r.hessian_worst_relative_sem << "% ("
                  << (r.hessian_converged ? "met" : "NOT met: raise --hessian-probes") << " the tolerance "
                  << 100 * r.hessian_tolerance << "%)\n";
}

struct QuantizeCommand {
    std::string run;
    QuantFlags flags;
    std::string plan_out;
    int sweep = 0;
};

void printSweep(const nlohmann::json& out) {
    std::cout << std::left << std::setw(16) << "budget" << std::setw(14) << "model" << std::setw(14) << "Σ Ω"
              << std::setw(10) << "val acc" << std::setw(10) << "test acc" << "layers per width\n";
    for (const auto& p : out.at("pareto")) {
        std::cout << std::setw(16) << kib(p.at("size_budget_bytes").get<double>());
        if (!p.contains("model_bytes")) {
            std::cout << "infeasible\n";
            continue;
        }
        std::map<int, int> per_width;  // e.g. "2:3 4:5 8:2"
        for (const auto& [name, b] : p.at("bits").items()) ++per_width[b.get<int>()];
        std::ostringstream widths;
        for (const auto& [b, n] : per_width) widths << (widths.tellp() > 0 ? " " : "") << b << ":" << n;
        std::ostringstream omega, val, test;
        omega << std::scientific << std::setprecision(3) << p.at("objective").get<double>();
        if (p.contains("val_accuracy"))
            val << std::fixed << std::setprecision(1) << 100 * p.at("val_accuracy").get<double>() << "%";
        else
            val << "n/a";
        test << std::fixed << std::setprecision(1) << 100 * p.at("test_accuracy").get<double>() << "%";
        std::cout << std::setw(14) << kib(p.at("model_bytes").get<double>()) << std::setw(14) << omega.str()
                  << std::setw(10) << val.str() << std::setw(10) << test.str() << widths.str() << "\n";
    }
}

void runQuantize(const QuantizeCommand& c) {
    const workflow::QuantSettings settings = c.flags.resolved();
    quant::quantModeFromString(settings.mode);  // a bad mode fails before any work
    if (c.sweep > 0) {
        nlohmann::json out;
        {
            ProgressPrinter printer(c.flags.output.silent());
            out = workflow::paretoAndSave(c.run, settings, c.sweep, printer.callback());
        }
        if (c.flags.output.json) {
            std::cout << out.dump(2) << "\n";
            return;
        }
        printSweep(out);
        std::cout << "pareto: " << (fs::path(c.run) / "pareto.json").string() << "\n";
        return;
    }
    workflow::QuantizeOutcome outcome;
    {
        ProgressPrinter printer(c.flags.output.silent());
        outcome = workflow::quantizeAndRecord(c.run, settings, c.plan_out, printer.callback());
    }
    printWarnings(outcome.warnings);
    if (c.flags.output.json) {
        std::cout << outcome.result.dump(2) << "\n";
        return;
    }
    printReport(outcome.report);
    std::cout << "plan: " << outcome.plan_path << "\n";
}

// ---- ablate ----------------------------------------------------------------
struct AblateCommand {
    workflow::TrainingOptions training;
    QuantFlags quant;
    int seeds = 1;         // repeat under this many seeds (OUT/seed-K each)
    bool mp_2bit = false;  // a fifth column: MP with 2-bit weights allowed (--bits ∪ {2})
};

// The ablation's quantizations, each a matrix column: key, label, options.
struct AblationColumn {
    std::string key, label;
    quant::QuantizeOptions options;
};

std::vector<AblationColumn> ablationColumns(const workflow::QuantSettings& settings, bool mp_2bit) {
    std::vector<AblationColumn> columns;
    for (quant::QuantMode mode : {quant::QuantMode::Int8, quant::QuantMode::Int4, quant::QuantMode::Mixed})
        columns.push_back({quant::toString(mode), "", settings.options(mode)});
    columns[0].label = "INT8", columns[1].label = "INT4", columns[2].label = "MP";
    if (mp_2bit) {
        // The same budgets (α ranges over the wider span the 2-bit widths open), 2 bits allowed.
        AblationColumn c{"mp_2bit", "MP 2/4/8", settings.options(quant::QuantMode::Mixed)};
        std::vector<int>& bits = c.options.candidate_bits;
        if (std::find(bits.begin(), bits.end(), 2) == bits.end()) bits.insert(bits.begin(), 2);
        columns.push_back(std::move(c));
    }
    return columns;
}

// Trains, quantizes and records one ablation; returns what OUT/ablation.json holds.
nlohmann::json ablateOnce(const AblateCommand& c) {
    const OutputFlags& output = c.quant.output;
    const workflow::QuantSettings settings = c.quant.resolved();
    workflow::PreparedTraining p;
    {
        ProgressPrinter features(output.silent());
        p = workflow::prepareTraining(c.training, features.callback());
    }
    printWarnings(p.warnings);
    if (p.spec.branches.size() < 2) throw Error("ablate needs a spec with at least two branches");
    workflow::requireTestSplit(p.data, "ablate", "dataset " + c.training.dataset.path);
    TrainProgressPrinter printer(output.silent());
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

    const std::vector<AblationColumn> columns = ablationColumns(settings, c.mp_2bit);
    nlohmann::json matrix = nlohmann::json::array();
    for (const auto& v : variants) {
        nlohmann::json row{{"variant", v.name}, {"fp32", {{"accuracy", v.fp32}}}};
        for (const AblationColumn& column : columns) {
            if (!output.silent()) std::cerr << "quantizing " << v.name << " → " << column.key << "\n";
            train::MultimodalNet net = workflow::loadTrainedNet(v.spec, aux, v.weights);
            const auto order = train::branchInputOrder(v.spec, v.data);
            const quant::QuantizationReport r = quant::quantizeModel(net, v.data, order, column.options);
            row["fp32"]["model_bytes"] = r.fp32_model_bytes;
            row[column.key] = {{"accuracy", r.test.accuracy},
                               {"delta", r.test.accuracy - r.fp32_test.accuracy},
                               {"model_bytes", r.model_bytes},
                               {"bops", r.bops},
                               {"bits", r.bits}};
            if (r.allocation) {
                row[column.key]["ilp"] = quant::allocationToJson(*r.allocation);
                // The ILP's inputs, to reproduce the plan.
                row[column.key]["ilp_problem"] = quant::problemToJson(r.problem);
            }
        }
        matrix.push_back(row);
    }
    nlohmann::json labels = nlohmann::json::array();  // in the table's order
    for (const AblationColumn& column : columns) labels.push_back({{"key", column.key}, {"label", column.label}});
    nlohmann::json result{{"matrix", matrix},       {"columns", labels}, {"comparison", comparison},
                          {"data_fingerprint", p.fingerprint}, {"seed", p.config.seed}};
    experiment::ExperimentStore store(workflow::workspaceOrDefault(c.training.workspace));
    const std::string id = store.createRun("ablate", fs::path(c.training.out).filename().string(),
                                           nlohmann::json(p.spec), {{"train", p.config}, {"data", c.training.dataset.path}},
                                           p.fingerprint);
    result["run_id"] = id;
    tm2::writeFileAtomically((fs::path(c.training.out) / "ablation.json").string(), result.dump(2));
    store.addArtifact(id, "ablation", fs::absolute(fs::path(c.training.out) / "ablation.json").string());
    store.finishRun(id, result);
    return result;
}

void printAblation(const nlohmann::json& result, const std::string& out) {
    const nlohmann::json& matrix = result.at("matrix");
    std::vector<std::string> keys{"fp32"};
    std::cout << "\n" << std::left << std::setw(18) << "variant" << std::setw(24) << "FP32";
    for (const auto& column : result.at("columns")) {
        keys.push_back(column.at("key").get<std::string>());
        std::cout << std::setw(24) << column.at("label").get<std::string>();
    }
    std::cout << "\n" << std::fixed;
    for (const auto& row : matrix) {
        std::cout << std::setw(18) << row["variant"].get<std::string>();
        for (const std::string& key : keys) {
            const auto& cell = row[key];
            std::ostringstream text;
            text << std::fixed << std::setprecision(1) << 100 * cell["accuracy"].get<double>() << "%";
            if (cell.contains("delta")) text << " (" << std::showpos << 100 * cell["delta"].get<double>() << std::noshowpos << ")";
            text << " " << kib(cell["model_bytes"].get<double>());
            std::cout << std::setw(24) << text.str();
        }
        std::cout << "\n";
    }
    std::cout << "run " << result.at("run_id").get<std::string>() << " in " << out << "\n";
}

void runAblate(const AblateCommand& c) {
    const OutputFlags& output = c.quant.output;
    if (c.seeds <= 1) {
        const nlohmann::json result = ablateOnce(c);
        if (output.json)
            std::cout << result.dump(2) << "\n";
        else
            printAblation(result, c.training.out);
        return;
    }
    const std::uint64_t first = c.training.dataset.split.seed;
    std::vector<nlohmann::json> results;
    std::vector<std::string> outs;
    for (int i = 0; i < c.seeds; ++i) {
        AblateCommand one = c;
        one.training.dataset.split.seed = first + static_cast<std::uint64_t>(i);
        one.training.out = (fs::path(c.training.out) / ("seed-" + std::to_string(first + i))).string();
        if (!output.silent()) std::cerr << "seed " << first + i << " (" << i + 1 << "/" << c.seeds << ")\n";
        results.push_back(ablateOnce(one));
        outs.push_back(one.training.out);
    }
    const nlohmann::json summary = summarizeSeededAblations(results, outs, first);
    tm2::writeFileAtomically((fs::path(c.training.out) / "ablation-seeds.json").string(), summary.dump(2));
    if (output.json) {
        std::cout << summary.dump(2) << "\n";
        return;
    }
    printSeededAblation(summary);
    std::cout << "runs in " << c.training.out << "/seed-N; summary in "
              << (fs::path(c.training.out) / "ablation-seeds.json").string() << "\n";
}

}  // namespace

void registerQuantCommands(CLI::App& app) {
    auto quantize = std::make_shared<QuantizeCommand>();
    CLI::App* q = app.add_subcommand("quantize", "Quantize a trained run: uniform INT8/INT4 or ILP mixed precision");
    q->add_option("--run", quantize->run, "Run folder from `tinym2net train` (or `compare` / `ablate`: the fused network)")->required();
    q->add_option("--plan-out", quantize->plan_out, "Where to write the plan JSON (default RUN/quant-MODE.json)");
    q->add_option("--plan", quantize->flags.settings.plan, "Replay a saved plan's bits (a quant-*.json)");
    q->add_option("--sweep", quantize->sweep, "MP: Pareto sweep over N size budgets (all-INT4 … all-INT8)")
        ->check(CLI::Range(2, 1000));
    addQuantFlags(*q, quantize->flags, true);
    q->callback([quantize] { runQuantize(*quantize); });

    auto ablate = std::make_shared<AblateCommand>();
    CLI::App* a = app.add_subcommand(
        "ablate", "Train fused and unimodal networks, then FP32 / INT8 / INT4 / MP accuracy and size of each");
    addDatasetOptions(*a, ablate->training.dataset, true);
    a->add_option("--spec", ablate->training.spec_path, "ModelSpec JSON (default: preset)");
    a->add_option("--epochs", ablate->training.train.epochs, "Training epochs")->capture_default_str();
    a->add_option("--batch-size", ablate->training.train.batch_size, "Batch size")->capture_default_str();
    a->add_option("--lr", ablate->training.train.learning_rate, "Adam learning rate")->capture_default_str();
    a->add_option("--modality-dropout", ablate->training.train.modality_dropout, "Modality dropout")
        ->capture_default_str();
    a->add_option("--augment", ablate->training.augment, "Training-time augmentation (as `train --augment`)")
        ->default_str("off");
    a->add_option("--out", ablate->training.out, "Output folder")->required();
    a->add_option("--seeds", ablate->seeds, "Repeat under seeds S … S+N−1 (OUT/seed-K each) and report mean ± 95 % CI")
        ->check(CLI::Range(1, 1000))
        ->capture_default_str();
    addQuantFlags(*a, ablate->quant, false, /*with_threads=*/false);  // --threads comes with the dataset options
    a->add_flag("--mp-2bit", ablate->mp_2bit,
                "Add a column: mixed precision with 2-bit weights allowed (the ILP over --bits and 2, same "
                "budgets)");
    a->callback([ablate] {
        AblateCommand c = *ablate;
        c.quant.settings.threads = c.training.dataset.threads;
        if (c.training.workspace.empty()) c.training.workspace = c.quant.settings.workspace;
        c.training.train.resume = false;
        runAblate(c);
    });
}

}  // namespace tm2::cli
