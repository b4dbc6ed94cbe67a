#include "app/cli/compare_fusions.h"

#include <cstdio>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>

#include "app/cli/progress_printer.h"
#include "app/cli/train_progress.h"
#include "core/model/cost_table.h"
#include "core/workflow/recorded_training.h"

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

}  // namespace

void runFusionComparisons(const workflow::TrainingOptions& options,
                          const std::vector<model::FusionType>& fusions, const OutputFlags& output) {
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
        {
            ProgressPrinter printer(output.silent());
            prepared = workflow::prepareTraining(o, printer.callback());
        }
        printWarnings(prepared.warnings);
        TrainProgressPrinter printer(output.silent());
        const workflow::RecordedComparison r = workflow::compareAndRecord(
            o, prepared, printer.callback(), [&](const std::string& v) { printer.setVariant(v); });
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
