// `tinym2net sweep plan|run|run-trial|collect|status|cancel|resume`: many
// trainings described by one SWEEP.json (core/workflow/sweep), run here as
// child processes or on Slurm as one job array; every trial runs `run-trial`.

#include <filesystem>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "app/cli/commands.h"
#include "app/cli/progress_printer.h"
#include "app/cli/sweep_report.h"
#include "app/cli/sweep_slurm.h"
#include "app/cli/train_progress.h"
#include "core/base/error.h"
#include "core/workflow/sweep/sweep_control.h"
#include "core/workflow/sweep/sweep_folder.h"
#include "core/workflow/sweep/trial_runner.h"

namespace tm2::cli {

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// `sweep run` / `resume` when some trial did not finish (its failure is recorded; see `sweep status`).
constexpr int kUnfinishedExit = 3;

struct SweepArgs {
    std::string file;
    std::string data;  // overrides base.data
    std::string out;
    std::string executor = "local";
    int jobs = 1;
    int trial = -1;
    SlurmFlags slurm;
    bool json = false;
    bool quiet = false;
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

std::string absoluteDir(const std::string& dir) { return fs::absolute(dir).lexically_normal().string(); }

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

// Runs `trials` of the folder as child processes, `jobs` at once.
void runLocally(const sweep::SweepFolder& folder, const std::vector<int>& trials, int jobs, bool quiet) {
    installInterruptHandler();
    if (!quiet)
        std::cerr << "sweep " << folder.name << ": running " << trials.size() << " trial(s), " << jobs
                  << " at a time (logs: " << folder.dir << "/trial-NNNN/trial.log)\n";
    sweep::runSweepLocally(
        folder, trials, jobs, fs::read_symlink("/proc/self/exe").string(),
        [] { return !interruptRequested(); },
        [&](const sweep::LocalTrialExit& e) {
            if (!quiet)
                std::cerr << "  " << sweep::trialFolderName(e.index) << " "
                          << (e.exit_code == 0 ? "finished"
                                               : "ended with exit code " + std::to_string(e.exit_code))
                          << "\n";
        });
    if (interruptRequested()) throw Cancelled();
}

void startTrials(sweep::SweepFolder folder, const SweepArgs& a) {
    const std::vector<int> trials = sweep::trialsToStart(folder, a.executor);
    if (a.executor == "slurm") {
        if (trials.empty())
            std::cout << "sweep " << folder.name
                      << ": nothing to submit (every trial is finished, queued or running)\n";
        else
            submitTrials(folder, trials, a.slurm, a.quiet);
        return;
    }
    if (!trials.empty()) runLocally(folder, trials, a.jobs, a.quiet);
    if (!a.quiet) {
        printStatus(folder, currentStatuses(folder), false);
        std::cout << "merge the results into the store: tinym2net sweep collect " << folder.dir << "\n";
    }
    for (const auto& s : currentStatuses(folder))
        if (s.state != sweep::TrialState::Finished) throw CLI::RuntimeError(kUnfinishedExit);
}

void runSweep(const SweepArgs& a) {
    const sweep::SweepFile s = readSweep(a);
    const sweep::SweepFolder folder = sweep::openSweepFolder(absoluteDir(a.out), s, a.executor);
    startTrials(folder, a);
}

void runResume(const SweepArgs& a) {
    sweep::SweepFolder folder = sweep::readSweepFolder(absoluteDir(a.out));
    SweepArgs args = a;
    if (args.executor.empty()) args.executor = folder.executor;
    if (args.executor != folder.executor) {
        folder.executor = args.executor;
        sweep::saveSweepFolder(folder);
    }
    startTrials(folder, args);
}

void runOneTrial(const SweepArgs& a) {
    const sweep::SweepFile s = readSweep(a);
    const std::string dir = absoluteDir(a.out);
    std::error_code ec;
    const sweep::SweepFolder folder = fs::exists(sweep::sweepFolderFile(dir), ec)
                                          ? sweep::readSweepFolder(dir)
                                          : sweep::openSweepFolder(dir, s, "local");
    sweep::requirePlannedTrial(folder, s, a.trial);
    installInterruptHandler();
    TrainProgressPrinter printer(a.quiet);
    const train::TrainCallback forward = printer.callback();
    const sweep::TrialAttempt attempt = sweep::runTrial(
        s, folder.trials[a.trial], dir, sweep::TrialEnvironment::fromProcess(),
        [&](const train::TrainEvent& e) { return forward(e) && !interruptRequested(); },
        [](const Progress&) { return !interruptRequested(); });
    std::cout << sweep::trialFolderName(a.trial) << " " << attempt.status
              << (attempt.error.empty() ? "" : ": " + attempt.error) << "\n";
    if (attempt.status == "cancelled") throw Cancelled();
    if (attempt.status != "finished") throw CLI::RuntimeError(1);
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

    auto run = std::make_shared<SweepArgs>();
    CLI::App* r = group->add_subcommand(
        "run", "Run every trial not yet finished, each into DIR/trial-NNNN (an ordinary run folder)");
    addSweepFile(*r, *run);
    r->add_option("--out", run->out, "Sweep folder (shared by the cluster's nodes for Slurm)")->required();
    r->add_option("--executor", run->executor, "local: child processes here | slurm: one job array")
        ->check(CLI::IsMember({"local", "slurm"}))
        ->capture_default_str();
    r->add_option("--jobs", run->jobs, "Local: trials at once")
        ->check(CLI::Range(1, 256))
        ->capture_default_str();
    addSlurmFlags(*r, run->slurm);
    r->add_flag("--quiet", run->quiet, "No progress output");
    r->callback([run] { runSweep(*run); });

    auto trial = std::make_shared<SweepArgs>();
    CLI::App* t = group->add_subcommand(
        "run-trial",
        "Run one trial into DIR/trial-NNNN (what each executor runs; resumes from its checkpoint)");
    addSweepFile(*t, *trial);
    t->add_option("--trial", trial->trial, "Trial index (as `sweep plan` lists)")
        ->required()
        ->check(CLI::NonNegativeNumber);
    t->add_option("--out", trial->out, "Sweep folder")->required();
    t->add_flag("--quiet", trial->quiet, "No progress output");
    t->callback([trial] { runOneTrial(*trial); });

    auto resume = std::make_shared<SweepArgs>();
    resume->executor.clear();
    CLI::App* re =
        group->add_subcommand("resume", "Rerun only the trials that failed, were cancelled or interrupted");
    re->add_option("DIR", resume->out, "Sweep folder")->required();
    re->add_option("--executor", resume->executor, "local | slurm (default: the one the sweep ran with)")
        ->check(CLI::IsMember({"local", "slurm"}));
    re->add_option("--jobs", resume->jobs, "Local: trials at once")
        ->check(CLI::Range(1, 256))
        ->capture_default_str();
    addSlurmFlags(*re, resume->slurm);
    re->add_flag("--quiet", resume->quiet, "No progress output");
    re->callback([resume] { runResume(*resume); });

    registerSweepReportCommands(*group);
}

}  // namespace tm2::cli
