#include "core/workflow/run_catalog.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>

#include "core/base/atomic_write.h"
#include "core/base/error.h"
#include "core/base/json_file.h"

namespace tm2::workflow {

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

std::string paramText(const json& params, const char* key) {
    if (!params.is_object() || !params.contains(key) || !params[key].is_string()) return "";
    return params[key].get<std::string>();
}

// The same folder whether written relative, absolute or with a trailing slash.
std::string normalFolder(const std::string& path) {
    if (path.empty()) return "";
    std::error_code ec;
    fs::path p = fs::weakly_canonical(fs::absolute(path), ec);
    if (ec) p = fs::absolute(path).lexically_normal();
    std::string text = p.string();
    while (text.size() > 1 && text.back() == '/') text.pop_back();
    return text;
}

bool datasetMatches(const experiment::RunRecord& run, const std::string& dataset) {
    if (dataset.empty()) return true;
    if (!run.data_fingerprint.empty() && run.data_fingerprint.rfind(dataset, 0) == 0) return true;
    const std::string data = paramText(run.params, "data");
    if (data.empty()) return false;
    if (normalFolder(data) == normalFolder(dataset)) return true;
    return fs::path(normalFolder(data)).filename() == fs::path(dataset).filename();
}

std::string readBytes(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Error(path + ": cannot read it for the export");
    return std::string(std::istreambuf_iterator<char>(in), {});
}

json seedOf(const experiment::RunRecord& run) {
    const json& p = run.params;
    if (p.is_object() && p.contains("train") && p["train"].is_object() && p["train"].contains("seed"))
        return p["train"]["seed"];
    if (p.is_object() && p.contains("split") && p["split"].is_object() && p["split"].contains("seed"))
        return p["split"]["seed"];
    return nullptr;
}

}  // namespace

void validateFilter(const RunFilter& filter) {
    if (filter.status.empty()) return;
    std::string known;
    for (const char* s : experiment::kRunStatuses) {
        if (filter.status == s) return;
        known += (known.empty() ? "" : ", ") + std::string(s);
    }
    throw Error("status '" + filter.status + "' is not a run status (" + known + ")");
}

bool matchesFilter(const experiment::RunRecord& run, const RunFilter& filter) {
    return (filter.kind.empty() || run.kind == filter.kind) &&
           (filter.status.empty() || run.status == filter.status) &&
           (filter.sweep.empty() || run.sweep == filter.sweep) && datasetMatches(run, filter.dataset);
}

std::vector<experiment::RunRecord> listRuns(const experiment::ExperimentStore& store,
                                            const RunFilter& filter) {
    validateFilter(filter);
    std::vector<experiment::RunRecord> runs = store.listRuns(filter.kind);
    runs.erase(
        std::remove_if(runs.begin(), runs.end(), [&](const auto& r) { return !matchesFilter(r, filter); }),
        runs.end());
    return runs;
}

bool sameFolder(const std::string& a, const std::string& b) {
    return !a.empty() && !b.empty() && normalFolder(a) == normalFolder(b);
}

std::vector<TrainedRun> trainedRuns(const experiment::ExperimentStore& store, const std::string& dataset) {
    std::vector<TrainedRun> runs;
    for (const experiment::RunRecord& r : store.listRuns()) {
        if ((r.kind != "train" && r.kind != "compare") || r.status != "finished") continue;
        const std::string folder = paramText(r.params, "out");
        if (folder.empty() || !fs::is_regular_file(fs::path(folder) / "run.json")) continue;
        const fs::path checkpoints = fs::path(folder) / "checkpoints";
        if (!fs::is_regular_file(checkpoints / "best.pt") && !fs::is_regular_file(checkpoints / "multimodal" / "best.pt"))
            continue;
        if (!dataset.empty() && !sameFolder(paramText(r.params, "data"), dataset)) continue;
        runs.push_back({r, folder, keyMetric(r)});
    }
    std::stable_sort(runs.begin(), runs.end(),
                     [](const TrainedRun& a, const TrainedRun& b) { return a.record.created_at > b.record.created_at; });
    return runs;
}

std::string runDatasetFolder(const std::string& run_folder) {
    const fs::path run_json = fs::path(run_folder) / "run.json";
    std::error_code ec;
    if (run_folder.empty() || !fs::is_regular_file(run_json, ec)) return "";
    try {
        const json j = readJsonFile(run_json.string());
        if (!j.contains("dataset") || !j["dataset"].is_object()) return "";
        return normalFolder(paramText(j["dataset"], "path"));
    } catch (const Error&) {
        return "";  // an unreadable run.json names no dataset; loading the run says why
    }
}

