#include "app/cli/compare_seeds.h"

#include <cstdio>
#include <filesystem>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <vector>

#include "app/cli/printed_comparison.h"
#include "core/workflow/recorded_training.h"
#include "core/workflow/sweep/seed_statistics.h"

namespace tm2::cli {

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// The figures each seed contributes: multimodal and unimodal test scores, the fusion gain.
std::map<std::string, double> figures(const train::ComparisonResult& c) {
    std::map<std::string, double> f{{"multimodal.test_accuracy", c.multimodal.test.accuracy},
                                    {"multimodal.test_uar", c.multimodal.test.balanced_accuracy},
                                    {"fusion_gain", c.fusion_gain}};
    for (const auto& [m, r] : c.unimodal) {
        f["only-" + m + ".test_accuracy"] = r.test.accuracy;
        f["only-" + m + ".test_uar"] = r.test.balanced_accuracy;
    }
    return f;
}

std::string pointsText(const sweep::MetricSummary& s) {
    char text[96];
    if (s.has_interval)
        std::snprintf(text, sizeof text, "%+.1f ± %.1f points (n %d)", 100 * s.mean, 100 * s.half_width, s.n);
    else
        std::snprintf(text, sizeof text, "%+.1f points (n %d)", 100 * s.mean, s.n);
    return text;
}

}  // namespace

void runSeededComparisons(const workflow::TrainingOptions& options, int seeds, const OutputFlags& output) {
    const std::uint64_t first = options.dataset.split.seed;
    std::vector<std::map<std::string, double>> per_seed;
    json runs = json::array();
    for (int i = 0; i < seeds; ++i) {
        workflow::TrainingOptions o = options;
        o.dataset.split.seed = first + static_cast<std::uint64_t>(i);
        o.out = (fs::path(options.out) / ("seed-" + std::to_string(o.dataset.split.seed))).string();
        if (!output.silent())
            std::cerr << "seed " << o.dataset.split.seed << " (" << i + 1 << "/" << seeds << ")\n";
        workflow::PreparedTraining p;
        const workflow::RecordedComparison r = runPrintedComparison(o, output, p);
        per_seed.push_back(figures(r.comparison));
        runs.push_back({{"seed", o.dataset.split.seed},
                        {"out", o.out},
                        {"run_id", r.result.at("run_id")},
                        {"best_unimodal", r.comparison.best_unimodal},
                        {"figures", per_seed.back()}});
    }
    const auto summary = sweep::summarizeTrials(per_seed);
    if (output.json) {
        std::cout << json{{"seeds", seeds},
                          {"first_seed", first},
                          {"runs", runs},
                          {"summary", sweep::summariesToJson(summary)}}
                         .dump(2)
                  << "\n";
        return;
    }
    std::cout << "\n"
              << seeds << " seeds (" << first << " … " << first + seeds - 1
              << "), the same budget each; mean ± 95 % CI (Student t):\n";
    for (const auto& [name, m] : summary)
        std::cout << "  " << name << std::string(name.size() < 28 ? 28 - name.size() : 1, ' ')
                  << (name == "fusion_gain" ? pointsText(m) : sweep::summaryText(name, m)) << "\n";
    std::cout << "runs in " << options.out << "/seed-N\n";
}

}  // namespace tm2::cli
