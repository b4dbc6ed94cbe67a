#include "core/workflow/sweep/sweep_control.h"

#include <filesystem>

#include "core/base/error.h"
#include "core/workflow/sweep/slurm_executor.h"
#include "core/workflow/sweep/sweep_plan.h"
#include "core/workflow/sweep/trial_record.h"

namespace tm2::sweep {

namespace fs = std::filesystem;

SweepState currentSweepState(const SweepFolder& folder) {
    SweepState state;
    if (folder.executor != "slurm" || folder.submissions.empty()) {
        state.trials = trialStatuses(folder, {});
        return state;
    }
    const SlurmQueue q = readSlurmQueue(folder);
    state.queue_warning = q.warning;
    state.trials = trialStatuses(folder, q.queued);
    // sacct (when the cluster keeps accounting) says how a task that left the queue ended.
    for (auto& s : state.trials) {
        const auto ended = q.ended.find(s.index);
        if (s.slurm_state.empty() && ended != q.ended.end()) s.slurm_state = ended->second;
    }
    return state;
}

std::vector<int> trialsToRun(const std::vector<TrialStatus>& statuses) {
    std::vector<int> out;
    for (const auto& s : statuses)
        if (needsRerun(s.state)) out.push_back(s.index);
    return out;
}

std::vector<int> trialsToStart(const SweepFolder& folder, const std::string& executor) {
    if (executor == "slurm" && !folder.submissions.empty()) {
        const SlurmQueue q = readSlurmQueue(folder);
        if (!q.warning.empty())
            throw Error("cannot read the Slurm queue, so nothing was submitted: " + q.warning);
        return trialsToRun(trialStatuses(folder, q.queued));
    }
    return trialsToRun(currentSweepState(folder).trials);
}

std::vector<LocalTrialJob> localTrialJobs(const SweepFolder& folder, const std::vector<int>& trials,
                                          const std::string& program) {
    std::vector<LocalTrialJob> work;
    for (int i : trials) {
        const std::string dir = (fs::path(folder.dir) / trialFolderName(i)).string();
        std::error_code ec;
        fs::create_directories(dir, ec);
        if (ec) throw Error(dir + ": cannot create the trial folder: " + ec.message());
        work.push_back({i,
                        {program, "sweep", "run-trial", folder.sweep_file, "--trial", std::to_string(i),
                         "--out", folder.dir, "--data", folder.data, "--quiet"},
                        dir + "/trial.log"});
    }
    return work;
}

std::vector<LocalTrialExit> runSweepLocally(const SweepFolder& folder, const std::vector<int>& trials,
                                            int jobs, const std::string& program,
                                            const std::function<bool()>& keep_going,
                                            const std::function<void(const LocalTrialExit&)>& on_exit) {
    return runTrialsLocally(
        localTrialJobs(folder, trials, program), jobs, keep_going, [&](const LocalTrialExit& e) {
            const std::string log = (fs::path(folder.dir) / trialFolderName(e.index) / "trial.log").string();
            recordUnexpectedExit(folder.dir, folder.name, e.index, folder.trials[e.index].values, e.pid,
                                 e.exit_code, log);
            if (on_exit) on_exit(e);
        });
}

SlurmOptions slurmOptionsOver(const SlurmOptions& file, const SlurmOptions& chosen) {
    SlurmOptions o = file;
    for (auto [mine, theirs] : {std::pair{&chosen.partition, &o.partition},
                                {&chosen.account, &o.account},
                                {&chosen.time, &o.time},
                                {&chosen.mem, &o.mem}})
        if (!mine->empty()) *theirs = *mine;
    if (chosen.cpus_per_task > 0) o.cpus_per_task = chosen.cpus_per_task;
    if (chosen.max_parallel > 0) o.max_parallel = chosen.max_parallel;
    for (const auto& e : chosen.extra)
        if (e.rfind("--", 0) != 0 || e.find('\n') != std::string::npos)
            throw Error("--sbatch-option " + e + ": expected one sbatch option such as --qos=short");
    o.extra.insert(o.extra.end(), chosen.extra.begin(), chosen.extra.end());
    return o;
}

std::string submitSweepTrials(SweepFolder& folder, const std::vector<int>& trials, const SlurmOptions& chosen,
                              const std::string& program) {
    const SweepFile file = readSweepFile(folder.sweep_file);
    return submitSlurmArray(folder, trials, slurmOptionsOver(file.slurm, chosen), program);
}

}  // namespace tm2::sweep
