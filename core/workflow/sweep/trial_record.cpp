#include "core/workflow/sweep/trial_record.h"

#include <ctime>
#include <filesystem>

#include "core/base/atomic_write.h"
#include "core/base/error.h"
#include "core/base/json_file.h"
#include "core/workflow/sweep/sweep_plan.h"

namespace tm2::sweep {

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

template <typename T>
T field(const json& j, const char* key, const std::string& where, T fallback) {
    if (!j.contains(key)) return fallback;
    try {
        return j.at(key).get<T>();
    } catch (const json::exception&) {
        throw Error(where + "." + key + ": wrong type " + j.at(key).dump());
    }
}

TrialAttempt attemptFrom(const json& j, const std::string& where) {
    if (!j.is_object()) throw Error(where + ": expected an object");
    TrialAttempt a;
    a.attempt = field<int>(j, "attempt", where, 1);
    a.status = field<std::string>(j, "status", where, "running");
    a.started_at = field<std::string>(j, "started_at", where, "");
    a.finished_at = field<std::string>(j, "finished_at", where, "");
    a.host = field<std::string>(j, "host", where, "");
    a.pid = field<std::int64_t>(j, "pid", where, 0);
    a.pid_start = field<std::int64_t>(j, "pid_start", where, 0);
    a.slurm_job_id = field<std::string>(j, "slurm_job_id", where, "");
    a.slurm_array_task_id = field<std::string>(j, "slurm_array_task_id", where, "");
    a.error = field<std::string>(j, "error", where, "");
    a.runs = j.value("runs", json::array());
    a.metrics = j.value("metrics", json::object());
    if (!a.runs.is_array()) throw Error(where + ".runs: expected a list");
    if (!a.metrics.is_object()) throw Error(where + ".metrics: expected an object");
    for (const auto& [name, value] : a.metrics.items())
        if (!value.is_number()) throw Error(where + ".metrics." + name + ": expected a number");
    return a;
}

}  // namespace

std::string trialRecordPath(const std::string& sweep_dir, int index) {
    return (fs::path(sweep_dir) / trialFolderName(index) / "trial.json").string();
}

void to_json(json& j, const TrialAttempt& a) {
    j = json{{"attempt", a.attempt},
             {"status", a.status},
             {"started_at", a.started_at},
             {"finished_at", a.finished_at},
             {"host", a.host},
             {"pid", a.pid},
             {"pid_start", a.pid_start},
             {"slurm_job_id", a.slurm_job_id},
             {"slurm_array_task_id", a.slurm_array_task_id},
             {"error", a.error},
             {"metrics", a.metrics},
             {"runs", a.runs}};
}

void to_json(json& j, const TrialRecord& r) {
    j = json{{"sweep", r.sweep}, {"trial", r.trial}, {"values", r.values}, {"attempts", r.attempts}};
}

std::optional<TrialRecord> readTrialRecord(const std::string& path) {
    std::error_code ec;
    if (!fs::exists(path, ec)) return std::nullopt;
    const json j = readJsonFile(path);
    if (!j.is_object()) throw Error(path + ": expected an object");
    TrialRecord r;
    r.sweep = field<std::string>(j, "sweep", path, "");
    r.trial = field<int>(j, "trial", path, 0);
    r.values = j.value("values", json::object());
    const json attempts = j.value("attempts", json::array());
    if (!attempts.is_array()) throw Error(path + ": attempts: expected a list");
    for (std::size_t i = 0; i < attempts.size(); ++i)
        r.attempts.push_back(attemptFrom(attempts[i], path + ": attempts[" + std::to_string(i) + "]"));
    return r;
}

void writeTrialRecord(const std::string& path, const TrialRecord& record) {
    writeFileAtomically(path, json(record).dump(2));
}

void recordUnexpectedExit(const std::string& sweep_dir, const std::string& sweep, int index,
                          const json& values, long pid, int exit_code, const std::string& log) {
    const std::string path = trialRecordPath(sweep_dir, index);
    TrialRecord record = readTrialRecord(path).value_or(TrialRecord{sweep, index, values, {}});
    const std::string why = "the trial process exited with code " + std::to_string(exit_code) +
                            " without recording its end; see " + log;
    if (!record.attempts.empty() && record.attempts.back().pid == pid) {
        TrialAttempt& last = record.attempts.back();
        if (last.status != "running") return;
        last.status = "failed";
        last.error = why;
        last.finished_at = utcNow();
    } else {
        TrialAttempt a;
        a.attempt = static_cast<int>(record.attempts.size()) + 1;
        a.status = "failed";
        a.pid = pid;
        a.started_at = a.finished_at = utcNow();
        a.error = why;
        record.attempts.push_back(a);
    }
    std::error_code ec;
    fs::create_directories(fs::path(path).parent_path(), ec);
    writeTrialRecord(path, record);
}

}  // namespace tm2::sweep
