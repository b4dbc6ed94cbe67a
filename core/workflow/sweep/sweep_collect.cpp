#include "core/workflow/sweep/sweep_collect.h"

#include "core/base/error.h"
#include "core/workflow/sweep/run_record_json.h"

namespace tm2::sweep {

CollectReport collectSweep(const std::vector<TrialStatus>& statuses, experiment::ExperimentStore& store) {
    CollectReport report;
    for (const TrialStatus& s : statuses) {
        if (s.state == TrialState::NotRun || s.state == TrialState::Queued || s.state == TrialState::Running)
            ++report.unfinished;
        if (!s.record) continue;
        for (const TrialAttempt& a : s.record->attempts) {
            if (a.status == "running") continue;  // its runs are exported when it ends
            for (std::size_t i = 0; i < a.runs.size(); ++i) {
                const std::string where = trialFolderName(s.index) + "/trial.json: attempt " +
                                          std::to_string(a.attempt) + ": runs[" + std::to_string(i) + "]";
                try {
                    const ExportedRun run = runFromJson(a.runs[i], where);
                    (store.importRun(run.record, run.epochs, run.artifacts) ? report.added
                                                                            : report.already)++;
                } catch (const Error& e) {
                    report.problems.push_back(e.what());
                }
            }
        }
    }
    return report;
}

std::vector<SeedGroup> seedGroups(const std::vector<TrialStatus>& statuses) {
    std::vector<SeedGroup> groups;
    std::map<std::string, std::size_t> by_key;
    std::vector<std::vector<std::map<std::string, double>>> metrics;
    for (const TrialStatus& s : statuses) {
        if (s.state != TrialState::Finished || !s.record) continue;
        const TrialAttempt* finished = nullptr;
        for (const auto& a : s.record->attempts)
            if (a.status == "finished") finished = &a;
        if (!finished) continue;
        const std::string key = seedGroupKey(s.record->values);
        auto [it, fresh] = by_key.emplace(key, groups.size());
        if (fresh) {
            nlohmann::json values = s.record->values;
            values.erase("seed");
            groups.push_back({values, {}, {}});
            metrics.emplace_back();
        }
        groups[it->second].trials.push_back(s.index);
        std::map<std::string, double> m;
        for (const auto& [name, value] : finished->metrics.items()) m[name] = value.get<double>();
        metrics[it->second].push_back(std::move(m));
    }
    for (std::size_t g = 0; g < groups.size(); ++g) groups[g].metrics = summarizeTrials(metrics[g]);
    return groups;
}

}  // namespace tm2::sweep
