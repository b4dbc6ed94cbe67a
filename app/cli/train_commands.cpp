// `tinym2net train` and `tinym2net compare`.

#include <filesystem>
#include <iomanip>
#include <iostream>
#include <memory>
#include <sstream>

#include <nlohmann/json.hpp>

#include "app/cli/commands.h"
#include "app/cli/train_progress.h"
#include "app/cli/training_session.h"
#include "core/base/error.h"
#include "core/experiment/experiment_store.h"
#include "core/train/checkpoint.h"
#include "core/train/comparison.h"

namespace tm2::cli {

namespace {

namespace fs = std::filesystem;

nlohmann::json runParams(const TrainingOptions& o, const PreparedTraining& p) {
    return nlohmann::json{{"data", o.dataset.path},
                          {"only", o.only},
                          {"out", fs::absolute(o.out).string()},
                          {"train", p.config},
                          {"split", {{"val", o.dataset.split.val_fraction},
                                     {"test", o.dataset.split.test_fraction},
                                     {"seed", o.dataset.split.seed},
                                     {"mode", o.dataset.split_mode}}},
                          {"samples", {{"train", p.data.train.size()}, {"val", p.data.val.size()}, {"test", p.data.test.size()}}}};
}

// Runs `work` as an experiment-store run; marks it failed/cancelled on error.
template <typename Work>
nlohmann::json recordedRun(const TrainingOptions& o, const std::string& kind, const PreparedTraining& p, Work work) {
    experiment::ExperimentStore store(o.workspace.empty() ? defaultWorkspace() : o.workspace);
    const std::string run_id = store.createRun(kind, fs::path(o.out).filename().string(), nlohmann::json(p.spec),
                                               runParams(o, p), p.fingerprint);
    try {
        nlohmann::json result = work();
        result["run_id"] = run_id;
        result["data_fingerprint"] = p.fingerprint;
        for (const auto& e : result.value("history", nlohmann::json::array()))
            store.appendEpoch(run_id, e.at("epoch").get<int>(), e);
        store.addArtifact(run_id, "run_folder", fs::absolute(o.out).string());
        store.addArtifact(run_id, "spec", fs::absolute(fs::path(o.out) / "spec.json").string());
        store.addArtifact(run_id, "checkpoints", fs::absolute(p.config.checkpoint_dir).string());
        store.finishRun(run_id, result);
        train::writeFileAtomically((fs::path(o.out) / "result.json").string(), result.dump(2));
        return result;
    } catch (const Cancelled&) {
        store.failRun(run_id, "cancelled", "cancelled by the user");
        throw;
    } catch (const std::exception& e) {
        store.failRun(run_id, "failed", e.what());
        throw;
    }
}

std::string percent(double x) {
    std::ostringstream s;
    s << std::fixed << std::setprecision(1) << 100 * x << "%";
    return s.str();
}

void printMetrics(const std::string& title, const train::TrainResult& r) {
    std::cout << std::left << std::setw(22) << title << " test acc " << std::setw(7) << percent(r.test.accuracy)
              << " UAR " << std::setw(7) << percent(r.test.balanced_accuracy) << " macro-F1 " << std::setw(7)
              << percent(r.test.macro_f1);
    if (r.test.roc_auc >= 0) std::cout << " AUC " << std::setprecision(3) << r.test.roc_auc;
    std::cout << "  (best epoch " << r.best_epoch << ", " << r.parameters << " params, "
              << static_cast<long>(r.train_samples_per_s) << " samples/s)\n";
    for (const auto& [m, metrics] : r.test_missing)
        std::cout << "    without " << std::setw(14) << m << " test acc " << percent(metrics.accuracy) << "\n";
}

void runTrain(const TrainingOptions& o) {
    const PreparedTraining p = prepareTraining(o);
    TrainProgressPrinter printer(o.quiet || o.json);
    const nlohmann::json result = recordedRun(o, "train", p, [&] {
        return nlohmann::json(train::trainModel(p.spec, p.data, p.config, printer.callback()));
    });
    if (o.json) {
        std::cout << result.dump(2) << "\n";
        return;
    }
    const train::TrainResult r = [&] {
        train::TrainResult t;
        t.test = result.at("test").get<train::ClassificationMetrics>();
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

void runCompare(const TrainingOptions& o) {
    const PreparedTraining p = prepareTraining(o);
    if (p.spec.branches.size() < 2) throw Error("compare needs a spec with at least two branches");
    TrainProgressPrinter printer(o.quiet || o.json);
    train::ComparisonResult comparison;
    const nlohmann::json result = recordedRun(o, "compare", p, [&] {
        comparison = train::compareModalities(p.spec, p.data, p.config, printer.callback(),
                                              [&](const std::string& v) { printer.setVariant(v); });
        return nlohmann::json(comparison);
    });
    if (o.json) {
        std::cout << result.dump(2) << "\n";
        return;
    }
    std::cout << "\nSame budget for every variant: " << p.config.epochs << " epochs, batch " << p.config.batch_size
              << ", lr " << p.config.learning_rate << ", seed " << p.config.seed << "\n";
    printMetrics("multimodal", comparison.multimodal);
    for (const auto& [m, r] : comparison.unimodal) printMetrics("only " + m, r);
    std::cout << "fusion gain over the best single modality (" << comparison.best_unimodal
              << "): " << std::showpos << std::fixed << std::setprecision(1) << 100 * comparison.fusion_gain
              << std::noshowpos << " points\nrun " << result.at("run_id").get<std::string>() << " in " << o.out << "\n";
}

}  // namespace

void registerTrainCommands(CLI::App& app) {
    auto train_options = std::make_shared<TrainingOptions>();
    CLI::App* train = app.add_subcommand("train", "Train a multimodal (or --only one modality) network");
    train_options->addTo(*train, true);
    train->callback([train_options] { runTrain(*train_options); });

    auto compare_options = std::make_shared<TrainingOptions>();
    CLI::App* compare =
        app.add_subcommand("compare", "Train the multimodal network and each unimodal variant under one budget");
    compare_options->addTo(*compare, false);
    compare->callback([compare_options] { runCompare(*compare_options); });
}

}  // namespace tm2::cli
