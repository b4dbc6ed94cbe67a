#include "core/workflow/sweep/sweep_folder.h"

#include <filesystem>

#include "core/base/atomic_write.h"
#include "core/base/error.h"
#include "core/base/json_file.h"
#include "core/experiment/process_identity.h"

namespace tm2::sweep {

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

json toJson(const SweepFolder& f) {
    json trials = json::array(), submissions = json::array();
    for (const auto& t : f.trials) trials.push_back({{"index", t.index}, {"values", t.values}});
    for (const auto& s : f.submissions)
        submissions.push_back({{"job_id", s.job_id}, {"array", s.array}, {"submitted_at", s.submitted_at}});
    return json{{"name", f.name},         {"sweep_file", f.sweep_file}, {"data", f.data},
                {"executor", f.executor}, {"trials", trials},           {"slurm_submissions", submissions}};
}

SweepFolder fromJson(const json& j, const std::string& dir, const std::string& path) {
    SweepFolder f;
    f.dir = dir;
    try {
        f.name = j.at("name").get<std::string>();
        f.sweep_file = j.at("sweep_file").get<std::string>();
        f.data = j.at("data").get<std::string>();
        f.executor = j.at("executor").get<std::string>();
        for (const auto& t : j.at("trials")) f.trials.push_back({t.at("index").get<int>(), t.at("values")});
        for (const auto& s : j.value("slurm_submissions", json::array()))
            f.submissions.push_back({s.at("job_id").get<std::string>(), s.at("array").get<std::string>(),
                                     s.at("submitted_at").get<std::string>()});
    } catch (const json::exception& e) {
        throw Error(path + ": damaged sweep folder record (" + e.what() + ")");
    }
    for (std::size_t i = 0; i < f.trials.size(); ++i)
        if (f.trials[i].index != static_cast<int>(i))
            throw Error(path + ": trials[" + std::to_string(i) + "]: out of order");
    return f;
}

bool alive(const TrialAttempt& a) {
    return experiment::processState({a.pid, a.host, a.pid_start}) != experiment::ProcessState::Dead;
}

TrialState recordedState(const TrialAttempt& a) {
    if (a.status == "finished") return TrialState::Finished;
    if (a.status == "failed") return TrialState::Failed;
    if (a.status == "cancelled") return TrialState::Cancelled;
    return TrialState::Running;
}

}  // namespace

std::string sweepFolderFile(const std::string& dir) { return (fs::path(dir) / "sweep.json").string(); }

SweepFolder readSweepFolder(const std::string& dir) {
    const std::string path = sweepFolderFile(dir);
    std::error_code ec;
    if (!fs::exists(path, ec))
        throw Error(
            dir +
            ": not a sweep folder (no sweep.json; start one with `tinym2net sweep run SWEEP.json --out " +
            dir + "`)");
    return fromJson(readJsonFile(path), dir, path);
}

void saveSweepFolder(const SweepFolder& folder) {
    writeFileAtomically(sweepFolderFile(folder.dir), toJson(folder).dump(2));
}

SweepFolder openSweepFolder(const std::string& dir, const SweepFile& sweep, const std::string& executor) {
    SweepFolder planned;
    planned.dir = dir;
    planned.name = sweep.name;
    planned.sweep_file = sweep.path;
    planned.data = sweep.data;
    planned.executor = executor;
    planned.trials = planTrials(sweep);
    std::error_code ec;
    if (fs::exists(sweepFolderFile(dir), ec)) {
        SweepFolder existing = readSweepFolder(dir);
        const json a = toJson(existing)["trials"], b = toJson(planned)["trials"];
        if (existing.name != planned.name || existing.data != planned.data || a != b)
            throw Error(dir + ": holds sweep \"" + existing.name + "\" (" +
                        std::to_string(existing.trials.size()) + " trials on " + existing.data +
                        "), planned from " + existing.sweep_file + "; " + sweep.path +
                        " now plans other trials or data. Use another --out folder.");
        existing.sweep_file = planned.sweep_file;
        existing.executor = executor;
        saveSweepFolder(existing);
        return existing;
    }
    fs::create_directories(dir, ec);
    if (ec) throw Error(dir + ": cannot create the sweep folder: " + ec.message());
    saveSweepFolder(planned);
    return planned;
}

void requirePlannedTrial(const SweepFolder& folder, const SweepFile& sweep, int index) {
    if (index < 0 || index >= static_cast<int>(folder.trials.size()))
        throw Error("--trial " + std::to_string(index) + ": the sweep in " + folder.dir + " has trials 0.." +
                    std::to_string(folder.trials.size() - 1));
    const auto trials = planTrials(sweep);
    if (folder.data != sweep.data || index >= static_cast<int>(trials.size()) ||
        trials[index].values != folder.trials[index].values)
        throw Error(sweep.path + ": trial " + std::to_string(index) + " is not what " +
                    sweepFolderFile(folder.dir) + " planned (" + folder.trials[index].values.dump() + " on " +
                    folder.data + "); the sweep file or --data changed since the sweep started");
}

const char* toString(TrialState state) {
    switch (state) {
        case TrialState::NotRun:
            return "not-run";
        case TrialState::Queued:
            return "queued";
        case TrialState::Running:
            return "running";
        case TrialState::Finished:
            return "finished";
        case TrialState::Failed:
            return "failed";
        case TrialState::Cancelled:
            return "cancelled";
        case TrialState::Interrupted:
            return "interrupted";
    }
    return "?";
}

std::vector<TrialStatus> trialStatuses(const SweepFolder& folder, const std::map<int, std::string>& queue) {
    std::vector<TrialStatus> out;
    for (const auto& t : folder.trials) {
        TrialStatus s;
        s.index = t.index;
        s.record = readTrialRecord(trialRecordPath(folder.dir, t.index));
        const auto queued = queue.find(t.index);
        if (queued != queue.end()) s.slurm_state = queued->second;
        const TrialAttempt* last =
            s.record && !s.record->attempts.empty() ? &s.record->attempts.back() : nullptr;
        if (!last || recordedState(*last) != TrialState::Running) {
            // A task resubmitted after a finished or failed attempt is queued again.
            if (queued != queue.end())
                s.state = queued->second == "RUNNING" ? TrialState::Running : TrialState::Queued;
            else
                s.state = last ? recordedState(*last) : TrialState::NotRun;
        } else if (folder.executor == "slurm" && !last->slurm_job_id.empty()) {
            s.state = queued != queue.end() ? TrialState::Running : TrialState::Interrupted;
        } else {
            s.state = alive(*last) ? TrialState::Running : TrialState::Interrupted;
        }
        out.push_back(std::move(s));
    }
    return out;
}

bool needsRerun(TrialState state) {
    return state == TrialState::NotRun || state == TrialState::Failed || state == TrialState::Cancelled ||
           state == TrialState::Interrupted;
}

}  // namespace tm2::sweep
