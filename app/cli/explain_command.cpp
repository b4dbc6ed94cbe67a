// `tinym2net explain --run RUN --sample ID --out DIR`: why a trained run decides.
// Per branch a gradient × input map of one test sample (PNG: the input beside its
// overlay), and per class the accuracy and confidence with each modality masked
// (JSON + CSV).

#include <iomanip>
#include <iostream>
#include <nlohmann/json.hpp>

#include "app/cli/cli_options.h"
#include "app/cli/commands.h"
#include "app/cli/progress_printer.h"
#include "core/workflow/explain_run.h"

namespace tm2::cli {

namespace {

struct ExplainCommand {
    workflow::ExplainRequest request;
    OutputFlags output;
};

void printReport(const workflow::ExplainReport& r) {
    const workflow::SampleExplanation& s = r.sample;
    std::cout << "sample " << s.sample << ": label " << s.label << ", predicted " << s.predicted;
    if (s.explained != s.predicted) std::cout << ", maps explain " << s.explained;
    std::cout << "\n";
    double total = 0;
    for (const auto& b : s.saliency.branches) total += b.total;
    std::cout << std::fixed << std::setprecision(1);
    for (const auto& b : s.saliency.branches)
        std::cout << "  " << std::left << std::setw(10) << b.modality << std::right
                  << " share of |gradient x input| " << (total > 0 ? 100 * b.total / total : 0.0) << "%\n";
    const explain::ModalityContributions& c = r.contributions;
    std::cout << "per class, test accuracy (mean confidence) with every modality, then each masked:\n";
    for (std::size_t k = 0; k < c.classes.size(); ++k) {
        std::cout << "  " << std::left << std::setw(14) << c.classes[k] << std::right << " all "
                  << 100 * c.all_present[k].accuracy << "% (" << 100 * c.all_present[k].mean_confidence
                  << "%)";
        for (std::size_t b = 0; b < c.masked.size(); ++b)
            std::cout << ", no " << c.masked[b].modality << " " << 100 * c.masked[b].masked[k].accuracy
                      << "% (" << 100 * c.masked[b].masked[k].mean_confidence << "%)";
        std::cout << "  [" << c.all_present[k].samples << " samples]\n";
    }
    std::cout << "wrote";
    for (const auto& f : r.files) std::cout << " " << f;
    std::cout << " to " << r.out_dir << "\n";
}

void runExplain(const ExplainCommand& c) {
    installInterruptHandler();
    workflow::ExplainReport report;
    {
        ProgressPrinter printer(c.output.silent());
        report = workflow::explainRun(c.request, printer.callback());
    }
    printWarnings(report.warnings);
    if (c.output.json) {
        std::cout << workflow::toJson(report).dump(2) << "\n";
        return;
    }
    if (!c.output.quiet) printReport(report);
}

}  // namespace

void registerExplainCommand(CLI::App& app) {
    auto cmd = std::make_shared<ExplainCommand>();
    CLI::App* e = app.add_subcommand(
        "explain",
        "Why a trained run decides: saliency maps of a test sample and per-class modality contributions");
    e->add_option("--run", cmd->request.run_dir,
                  "Run folder from `tinym2net train` (or `compare`: the fused network)")
        ->required()
        ->check(CLI::ExistingDirectory);
    e->add_option("--sample", cmd->request.sample,
                  "Test sample id (a window id, or a recording id for its first window; default: the first "
                  "test sample)");
    e->add_option("--class", cmd->request.class_name,
                  "Class whose evidence the maps show (default: the predicted one)");
    e->add_option("--out", cmd->request.out_dir,
                  "Folder for the PNG maps, explain.json and modality-contribution.csv")
        ->required();
    e->add_option("--threads", cmd->request.threads, "Worker threads (0 = all cores)")->capture_default_str();
    e->add_flag("--json", cmd->output.json, "Print the result as JSON");
    e->add_flag("--quiet", cmd->output.quiet, "No progress and no summary");
    e->callback([cmd] { runExplain(*cmd); });
}

}  // namespace tm2::cli
