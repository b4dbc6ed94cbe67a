#include "core/workflow/sweep/run_record_json.h"

#include <algorithm>

#include "core/base/error.h"

namespace tm2::sweep {

namespace {
using nlohmann::json;
}  // namespace

json runToJson(const ExportedRun& run) {
    const experiment::RunRecord& r = run.record;
    json epochs = json::array(), artifacts = json::array();
    for (const auto& e : run.epochs) epochs.push_back({{"epoch", e.epoch}, {"metrics", e.metrics}});
    for (const auto& a : run.artifacts) artifacts.push_back({{"name", a.name}, {"path", a.path}});
    return json{{"id", r.id},
                {"kind", r.kind},
                {"name", r.name},
                {"status", r.status},
                {"created_at", r.created_at},
                {"finished_at", r.finished_at},
                {"data_fingerprint", r.data_fingerprint},
                {"spec", r.spec},
                {"params", r.params},
                {"result", r.result},
                {"error", r.error},
                {"parent_id", r.parent_id},
                {"resumed_from", r.resumed_from},
                {"sweep", r.sweep},
                {"pid", r.pid},
                {"host", r.host},
                {"heartbeat_at", r.heartbeat_at},
                {"epochs", epochs},
                {"artifacts", artifacts}};
}

ExportedRun runFromJson(const json& j, const std::string& where) {
    if (!j.is_object()) throw Error(where + ": expected an object");
    auto text = [&](const char* key) {
        if (!j.contains(key)) return std::string();
        if (!j.at(key).is_string()) throw Error(where + "." + key + ": expected a string");
        return j.at(key).get<std::string>();
    };
    ExportedRun run;
    experiment::RunRecord& r = run.record;
    r.id = text("id");
    if (r.id.empty()) throw Error(where + ".id: missing");
    r.kind = text("kind");
    if (r.kind.empty()) throw Error(where + ".kind: missing");
    r.name = text("name");
    r.status = text("status");
    r.created_at = text("created_at");
    r.finished_at = text("finished_at");
    r.data_fingerprint = text("data_fingerprint");
    r.spec = j.value("spec", json());
    r.params = j.value("params", json());
    r.result = j.value("result", json());
    r.error = text("error");
    r.parent_id = text("parent_id");
    r.resumed_from = text("resumed_from");
    r.sweep = text("sweep");
    r.host = text("host");
    r.heartbeat_at = text("heartbeat_at");
    if (j.contains("pid") && !j.at("pid").is_number_integer())
        throw Error(where + ".pid: expected an integer");
    r.pid = j.value("pid", std::int64_t{0});
    try {
        for (const auto& e : j.value("epochs", json::array()))
            run.epochs.push_back({e.at("epoch").get<int>(), e.at("metrics")});
        for (const auto& a : j.value("artifacts", json::array()))
            run.artifacts.push_back({a.at("name").get<std::string>(), a.at("path").get<std::string>()});
    } catch (const json::exception& e) {
        throw Error(where + ": epochs/artifacts: " + e.what());
    }
    return run;
}

std::vector<ExportedRun> exportStore(const experiment::ExperimentStore& store) {
    std::vector<ExportedRun> runs;
    for (const auto& r : store.listRuns()) runs.push_back({r, store.epochs(r.id), store.artifacts(r.id)});
    std::reverse(runs.begin(), runs.end());  // listRuns is newest first
    return runs;
}

}  // namespace tm2::sweep