ReportedRun reportedRun(const experiment::ExperimentStore& store, const std::string& run_id) {
    const auto run = store.findRun(run_id);
    if (!run)
        throw Error(store.path() + ": no run '" + run_id +
                    "' (see `tinym2net runs list`, or pass --workspace)");
    return {*run, store.epochs(run_id), store.artifacts(run_id)};
}

std::string runFolderOf(const ReportedRun& run) {
    for (const char* key : {"out", "run"})
        if (const std::string folder = paramText(run.run.params, key); !folder.empty()) return folder;
    for (const auto& a : run.artifacts)
        if (a.name == "run_folder") return a.path;
    return "";
}

std::vector<experiment::RunRecord> relatedRuns(const experiment::ExperimentStore& store,
                                               const ReportedRun& run) {
    const std::string folder = normalFolder(runFolderOf(run));
    std::set<std::string> chain;  // the runs this one continues, however far back
    for (std::string id = run.run.resumed_from; !id.empty() && chain.insert(id).second;) {
        const auto previous = store.findRun(id);
        id = previous ? previous->resumed_from : "";
    }
    std::vector<experiment::RunRecord> related;
    for (const auto& other : store.listRuns()) {
        if (other.id == run.run.id) continue;
        const bool same_folder = !folder.empty() && (normalFolder(paramText(other.params, "out")) == folder ||
                                                     normalFolder(paramText(other.params, "run")) == folder);
        if (same_folder || chain.count(other.id)) related.push_back(other);
    }
    std::reverse(related.begin(), related.end());  // listRuns is newest first
    return related;
}

RunExport exportRun(const experiment::ExperimentStore& store, const std::string& run_id,
                    const std::string& out_dir) {
    const ReportedRun run = reportedRun(store, run_id);
    std::error_code ec;
    if (fs::exists(out_dir, ec) && !(fs::is_directory(out_dir, ec) && fs::is_empty(out_dir, ec)))
        throw Error(out_dir + ": exists and is not an empty folder; choose a new --out folder");
    fs::create_directories(out_dir, ec);
    if (ec) throw Error(out_dir + ": cannot create the export folder: " + ec.message());

    RunExport out;
    out.dir = out_dir;
    auto write = [&](const std::string& relative, const std::string& bytes) {
        const fs::path target = fs::path(out_dir) / relative;
        std::error_code mkdir_error;
        fs::create_directories(target.parent_path(), mkdir_error);
        writeFileAtomically(target.string(), bytes);
        out.files.push_back(relative);
    };

    std::vector<ReportedRun> record{run};
    for (const auto& other : relatedRuns(store, run))
        record.push_back({other, store.epochs(other.id), store.artifacts(other.id)});
    write("record.json", runsReport(record).dump(2));

    std::set<std::string> copied;  // absolute source paths already in the export
    const std::string folder = runFolderOf(run);
    if (!folder.empty() && fs::is_directory(folder, ec)) {
        std::vector<fs::path> files;
        for (const auto& entry : fs::directory_iterator(folder, ec))
            if (entry.is_regular_file() && entry.path().extension() == ".json") files.push_back(entry.path());
        std::sort(files.begin(), files.end());
        for (const auto& file : files) {
            write("folder/" + file.filename().string(), readBytes(file.string()));
            copied.insert(normalFolder(file.string()));
        }
    } else if (!folder.empty()) {
        out.missing.push_back(folder);
    }
    // Plans written with --plan-out outside the folder.
    for (const auto& reported : record)
        for (const auto& a : reported.artifacts) {
            if (a.name != "plan" || copied.count(normalFolder(a.path))) continue;
            if (!fs::exists(a.path, ec)) {
                out.missing.push_back(a.path);
                continue;
            }
            write("plans/" + reported.run.id + "-" + fs::path(a.path).filename().string(), readBytes(a.path));
            copied.insert(normalFolder(a.path));
        }

    std::vector<std::string> listed = out.files;
    listed.push_back("export.json");  // itself, written last
    const json summary{{"run_id", run.run.id},     {"kind", run.run.kind},
                       {"status", run.run.status}, {"data_fingerprint", run.run.data_fingerprint},
                       {"seed", seedOf(run.run)},  {"files", listed},
                       {"missing", out.missing}};
    write("export.json", summary.dump(2));
    return out;
}

json toJson(const RunExport& e) {
    return json{{"dir", fs::absolute(e.dir).string()}, {"files", e.files}, {"missing", e.missing}};
}

}  // namespace tm2::workflow
