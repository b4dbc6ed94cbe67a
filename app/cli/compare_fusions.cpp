#include "app/cli/compare_fusions.h"

#include <cstdio>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>
#include <map>
#include <string>
#include <vector>

#include "app/cli/printed_comparison.h"
#include "core/model/cost_table.h"
#include "core/workflow/recorded_training.h"
#include "core/workflow/sweep/seed_statistics.h"

namespace tm2::cli {

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

struct FusionRow {
    std::string fusion;
    std::string out;
    std::string run_id;
    train::TrainResult multimodal;
    std::int64_t macs = 0;
};

std::string percent(double x) {
    char text[16];
    std::snprintf(text, sizeof text, "%.1f%%", 100 * x);
    return text;
}

// One line: name, test acc, UAR, accuracy without each modality, params, MACs ("—" where none).
void printRow(const std::string& name, const train::TrainResult& r,
              const std::vector<std::string>& modalities, std::int64_t macs) {
    std::printf("%-14s %-9s %-9s", name.c_str(), percent(r.test.accuracy).c_str(),
                percent(r.test.balanced_accuracy).c_str());
    for (const auto& m : modalities) {
        const auto it = r.test_missing.find(m);
        std::printf(" %-14s", it == r.test_missing.end() ? "—" : percent(it->second.accuracy).c_str());
    }
    std::printf(" %10lld %12s\n", static_cast<long long>(r.parameters),
                macs > 0 ? std::to_string(macs).c_str() : "—");
}

// One fused network's figures per seed: test accuracy, UAR, accuracy without each modality.
std::map<std::string, double> fusionFigures(const train::TrainResult& r) {
    std::map<std::string, double> f{{"test_accuracy", r.test.accuracy}, {"test_uar", r.test.balanced_accuracy}};
    for (const auto& [m, metrics] : r.test_missing) f["test_accuracy_without." + m] = metrics.accuracy;
    return f;
}

// "85.1±2.7%" (or "85.1%" from one value), the table's cells.
std::string percentCi(const std::map<std::string, sweep::MetricSummary>& summary, const std::string& name) {
    const auto it = summary.find(name);
    if (it == summary.end()) return "—";
    char text[32];
    if (it->second.has_interval)
        std::snprintf(text, sizeof text, "%.1f±%.1f%%", 100 * it->second.mean, 100 * it->second.half_width);
    else
        std::snprintf(text, sizeof text, "%.1f%%", 100 * it->second.mean);
    return text;
}

// Every fusion under every seed: OUT/fusion-KIND/seed-S, figures as mean ± 95 % CI.
void runSeededFusionComparisons(const workflow::TrainingOptions& options,
                                const std::vector<model::FusionType>& fusions, int seeds,
                                const OutputFlags& output) {
    const std::uint64_t first_seed = options.dataset.split.seed;
    struct Fusion {
        std::string name;
        json runs = json::array();
        std::vector<std::map<std::string, double>> figures;
        std::int64_t parameters = 0, macs = 0;
    };
    std::vector<Fusion> results;
    std::map<std::string, std::vector<std::map<std::string, double>>> unimodal;  // the first fusion's runs
    std::vector<std::string> modalities;
    workflow::PreparedTraining prepared;
    for (std::size_t i = 0; i < fusions.size(); ++i) {
        Fusion f;
        f.name = model::toString(fusions[i]);
        for (int k = 0; k < seeds; ++k) {
            workflow::TrainingOptions o = options;
            o.fusion = fusions[i];
            o.dataset.split.seed = first_seed + static_cast<std::uint64_t>(k);
            o.out = (fs::path(options.out) / ("fusion-" + f.name) / ("seed-" + std::to_string(o.dataset.split.seed)))
                        .string();
            if (!output.silent())
                std::cerr << "fusion " << f.name << " (" << i + 1 << "/" << fusions.size() << "), seed "
                          << o.dataset.split.seed << " (" << k + 1 << "/" << seeds << ")\n";
            const workflow::RecordedComparison r = runPrintedComparison(o, output, prepared);
            f.figures.push_back(fusionFigures(r.comparison.multimodal));
            f.runs.push_back({{"seed", o.dataset.split.seed},
                              {"out", o.out},
                              {"run_id", r.result.at("run_id")},
                              {"figures", f.figures.back()}});
            f.parameters = r.comparison.multimodal.parameters;
            f.macs = model::computeCostTable(model::inferShapes(prepared.spec), prepared.spec).totalMacs();
            if (i == 0)
                for (const auto& [m, u] : r.comparison.unimodal)
                    unimodal[m].push_back({{"test_accuracy", u.test.accuracy}, {"test_uar", u.test.balanced_accuracy}});
        }
        results.push_back(std::move(f));
    }
    for (const auto& b : prepared.spec.branches) modalities.push_back(b.modality);

    if (output.json) {
        json fused = json::array();
        for (const Fusion& f : results)
            fused.push_back({{"fusion", f.name},
                             {"runs", f.runs},
                             {"summary", sweep::summariesToJson(sweep::summarizeTrials(f.figures))},
                             {"parameters", f.parameters},
                             {"macs", f.macs}});
        json only = json::object();
        for (const auto& [m, figures] : unimodal)
            only[m] = {{"summary", sweep::summariesToJson(sweep::summarizeTrials(figures))}};
        std::cout << json{{"seeds", seeds}, {"first_seed", first_seed}, {"fusions", fused}, {"unimodal", only}}.dump(2)
                  << "\n";
        return;
    }
    std::cout << "\nSame budget for every fusion: " << prepared.config.epochs << " epochs, batch "
              << prepared.config.batch_size << ", lr " << prepared.config.learning_rate << "; seeds " << first_seed
              << " … " << first_seed + static_cast<std::uint64_t>(seeds) - 1
              << ", mean ± 95 % CI (Student t)\n";
    std::printf("%-14s %-13s %-13s", "fusion", "test acc", "UAR");
    for (const auto& m : modalities) std::printf(" %-16s", ("without " + m).c_str());
    std::printf(" %10s %12s\n", "params", "MACs");
    for (const Fusion& f : results) {
        const auto summary = sweep::summarizeTrials(f.figures);
        std::printf("%-14s %-13s %-13s", f.name.c_str(), percentCi(summary, "test_accuracy").c_str(),
                    percentCi(summary, "test_uar").c_str());
        for (const auto& m : modalities)
            std::printf(" %-16s", percentCi(summary, "test_accuracy_without." + m).c_str());
        std::printf(" %10lld %12lld\n", static_cast<long long>(f.parameters), static_cast<long long>(f.macs));
    }
    for (const auto& [m, figures] : unimodal) {
        const auto summary = sweep::summarizeTrials(figures);
        std::printf("%-14s %-13s %-13s\n", ("only " + m).c_str(), percentCi(summary, "test_accuracy").c_str(),
                    percentCi(summary, "test_uar").c_str());
    }
    std::cout << "runs in " << options.out << "/fusion-KIND/seed-S\n";
    std::fflush(stdout);
}

}  // namespace

