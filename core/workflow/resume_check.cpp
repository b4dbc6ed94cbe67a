#include "core/workflow/resume_check.h"

#include <filesystem>
#include <set>

#include "core/base/error.h"
#include "core/base/json_file.h"

namespace tm2::workflow {

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

std::string shown(const json& value) {
    constexpr std::size_t kMax = 80;
    std::string text = value.dump();
    if (text.size() > kMax) text = text.substr(0, kMax - 1) + "…";
    return text;
}

}  // namespace

bool mayDifferOnResume(const std::string& field) {
    static const std::set<std::string> free{
        "train.epochs",       // "more epochs may be asked for"
        "train.threads",      // speed only
        "dataset.cache_dir",  // where features are cached, not what they are
        "dataset.no_cache",
        "dataset.path",  // the data is compared by its fingerprint: a moved folder still matches
    };
    return free.count(field) > 0;
}

std::vector<SettingDifference> differingSettings(const json& recorded, const json& requested,
                                                 const std::string& prefix) {
    std::vector<SettingDifference> out;
    if (!prefix.empty() && mayDifferOnResume(prefix)) return out;
    if (recorded.is_object() && requested.is_object()) {
        for (const auto& [key, value] : requested.items()) {
            if (!recorded.contains(key)) continue;  // an older folder: not recorded then
            const std::string field = prefix.empty() ? key : prefix + "." + key;
            for (auto& d : differingSettings(recorded[key], value, field)) out.push_back(std::move(d));
        }
        return out;
    }
    if (recorded.is_array() && requested.is_array() && recorded.size() == requested.size()) {
        for (std::size_t i = 0; i < recorded.size(); ++i)
            for (auto& d :
                 differingSettings(recorded[i], requested[i], prefix + "[" + std::to_string(i) + "]"))
                out.push_back(std::move(d));
        return out;
    }
    // 1 and 1.0 are the same setting; nlohmann compares numbers by value.
    if (recorded != requested) out.push_back({prefix, recorded, requested});
    return out;
}

bool holdsRun(const std::string& run_dir) {
    std::error_code ec;
    const fs::path checkpoints = fs::path(run_dir) / "checkpoints";
    return fs::exists(fs::path(run_dir) / "run.json", ec) && fs::is_directory(checkpoints, ec) &&
           !fs::is_empty(checkpoints, ec);
}

json readRecordedRun(const std::string& run_dir) {
    const std::string path = (fs::path(run_dir) / "run.json").string();
    try {
        json run = readJsonFile(path);
        if (!run.is_object()) throw Error(path + ": expected a JSON object");
        return run;
    } catch (const Error& e) {
        throw Error(
            std::string(e.what()) +
            "; the folder's run cannot be checked, so it is not resumed (use --no-resume to start over "
            "in it, or another --out)");
    }
}

void requireResumable(const std::string& run_dir, const json& recorded_run, const json& requested_run,
                      const json& requested_spec) {
    std::vector<SettingDifference> differences = differingSettings(recorded_run, requested_run);
    if (!requested_spec.is_null()) {
        const std::string spec_path = (fs::path(run_dir) / "spec.json").string();
        if (fs::exists(spec_path))
            for (auto& d : differingSettings(readJsonFile(spec_path), requested_spec, "spec"))
                differences.push_back(std::move(d));
    }
    if (differences.empty()) return;
    std::string message = run_dir + ": holds a run with other settings, so training cannot continue it:";
    for (const auto& d : differences)
        message += "\n  " + d.field + ": " + shown(d.recorded) + " in the folder, " + shown(d.requested) +
                   " asked for";
    message +=
        "\nNothing in the folder was changed. Either start over in it with --no-resume, or train into "
        "another --out folder.";
    throw Error(message);
}

void startOver(const std::string& run_dir) {
    std::error_code ec;
    fs::remove_all(fs::path(run_dir) / "checkpoints", ec);
    if (ec)
        throw Error((fs::path(run_dir) / "checkpoints").string() +
                    ": cannot remove it to start over: " + ec.message());
    fs::remove(fs::path(run_dir) / "result.json", ec);
    if (ec)
        throw Error((fs::path(run_dir) / "result.json").string() +
                    ": cannot remove it to start over: " + ec.message());
}

}  // namespace tm2::workflow
