// `tinym2net train` and `tinym2net compare`.

#include <filesystem>
#include <iomanip>
#include <iostream>
#include <memory>
#include <sstream>

#include <nlohmann/json.hpp>

#include "app/cli/commands.h"
#include "app/cli/compare_fusions.h"
#include "app/cli/train_progress.h"
#include "app/cli/cli_options.h"
#include "app/cli/compare_seeds.h"
#include "app/cli/progress_printer.h"
#include "core/base/error.h"
#include "core/workflow/recorded_training.h"

namespace tm2::cli {

namespace {

namespace fs = std::filesystem;

std::string percent(double x) {
    std::ostringstream s;
    s << std::fixed << std::setprecision(1) << 100 * x << "%";
    return s.str();
}

void printMetrics(const std::string& title, const train::TrainResult& r) {
    std::cout << std::left << std::setw(22) << title;
    if (r.test.samples == 0) {
        // No test split on purpose (--test 0): no score, never a 0 %.
        std::cout << " test —  (no test split)";
    } else {
        std::cout << " test acc " << std::setw(7) << percent(r.test.accuracy) << " UAR " << std::setw(7)
                  << percent(r.test.balanced_accuracy) << " macro-F1 " << std::setw(7) << percent(r.test.macro_f1);
        if (r.test.roc_auc >= 0) std::cout << " AUC " << std::setprecision(3) << r.test.roc_auc;
    }
    std::cout << "  (best epoch " << r.best_epoch << ", " << r.parameters << " params, "
              << static_cast<long>(r.train_samples_per_s) << " samples/s)\n";
    const train::MetricLevels& l = r.test_levels;
    if (l.window.samples > 0)
        std::cout << "    test acc per window " << percent(l.window.accuracy) << " (" << l.window.samples
                  << "), per recording " << percent(l.recording.accuracy) << " (" << l.recording.samples
                  << "), per participant " << percent(l.participant.accuracy) << " (" << l.participant.samples
                  << ")\n";
    for (const auto& [m, metrics] : r.test_missing)
        std::cout << "    without " << std::setw(14) << m << " test acc " << percent(metrics.accuracy) << "\n";
}

struct TrainCommand {
    workflow::TrainingOptions options;
    OutputFlags output;
    int seeds = 1;                     // compare: repeat under this many seeds
    std::vector<std::string> fusions;  // compare: one run per fusion kind (one kind: replaces the spec's)
};

workflow::PreparedTraining prepare(const TrainCommand& c) {
    workflow::PreparedTraining p;
    {
        ProgressPrinter printer(c.output.silent());
        p = workflow::prepareTraining(c.options, printer.callback());
    }
    printWarnings(p.warnings);
    if (p.skipped > 0 && !c.output.json)
        std::cerr << p.skipped << " item(s) skipped (see `tinym2net data inspect`)\n";
    return p;
}

void runTrain(const TrainCommand& c) {
    const workflow::TrainingOptions& o = c.options;
    const workflow::PreparedTraining p = prepare(c);
    TrainProgressPrinter printer(c.output.silent());
    const nlohmann::json result = workflow::trainAndRecord(o, p, printer.callback());
    if (c.output.json) {
        std::cout << result.dump(2) << "\n";
        return;
    }
    const train::TrainResult r = [&] {
        train::TrainResult t;
        t.test = result.at("test").get<train::ClassificationMetrics>();
        if (result.contains("test_levels")) t.test_levels = result.at("test_levels").get<train::MetricLevels>();
        t.best_epoch = result.at("best_epoch");
        t.parameters = result.at("parameters");
        t.train_samples_per_s = result.at("train_samples_per_s");
        if (result.contains("test_missing"))
            for (auto& [m, v] : result.at("test_missing").items()) t.test_missing[m] = v.get<train::ClassificationMetrics>();
        return t;
    }();
    printMetrics(o.only.empty() ? "model" : "only " + o.only, r);
    std::cout << "run " << result.at("run_id").get<std::string>() << " in " << o.out << "\n";
}

void runCompare(const TrainCommand& given) {
    TrainCommand c = given;
    std::vector<model::FusionType> fusions;
    for (const auto& name : c.fusions) fusions.push_back(model::fusionTypeFromName(name, "--fusion"));
    if (fusions.size() > 1) return runFusionComparisons(c.options, fusions, c.seeds, c.output);
    if (fusions.size() == 1) c.options.fusion = fusions[0];
    if (c.seeds > 1) return runSeededComparisons(c.options, c.seeds, c.output);
    const workflow::TrainingOptions& o = c.options;
    const workflow::PreparedTraining p = prepare(c);
    TrainProgressPrinter printer(c.output.silent());
    const workflow::RecordedComparison recorded = workflow::compareAndRecord(
        o, p, printer.callback(), [&](const std::string& v) { printer.setVariant(v); });
    const train::ComparisonResult& comparison = recorded.comparison;
    const nlohmann::json& result = recorded.result;
    if (c.output.json) {
        std::cout << result.dump(2) << "\n";
        return;
    }
    std::cout << "\nSame budget for every variant: " << p.config.epochs << " epochs, batch " << p.config.batch_size
              << ", lr " << p.config.learning_rate << ", seed " << p.config.seed << "\n";
    printMetrics("multimodal", comparison.multimodal);
    for (const auto& [m, r] : comparison.unimodal) printMetrics("only " + m, r);
    std::cout << "fusion gain on test over the best single modality on validation (" << comparison.best_unimodal
              << "): " << std::showpos << std::fixed << std::setprecision(1) << 100 * comparison.fusion_gain
              << std::noshowpos << " points\nrun " << result.at("run_id").get<std::string>() << " in " << o.out << "\n";
}

}  // namespace

void registerTrainCommands(CLI::App& app) {
    auto train_options = std::make_shared<TrainCommand>();
    CLI::App* train = app.add_subcommand("train", "Train a multimodal (or --only one modality) network");
    addTrainingOptions(*train, train_options->options, train_options->output, true);
    train->callback([train_options] { runTrain(*train_options); });

    auto compare_options = std::make_shared<TrainCommand>();
    CLI::App* compare =
        app.add_subcommand("compare", "Train the multimodal network and each unimodal variant under one budget");
    addTrainingOptions(*compare, compare_options->options, compare_options->output, false);
    compare
        ->add_option("--seeds", compare_options->seeds,
                     "Repeat under seeds S … S+N−1 (OUT/seed-K each) and report mean ± 95 % CI")
        ->check(CLI::Range(1, 1000))
        ->capture_default_str();
    compare
        ->add_option(
            "--fusion", compare_options->fusions,
            "Fusion kinds to compare (concat, sum, late, gated, film, attention), comma-separated; one "
            "replaces the spec's, several run one comparison each in OUT/fusion-KIND and print them side "
            "by side")
        ->delimiter(',');
    compare->callback([compare_options] { runCompare(*compare_options); });
}

}  // namespace tm2::cli
