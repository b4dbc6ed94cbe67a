#include "app/cli/sweep_report.h"

#include <filesystem>
#include <iomanip>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "app/cli/sweep_slurm.h"
#include "core/base/error.h"
#include "core/experiment/experiment_store.h"
#include "core/workflow/sweep/sweep_collect.h"
#include "core/workflow/sweep/sweep_control.h"
#include "core/workflow/sweep/sweep_overview.h"
#include "core/workflow/training_session.h"

namespace tm2::cli {

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// The metrics the text report shows per seed group (all of them go to --json).
const char* const kHeadline[] = {"test_accuracy", "test_uar", "test_macro_f1", "quantize.test_accuracy",
                                 "quantize.model_bytes"};

std::string valuesText(const json& values) { return sweep::valuesLabel({}, values); }

json groupsJson(const std::vector<sweep::SeedGroup>& groups) {
    json list = json::array();
    for (const auto& g : groups) {
        list.push_back({{"values", g.values}, {"trials", g.trials}, {"metrics", sweep::summariesToJson(g.metrics)}});
    }
    return list;
}

void printGroups(const std::vector<sweep::SeedGroup>& groups) {
    if (groups.empty()) return;
    std::cout << "across seeds (mean ± 95 % CI, Student t):\n";
    for (const auto& g : groups) {
        std::cout << "  " << valuesText(g.values) << "\n";
        for (const char* name : kHeadline) {
            const auto m = g.metrics.find(name);
            if (m != g.metrics.end())
                std::cout << "    " << std::left << std::setw(24) << name
                          << sweep::summaryText(name, m->second) << "\n";
        }
    }
}

json statusJson(const sweep::SweepFolder& folder, const std::vector<sweep::TrialStatus>& statuses) {
    json trials = json::array();
    for (const auto& s : statuses) {
        json t{{"index", s.index},
               {"folder", sweep::trialFolderName(s.index)},
               {"state", sweep::toString(s.state)},
               {"values", folder.trials[s.index].values}};
        if (!s.slurm_state.empty()) t["slurm_state"] = s.slurm_state;
        if (s.record && !s.record->attempts.empty()) {
            const auto& a = s.record->attempts.back();
            t.update({{"attempts", s.record->attempts.size()},
                      {"error", a.error},
                      {"metrics", a.metrics},
                      {"slurm_job_id", a.slurm_job_id},
                      {"slurm_array_task_id", a.slurm_array_task_id}});
        }
        trials.push_back(t);
    }
    return json{
        {"name", folder.name}, {"dir", folder.dir}, {"executor", folder.executor}, {"trials", trials}};
}

std::map<std::string, int> countStates(const std::vector<sweep::TrialStatus>& statuses) {
    std::map<std::string, int> counts;
    for (const auto& s : statuses) ++counts[sweep::toString(s.state)];
    return counts;
}

struct ReportArgs {
    std::string dir;
    std::string workspace;
    bool json = false;
};

void runCollect(const ReportArgs& a) {
    const sweep::SweepFolder folder = sweep::readSweepFolder(fs::absolute(a.dir).lexically_normal().string());
    const auto statuses = currentStatuses(folder);
    experiment::ExperimentStore store(workflow::workspaceOrDefault(a.workspace));
    const sweep::CollectReport report = sweep::collectSweep(statuses, store);
    const auto groups = sweep::seedGroups(statuses);
    for (const auto& p : report.problems) std::cerr << "warning: " << p << "\n";
    if (a.json) {
        std::cout << json{{"added", report.added},           {"already", report.already},
                          {"unfinished", report.unfinished}, {"problems", report.problems},
                          {"store", store.path()},           {"seed_groups", groupsJson(groups)}}
                         .dump(2)
                  << "\n";
        return;
    }
    std::cout << "sweep " << folder.name << ": " << report.added << " run(s) added to " << store.path()
              << ", " << report.already << " already there";
    if (report.unfinished)
        std::cout << "; " << report.unfinished << " trial(s) not finished yet (collect again later)";
    std::cout << "\n";
    printGroups(groups);
}

}  // namespace

