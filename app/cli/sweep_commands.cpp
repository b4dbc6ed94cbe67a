// `tinym2net sweep plan|run|run-trial|collect|status|cancel|resume`: many
// trainings described by one SWEEP.json (core/workflow/sweep), run here as
// child processes or on Slurm as one job array; every trial runs `run-trial`.

#include <filesystem>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "app/cli/commands.h"
#include "core/workflow/sweep/sweep_file.h"
#include "core/workflow/sweep/sweep_plan.h"

namespace tm2::cli {

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

struct SweepArgs {
    std::string file;
    std::string data;  // overrides base.data
    bool json = false;
};

void addSweepFile(CLI::App& c, SweepArgs& a) {
    c.add_option("SWEEP", a.file, "Sweep file (SWEEP.json)")->required();
    c.add_option("--data", a.data, "Dataset folder instead of the file's base.data (e.g. the demo set)");
}

sweep::SweepFile readSweep(const SweepArgs& a) {
    sweep::SweepFile s = sweep::readSweepFile(a.file);
    if (!a.data.empty()) s.data = fs::absolute(a.data).lexically_normal().string();
    return s;
}

void runPlan(const SweepArgs& a) {
    const sweep::SweepFile s = readSweep(a);
    const auto trials = sweep::planTrials(s);
    if (a.json) {
        json list = json::array();
        for (const auto& t : trials)
            list.push_back(
                {{"index", t.index}, {"folder", sweep::trialFolderName(t.index)}, {"values", t.values}});
        std::cout
            << json{{"name", s.name}, {"data", s.data}, {"quantize", s.quantize}, {"trials", list}}.dump(2)
            << "\n";
        return;
    }
    std::string axes;
    for (const auto& axis : s.axes) axes += (axes.empty() ? "" : ", ") + axis.param;
    std::cout << "sweep " << s.name << ": " << trials.size() << " trial(s), "
              << (s.random ? "random search" : "grid") << (axes.empty() ? "" : " over " + axes) << "\n"
              << "data " << s.data << (s.quantize ? "; each trial also quantizes" : "") << "\n";
    for (const auto& t : trials)
        std::cout << "  " << sweep::trialFolderName(t.index) << "  " << sweep::describeValues(s, t.values)
                  << "\n";
}

}  // namespace

void registerSweepCommands(CLI::App& app) {
    CLI::App* group = app.add_subcommand("sweep", "Many trainings from one SWEEP.json, run here or on Slurm");
    group->require_subcommand(1);

    auto plan = std::make_shared<SweepArgs>();
    CLI::App* p =
        group->add_subcommand("plan", "List the trials a sweep file describes, without running them");
    addSweepFile(*p, *plan);
    p->add_flag("--json", plan->json, "Print {name, data, quantize, trials: [{index, folder, values}]}");
    p->callback([plan] { runPlan(*plan); });
}

}  // namespace tm2::cli
