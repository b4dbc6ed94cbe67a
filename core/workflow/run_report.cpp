#include "core/workflow/run_report.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>
#include <sstream>

namespace tm2::workflow {

namespace {

using nlohmann::json;

void addClassification(std::vector<RunMetric>& out, const std::string& prefix, const json& m) {
    if (!m.is_object()) return;
    static const std::vector<std::pair<const char*, const char*>> fields{
        {"accuracy", "accuracy"}, {"balanced_accuracy", "uar"}, {"macro_f1", "macro_f1"}, {"roc_auc", "roc_auc"}};
    for (const auto& [field, name] : fields)
        if (m.contains(field) && m[field].is_number()) out.push_back({prefix + name, m[field].get<double>()});
}

// Metrics of one TrainResult-like object (a training run, or a comparison's variant).
void addResultMetrics(std::vector<RunMetric>& out, const std::string& prefix, const json& r) {
    if (!r.is_object()) return;
    if (r.contains("test")) addClassification(out, prefix + "test_", r["test"]);
    if (r.contains("val") && r["val"].is_object() && r["val"].contains("accuracy") && r["val"]["accuracy"].is_number())
        out.push_back({prefix + "val_accuracy", r["val"]["accuracy"].get<double>()});
    if (r.contains("test_missing") && r["test_missing"].is_object())
        for (const auto& [modality, m] : r["test_missing"].items())
            if (m.is_object() && m.contains("accuracy") && m["accuracy"].is_number())
                out.push_back({prefix + "without_" + modality + ".test_accuracy", m["accuracy"].get<double>()});
    for (const auto& [key, value] : r.items()) {
        if (!value.is_number() || key == "test_acc") continue;  // test_acc repeats test.accuracy
        out.push_back({prefix + key, value.get<double>()});
    }
}

std::string csvField(const std::string& s) {
    if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
    std::string quoted = "\"";
    for (char c : s) {
        if (c == '"') quoted += '"';
        quoted += c;
    }
    return quoted + "\"";
}

std::string number(double v) {
    std::ostringstream s;
    s.precision(10);
    s << v;
    return s.str();
}

EpochPoint epochPoint(const json& j, int fallback_epoch) {
    EpochPoint p;
    p.epoch = j.contains("epoch") && j["epoch"].is_number() ? j["epoch"].get<int>() : fallback_epoch;
    p.train_loss = j.value("train_loss", 0.0);
    p.train_accuracy = j.value("train_accuracy", 0.0);
    p.val_loss = j.value("val_loss", 0.0);
    p.val_accuracy = j.value("val_accuracy", 0.0);
    return p;
}

}  // namespace

std::vector<RunMetric> runMetrics(const experiment::RunRecord& run) {
    std::vector<RunMetric> out;
    const json& r = run.result;
    if (!r.is_object()) return out;
    addResultMetrics(out, "", r);
    if (run.kind == "quantize") {
        // quantize reports its test-split figures at the top level; name them as training does.
        static const std::map<std::string, std::string> kTestNames{{"accuracy", "test_accuracy"},
                                                                  {"fp32_accuracy", "fp32_test_accuracy"},
                                                                  {"integer_accuracy", "integer_test_accuracy"},
                                                                  {"accuracy_delta", "test_accuracy_delta"}};
        for (RunMetric& m : out)
            if (const auto it = kTestNames.find(m.name); it != kTestNames.end()) m.name = it->second;
    }
    if (r.contains("multimodal")) addResultMetrics(out, "multimodal.", r["multimodal"]);
    if (r.contains("unimodal") && r["unimodal"].is_object())
        for (const auto& [modality, variant] : r["unimodal"].items())
            addResultMetrics(out, "only-" + modality + ".", variant);
    return out;
}

std::string metricText(const RunMetric& metric) {
    const std::string& n = metric.name;
    const auto has = [&](const char* part) { return n.find(part) != std::string::npos; };
    const bool rate = has("accuracy") || has("uar") || has("f1");
    char text[64];
    if ((rate && has("delta")) || has("fusion_gain"))
        std::snprintf(text, sizeof text, "%+.1f pts", 100.0 * metric.value);
    else if (rate)
        std::snprintf(text, sizeof text, "%.1f %%", 100.0 * metric.value);
    else if (std::isfinite(metric.value) && metric.value == std::floor(metric.value) && std::fabs(metric.value) < 1e15)
        std::snprintf(text, sizeof text, "%.0f", metric.value);
    else
        std::snprintf(text, sizeof text, "%.4g", metric.value);
    return text;
}

std::optional<RunMetric> keyMetric(const experiment::RunRecord& run) {
    const std::vector<RunMetric> metrics = runMetrics(run);
    for (const char* name : {"test_accuracy", "multimodal.test_accuracy", "accuracy"})
        for (const RunMetric& m : metrics)
            if (m.name == name) return m;
    return std::nullopt;
}

std::vector<EpochPoint> runHistory(const experiment::RunRecord& run, const std::vector<experiment::EpochRow>& rows) {
    std::vector<EpochPoint> points;
    if (!rows.empty()) {
        for (const auto& row : rows) {
            EpochPoint p = epochPoint(row.metrics.is_object() ? row.metrics : json::object(), row.epoch);
            p.epoch = row.epoch;
            points.push_back(p);
        }
    } else if (run.result.is_object()) {
        const json* history = nullptr;
        if (run.result.contains("history") && run.result["history"].is_array())
            history = &run.result["history"];
        else if (run.result.contains("multimodal") && run.result["multimodal"].is_object() &&
                 run.result["multimodal"].contains("history") && run.result["multimodal"]["history"].is_array())
            history = &run.result["multimodal"]["history"];
        if (history)
            for (std::size_t i = 0; i < history->size(); ++i)
                if ((*history)[i].is_object()) points.push_back(epochPoint((*history)[i], static_cast<int>(i) + 1));
    }
    std::stable_sort(points.begin(), points.end(),
                     [](const EpochPoint& a, const EpochPoint& b) { return a.epoch < b.epoch; });
    return points;
}

std::string runsCsv(const std::vector<experiment::RunRecord>& runs) {
    std::vector<std::string> columns;
    std::set<std::string> seen;
    std::vector<std::map<std::string, double>> values;
    for (const auto& run : runs) {
        std::map<std::string, double> row;
        for (const RunMetric& m : runMetrics(run)) {
            if (seen.insert(m.name).second) columns.push_back(m.name);
            row[m.name] = m.value;
        }
        values.push_back(std::move(row));
    }
    std::ostringstream out;
    out << "id,kind,name,status,created_at,finished_at,data_fingerprint";
    for (const auto& c : columns) out << ',' << csvField(c);
    out << '\n';
    for (std::size_t i = 0; i < runs.size(); ++i) {
        const auto& r = runs[i];
        out << csvField(r.id) << ',' << csvField(r.kind) << ',' << csvField(r.name) << ',' << csvField(r.status) << ','
            << csvField(r.created_at) << ',' << csvField(r.finished_at) << ',' << csvField(r.data_fingerprint);
        for (const auto& c : columns) {
            out << ',';
            if (auto it = values[i].find(c); it != values[i].end()) out << number(it->second);
        }
        out << '\n';
    }
    return out.str();
}

json runsReport(const std::vector<ReportedRun>& runs) {
    json list = json::array();
    for (const auto& reported : runs) {
        const auto& r = reported.run;
        json metrics = json::object();
        for (const RunMetric& m : runMetrics(r)) metrics[m.name] = m.value;
        json epochs = json::array();
        for (const auto& e : reported.epochs) {
            json row = e.metrics.is_object() ? e.metrics : json::object();
            row["epoch"] = e.epoch;
            epochs.push_back(row);
        }
        json artifacts = json::object();
        for (const auto& a : reported.artifacts) artifacts[a.name] = a.path;
        list.push_back(json{{"id", r.id},
                            {"kind", r.kind},
                            {"name", r.name},
                            {"status", r.status},
                            {"created_at", r.created_at},
                            {"finished_at", r.finished_at},
                            {"data_fingerprint", r.data_fingerprint},
                            {"parent_id", r.parent_id},
                            {"resumed_from", r.resumed_from},
                            {"sweep", r.sweep},
                            {"pid", r.pid},
                            {"host", r.host},
                            {"heartbeat_at", r.heartbeat_at},
                            {"error", r.error},
                            {"params", r.params},
                            {"spec", r.spec},
                            {"result", r.result},
                            {"metrics", metrics},
                            {"epochs", epochs},
                            {"artifacts", artifacts}});
    }
    return json{{"runs", list}};
}

}  // namespace tm2::workflow