std::vector<sweep::TrialStatus> currentStatuses(const sweep::SweepFolder& folder) {
    sweep::SweepState state = sweep::currentSweepState(folder);
    if (!state.queue_warning.empty())
        std::cerr << "warning: the Slurm queue is unknown (" << state.queue_warning << ")\n";
    return std::move(state.trials);
}

void printStatus(const sweep::SweepFolder& folder, const std::vector<sweep::TrialStatus>& statuses,
                 bool as_json) {
    const auto groups = sweep::seedGroups(statuses);
    if (as_json) {
        json j = statusJson(folder, statuses);
        j["seed_groups"] = groupsJson(groups);
        std::cout << j.dump(2) << "\n";
        return;
    }
    std::cout << "sweep " << folder.name << " in " << folder.dir << " (" << folder.executor << "):";
    for (const auto& [state, n] : countStates(statuses)) std::cout << " " << n << " " << state;
    std::cout << "\n";
    for (const auto& s : statuses) {
        std::cout << "  " << sweep::trialFolderName(s.index) << "  " << std::left << std::setw(12)
                  << sweep::toString(s.state) << valuesText(folder.trials[s.index].values);
        if (s.record && !s.record->attempts.empty()) {
            const auto& a = s.record->attempts.back();
            const auto acc = a.metrics.find("test_accuracy");
            if (acc != a.metrics.end())
                std::cout << "  test acc " << std::fixed << std::setprecision(1) << 100 * acc->get<double>()
                          << " %" << std::defaultfloat;
            if (!a.slurm_job_id.empty())
                std::cout << "  job " << a.slurm_job_id << "_" << a.slurm_array_task_id;
            if (!a.error.empty() && s.state != sweep::TrialState::Finished)
                std::cout << "\n      " << a.error;
        }
        std::cout << "\n";
    }
    printGroups(groups);
}

void registerSweepReportCommands(CLI::App& group) {
    auto status = std::make_shared<ReportArgs>();
    CLI::App* s =
        group.add_subcommand("status", "Each trial's state (and seed statistics of the finished ones)");
    s->add_option("DIR", status->dir, "Sweep folder")->required();
    s->add_flag("--json", status->json, "Print {name, dir, executor, trials[], seed_groups[]}");
    s->callback([status] {
        const sweep::SweepFolder folder =
            sweep::readSweepFolder(fs::absolute(status->dir).lexically_normal().string());
        printStatus(folder, currentStatuses(folder), status->json);
    });

    auto cancel = std::make_shared<std::pair<std::string, int>>("", -1);
    CLI::App* k = group.add_subcommand(
        "cancel",
        "Cancel a Slurm sweep's jobs (scancel); running trials stop after their batch, checkpoint kept");
    k->add_option("DIR", cancel->first, "Sweep folder")->required();
    k->add_option("--trial", cancel->second, "Only this trial's array task")->check(CLI::NonNegativeNumber);
    k->callback([cancel] {
        cancelSweep(sweep::readSweepFolder(fs::absolute(cancel->first).lexically_normal().string()),
                    cancel->second);
    });

    auto collect = std::make_shared<ReportArgs>();
    CLI::App* c = group.add_subcommand(
        "collect", "Merge the trials' runs into the experiment store (idempotent) and print seed statistics");
    c->add_option("DIR", collect->dir, "Sweep folder")->required();
    c->add_option("--workspace", collect->workspace,
                  "Experiment store folder (default ~/.local/share/tinym2net)");
    c->add_flag("--json", collect->json,
                "Print {added, already, unfinished, problems, store, seed_groups[]}");
    c->callback([collect] { runCollect(*collect); });
}

}  // namespace tm2::cli
