#include "core/workflow/sweep/sweep_overview.h"

#include <algorithm>
#include <set>

#include "core/base/error.h"
#include "core/workflow/sweep/seed_statistics.h"
#include "core/workflow/sweep/sweep_plan.h"

namespace tm2::sweep {

namespace {

using nlohmann::json;

// Shown first, in this order, when reported; the rest follow by name.
const char* const kHeadline[] = {
    "test_accuracy", "quantize.test_accuracy", "quantize.model_bytes", kFp32BytesMetric, "quantize.bops",
    "test_uar",      "test_macro_f1",          "val_accuracy"};

bool contains(const std::string& s, const char* part) { return s.find(part) != std::string::npos; }

// The sweep file's axis order; the planned values' keys when the file cannot be read any more.
std::vector<std::string> axesOf(const SweepFolder& folder) {
    try {
        std::vector<std::string> axes;
        for (const auto& a : readSweepFile(folder.sweep_file).axes) axes.push_back(a.param);
        return axes;
    } catch (const Error&) {
    }
    std::vector<std::string> axes;
    for (const auto& t : folder.trials)
        for (const auto& [key, value] : t.values.items())
            if (std::find(axes.begin(), axes.end(), key) == axes.end()) axes.push_back(key);
    return axes;
}

void addDerivedMetrics(std::map<std::string, double>& metrics) {
    const auto parameters = metrics.find("parameters");
    if (parameters != metrics.end() && !metrics.count(kFp32BytesMetric))
        metrics[kFp32BytesMetric] = 4.0 * parameters->second;
}

TrialRow rowOf(const TrialStatus& s, const json& values) {
    TrialRow row;
    row.index = s.index;
    row.folder = trialFolderName(s.index);
    row.values = values;
    row.state = s.state;
    row.slurm_state = s.slurm_state;
    if (!s.record) return row;
    row.attempts = static_cast<int>(s.record->attempts.size());
    for (const TrialAttempt& a : s.record->attempts) {
        if (a.status == "finished") {
            row.metrics.clear();
            for (const auto& [name, value] : a.metrics.items()) row.metrics[name] = value.get<double>();
        }
        if (!a.slurm_job_id.empty()) {
            row.slurm_job_id = a.slurm_job_id;
            row.slurm_array_task_id = a.slurm_array_task_id;
        }
    }
    if (!s.record->attempts.empty()) {
        const TrialAttempt& last = s.record->attempts.back();
        row.host = last.host;
        if (s.state != TrialState::Finished) row.error = last.error;
    }
    addDerivedMetrics(row.metrics);
    return row;
}

std::vector<std::string> metricNames(const std::vector<TrialRow>& rows) {
    std::set<std::string> all;
    for (const auto& r : rows)
        for (const auto& [name, value] : r.metrics) all.insert(name);
    std::vector<std::string> out;
    for (const char* name : kHeadline)
        if (all.erase(name)) out.push_back(name);
    out.insert(out.end(), all.begin(), all.end());
    return out;
}

bool anyRowHas(const SweepOverview& o, const std::string& metric) {
    for (const auto& r : o.rows)
        if (r.metrics.count(metric)) return true;
    return false;
}

}  // namespace

SweepOverview sweepOverview(const SweepFolder& folder, const SweepState& state) {
    SweepOverview o;
    o.name = folder.name;
    o.dir = folder.dir;
    o.executor = folder.executor;
    o.sweep_file = folder.sweep_file;
    o.data = folder.data;
    o.axes = axesOf(folder);
    o.queue_warning = state.queue_warning;
    for (const TrialStatus& s : state.trials)
        o.rows.push_back(rowOf(s, s.index < static_cast<int>(folder.trials.size())
                                      ? folder.trials[s.index].values
                                      : json::object()));
    o.metrics = metricNames(o.rows);
    o.seed_groups = seedGroups(state.trials);
    for (SeedGroup& g : o.seed_groups) {
        const auto parameters = g.metrics.find("parameters");
        if (parameters == g.metrics.end() || g.metrics.count(kFp32BytesMetric)) continue;
        MetricSummary bytes = parameters->second;  // 4 × each value: mean, spread and interval scale alike
        bytes.mean *= 4;
        bytes.std *= 4;
        bytes.half_width *= 4;
        g.metrics[kFp32BytesMetric] = bytes;
    }
    return o;
}

SweepOverview readSweepOverview(const std::string& dir) {
    const SweepFolder folder = readSweepFolder(dir);
    return sweepOverview(folder, currentSweepState(folder));
}

SweepOverview plannedOverview(const SweepFile& sweep) {
    SweepOverview o;
    o.name = sweep.name;
    o.sweep_file = sweep.path;
    o.data = sweep.data;
    o.planned_only = true;
    for (const auto& a : sweep.axes) o.axes.push_back(a.param);
    for (const Trial& t : planTrials(sweep)) {
        TrialRow row;
        row.index = t.index;
        row.folder = trialFolderName(t.index);
        row.values = t.values;
        o.rows.push_back(std::move(row));
    }
    return o;
}

std::string stateCountsText(const SweepOverview& overview) {
    std::map<TrialState, int> counts;
    for (const auto& r : overview.rows) ++counts[r.state];
    std::string text;
    for (const auto& [state, n] : counts)
        text += (text.empty() ? "" : ", ") + std::to_string(n) + " " + toString(state);
    return text.empty() ? "no trials" : text;
}

std::string accuracyMetricOf(const SweepOverview& overview) {
    for (const char* name : {"quantize.test_accuracy", "test_accuracy", "multimodal.test_accuracy"})
        if (anyRowHas(overview, name)) return name;
    return "";
}

std::string bytesMetricOf(const SweepOverview& overview) {
    for (const char* name : {"quantize.model_bytes", kFp32BytesMetric})
        if (anyRowHas(overview, name)) return name;
    return "";
}

std::vector<std::string> costMetricsOf(const SweepOverview& overview) {
    std::vector<std::string> out;
    for (const char* part : {"latency", "bops"})
        for (const auto& m : overview.metrics)
            if (contains(m, part) && std::find(out.begin(), out.end(), m) == out.end()) out.push_back(m);
    return out;
}

std::string valuesLabel(const std::vector<std::string>& axes, const json& values) {
    std::string text;
    const auto add = [&](const std::string& key, const json& v) {
        text += (text.empty() ? "" : " ") + key + "=" + (v.is_string() ? v.get<std::string>() : v.dump());
    };
    for (const auto& a : axes)
        if (values.contains(a)) add(a, values[a]);
    for (const auto& [key, v] : values.items())  // values outside the listed axes, by name
        if (std::find(axes.begin(), axes.end(), key) == axes.end()) add(key, v);
    return text.empty() ? "(base)" : text;
}

}  // namespace tm2::sweep
