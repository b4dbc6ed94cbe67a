#include "core/workflow/sweep/slurm_executor.h"

#include <filesystem>
#include <sstream>

#include "core/base/atomic_write.h"
#include "core/base/error.h"
#include "core/device/remote_runner.h"
#include "core/workflow/sweep/sweep_plan.h"
#include "core/workflow/sweep/trial_record.h"

namespace tm2::sweep {

namespace {

namespace fs = std::filesystem;

std::string jobIds(const SweepFolder& folder) {
    std::string ids;
    for (const auto& s : folder.submissions) ids += (ids.empty() ? "" : ",") + s.job_id;
    return ids;
}

std::string trimmed(std::string s) {
    while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
    return s;
}

// Job ids of this folder's submissions, so an unrelated job's task is never read as a trial.
bool ours(const SweepFolder& folder, const std::string& job) {
    for (const auto& s : folder.submissions)
        if (s.job_id == job) return true;
    return false;
}

// Lines "ARRAYJOB TASK STATE" (squeue) or "ARRAYJOB_TASK|STATE" (sacct) → task → state.
void readTaskStates(const SweepFolder& folder, const std::string& text, char separator,
                    std::map<int, std::string>& out, std::map<int, std::string>* jobs = nullptr) {
    std::istringstream lines(text);
    std::string line;
    while (std::getline(lines, line)) {
        std::string job, task, state;
        if (separator == ' ') {
            std::istringstream fields(line);
            fields >> job >> task >> state;
        } else {
            const auto bar = line.find('|'), under = line.find('_');
            if (bar == std::string::npos || under == std::string::npos || under > bar) continue;
            job = line.substr(0, under);
            task = line.substr(under + 1, bar - under - 1);
            state = line.substr(bar + 1);
            state = state.substr(0, state.find(' '));  // "CANCELLED by 0"
        }
        if (!ours(folder, job) || task.empty() || task.find_first_not_of("0123456789") != std::string::npos)
            continue;
        const int index = std::stoi(task);
        if (index >= static_cast<int>(folder.trials.size())) continue;
        out[index] = trimmed(state);
        if (jobs) (*jobs)[index] = job;
    }
}

}  // namespace

std::string arraySpec(const std::vector<int>& trials, int max_parallel) {
    std::string spec;
    for (std::size_t i = 0; i < trials.size();) {
        std::size_t j = i;
        while (j + 1 < trials.size() && trials[j + 1] == trials[j] + 1) ++j;
        spec += (spec.empty() ? "" : ",") + std::to_string(trials[i]) +
                (j > i ? "-" + std::to_string(trials[j]) : "");
        i = j + 1;
    }
    if (max_parallel > 0) spec += "%" + std::to_string(max_parallel);
    return spec;
}

std::string sbatchScript(const SweepFolder& folder, const SlurmOptions& o, const std::string& program) {
    using device::shellQuote;
    std::ostringstream s;
    s << "#!/bin/bash\n"
      << "# Written by `tinym2net sweep`: one array task per trial of sweep " << folder.name << ".\n"
      << "#SBATCH --job-name=tm2-" << folder.name << "\n";  // the log: sbatchCommand
    if (!o.partition.empty()) s << "#SBATCH --partition=" << o.partition << "\n";
    if (!o.account.empty()) s << "#SBATCH --account=" << o.account << "\n";
    if (!o.time.empty()) s << "#SBATCH --time=" << o.time << "\n";
    if (!o.mem.empty()) s << "#SBATCH --mem=" << o.mem << "\n";
    if (o.cpus_per_task > 0) s << "#SBATCH --cpus-per-task=" << o.cpus_per_task << "\n";
    for (const auto& extra : o.extra) s << "#SBATCH " << extra << "\n";
    s << "exec " << shellQuote(program) << " sweep run-trial " << shellQuote(folder.sweep_file)
      << " --trial \"$SLURM_ARRAY_TASK_ID\" --out " << shellQuote(folder.dir) << " --data "
      << shellQuote(folder.data) << " --quiet\n";
    return s.str();
}

std::vector<std::string> sbatchCommand(const SweepFolder& folder, const std::string& array,
                                       const std::string& script) {
    // %4a: the task id zero-padded like the trial folders; each trial's log beside its run.
    return {"sbatch",
            "--parsable",
            "--array=" + array,
            "--output=" + folder.dir + "/trial-%4a/trial.log",
            "--open-mode=append",
            script};
}

std::string submitSlurmArray(SweepFolder& folder, const std::vector<int>& trials, const SlurmOptions& options,
                             const std::string& program) {
    if (trials.empty()) throw Error("sweep " + folder.name + ": no trials to submit");
    const fs::path slurm_dir = fs::path(folder.dir) / "slurm";
    fs::create_directories(slurm_dir);
    for (int t : trials)
        fs::create_directories(fs::path(folder.dir) / trialFolderName(t));  // --output's folders
    const std::string script =
        (slurm_dir / ("sweep-" + std::to_string(folder.submissions.size() + 1) + ".sbatch")).string();
    writeFileAtomically(script, sbatchScript(folder, options, program));
    const std::string array = arraySpec(trials, options.max_parallel);
    const device::ProcessResult r = device::runProcess(sbatchCommand(folder, array, script));
    if (r.exit_code != 0)
        throw Error("sbatch " + script + " failed (exit " + std::to_string(r.exit_code) +
                    "): " + trimmed(r.err));
    // --parsable prints "JOBID" or "JOBID;CLUSTER".
    const std::string job = trimmed(r.out).substr(0, trimmed(r.out).find(';'));
    if (job.empty() || job.find_first_not_of("0123456789") != std::string::npos)
        throw Error("sbatch " + script + ": unexpected answer \"" + trimmed(r.out) +
                    "\" (expected a job id)");
    folder.submissions.push_back({job, array, utcNow()});
    saveSweepFolder(folder);
    return job;
}

SlurmQueue readSlurmQueue(const SweepFolder& folder) {
    SlurmQueue q;
    if (folder.submissions.empty()) return q;
    const std::string ids = jobIds(folder);
    try {
        const auto r =
            device::runProcess({"squeue", "--noheader", "--array", "--jobs=" + ids, "--format=%F %K %T"});
        if (r.exit_code != 0)
            q.warning = "squeue failed: " + trimmed(r.err);
        else
            readTaskStates(folder, r.out, ' ', q.queued, &q.queued_job);
    } catch (const Error& e) {
        q.warning = e.what();
    }
    try {
        const auto r = device::runProcess(
            {"sacct", "--noheader", "--allocations", "--parsable2", "--jobs=" + ids, "--format=JobID,State"});
        if (r.exit_code == 0) readTaskStates(folder, r.out, '|', q.ended);
    } catch (const Error&) {
        // No sacct (accounting off): squeue and the trial folders tell enough.
    }
    return q;
}

void cancelSlurmTask(const std::string& job, int task) {
    const std::string id = job + "_" + std::to_string(task);
    const auto r = device::runProcess({"scancel", id});
    if (r.exit_code != 0)
        throw Error("scancel " + id + " failed (exit " + std::to_string(r.exit_code) +
                    "): " + trimmed(r.err));
}

std::vector<std::string> cancelSlurmJobs(const SweepFolder& folder) {
    std::vector<std::string> ids;
    for (const auto& s : folder.submissions) ids.push_back(s.job_id);
    if (ids.empty()) return ids;
    std::vector<std::string> argv{"scancel"};
    argv.insert(argv.end(), ids.begin(), ids.end());
    const auto r = device::runProcess(argv);
    if (r.exit_code != 0)
        throw Error("scancel failed (exit " + std::to_string(r.exit_code) + "): " + trimmed(r.err));
    return ids;
}

}  // namespace tm2::sweep
