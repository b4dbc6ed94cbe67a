#include "app/cli/sweep_slurm.h"

#include <filesystem>
#include <iostream>

#include "core/base/error.h"
#include "core/workflow/sweep/slurm_executor.h"
#include "core/workflow/sweep/sweep_control.h"

namespace tm2::cli {

namespace fs = std::filesystem;

void addSlurmFlags(CLI::App& c, SlurmFlags& f) {
    c.add_option("--partition", f.options.partition,
                 "Slurm: partition (default: the file's slurm.partition)");
    c.add_option("--account", f.options.account, "Slurm: account");
    c.add_option("--time", f.options.time, "Slurm: time limit per trial, e.g. 00:30:00");
    c.add_option("--mem", f.options.mem, "Slurm: memory per trial, e.g. 4G");
    c.add_option("--cpus-per-task", f.options.cpus_per_task, "Slurm: CPUs per trial")
        ->check(CLI::Range(1, 4096));
    c.add_option("--max-parallel", f.options.max_parallel,
                 "Slurm: most trials running at once (the %K of --array)")
        ->check(CLI::Range(1, 100000));
    c.add_option("--sbatch-option", f.options.extra,
                 "Slurm: another sbatch option, e.g. --qos=short (repeatable)");
}

sweep::SlurmOptions SlurmFlags::over(const sweep::SlurmOptions& file) const {
    return sweep::slurmOptionsOver(file, options);
}

void submitTrials(sweep::SweepFolder& folder, const std::vector<int>& trials, const SlurmFlags& flags,
                  bool quiet) {
    const std::string program = fs::read_symlink("/proc/self/exe").string();
    const std::string job = sweep::submitSweepTrials(folder, trials, flags.options, program);
    if (!quiet)
        std::cout << "sweep " << folder.name << ": submitted job " << job << " (array "
                  << folder.submissions.back().array << ", " << trials.size() << " trial(s))\n"
                  << "follow it: tinym2net sweep status " << folder.dir << "\n";
}

sweep::SlurmQueue slurmQueueOf(const sweep::SweepFolder& folder) {
    if (folder.submissions.empty()) return {};
    sweep::SlurmQueue q = sweep::readSlurmQueue(folder);
    if (!q.warning.empty()) std::cerr << "warning: the Slurm queue is unknown (" << q.warning << ")\n";
    return q;
}

void cancelSweep(const sweep::SweepFolder& folder, int trial) {
    if (folder.submissions.empty())
        throw Error(folder.dir + ": no Slurm jobs to cancel (a local sweep stops with Ctrl-C)");
    if (trial < 0) {
        for (const auto& job : sweep::cancelSlurmJobs(folder)) std::cout << "cancelled job " << job << "\n";
        return;
    }
    const sweep::SlurmQueue q = slurmQueueOf(folder);
    const auto job = q.queued_job.find(trial);
    if (job == q.queued_job.end())
        throw Error("trial " + std::to_string(trial) + " is not queued or running in " + folder.dir);
    sweep::cancelSlurmTask(job->second, trial);
    std::cout << "cancelled " << sweep::trialFolderName(trial) << " (job " << job->second << "_" << trial
              << ")\n";
}

}  // namespace tm2::cli