void runFusionComparisons(const workflow::TrainingOptions& options,
                          const std::vector<model::FusionType>& fusions, int seeds, const OutputFlags& output) {
    if (seeds > 1) return runSeededFusionComparisons(options, fusions, seeds, output);
    std::vector<FusionRow> rows;
    train::ComparisonResult
        first;  // its unimodal variants are reported once (the fusion does not touch them)
    workflow::PreparedTraining prepared;
    for (std::size_t i = 0; i < fusions.size(); ++i) {
        workflow::TrainingOptions o = options;
        o.fusion = fusions[i];
        const std::string name = model::toString(fusions[i]);
        o.out = (fs::path(options.out) / ("fusion-" + name)).string();
        if (!output.silent())
            std::cerr << "fusion " << name << " (" << i + 1 << "/" << fusions.size() << ")\n";
        const workflow::RecordedComparison r = runPrintedComparison(o, output, prepared);
        FusionRow row;
        row.fusion = name;
        row.out = o.out;
        row.run_id = r.result.at("run_id").get<std::string>();
        row.multimodal = r.comparison.multimodal;
        row.macs = model::computeCostTable(model::inferShapes(prepared.spec), prepared.spec).totalMacs();
        rows.push_back(row);
        if (i == 0) first = r.comparison;
    }
    std::vector<std::string> modalities;
    for (const auto& b : prepared.spec.branches) modalities.push_back(b.modality);

    if (output.json) {
        json fused = json::array();
        for (const auto& row : rows) {
            json missing = json::object();
            for (const auto& [m, metrics] : row.multimodal.test_missing) missing[m] = metrics.accuracy;
            fused.push_back({{"fusion", row.fusion},
                             {"out", row.out},
                             {"run_id", row.run_id},
                             {"test_accuracy", row.multimodal.test.accuracy},
                             {"test_uar", row.multimodal.test.balanced_accuracy},
                             {"test_accuracy_without", missing},
                             {"parameters", row.multimodal.parameters},
                             {"macs", row.macs}});
        }
        json unimodal = json::object();
        for (const auto& [m, r] : first.unimodal)
            unimodal[m] = {{"test_accuracy", r.test.accuracy},
                           {"test_uar", r.test.balanced_accuracy},
                           {"parameters", r.parameters}};
        std::cout << json{{"fusions", fused}, {"unimodal", unimodal}}.dump(2) << "\n";
        return;
    }
    std::cout << "\nSame budget for every fusion: " << prepared.config.epochs << " epochs, batch "
              << prepared.config.batch_size << ", lr " << prepared.config.learning_rate << ", seed "
              << prepared.config.seed << "\n";
    std::printf("%-14s %-9s %-9s", "fusion", "test acc", "UAR");
    for (const auto& m : modalities) std::printf(" %-14s", ("without " + m).c_str());
    std::printf(" %10s %12s\n", "params", "MACs");
    for (const auto& row : rows) printRow(row.fusion, row.multimodal, modalities, row.macs);
    for (const auto& [m, r] : first.unimodal) printRow("only " + m, r, modalities, 0);
    std::cout << "runs in " << options.out << "/fusion-KIND\n";
    std::fflush(stdout);
}

}  // namespace tm2::cli
