#include "app/bench/latency_table_writer.h"

#include <map>
#include <set>

#include "core/base/error.h"

namespace tm2::bench {

nlohmann::json latencyTableJson(const std::vector<TimedModel>& models) {
    if (models.empty()) throw Error("latency table: no timed model");
    const runtime::Model& first = *models[0].model;
    std::map<std::string, std::map<int, std::vector<double>>> layers;  // name → bits → p50 per model
    std::map<std::string, std::vector<double>> others;
    std::set<int> widths;
    for (const TimedModel& t : models) {
        const runtime::Model& m = *t.model;
        if (m.ops.size() != first.ops.size())
            throw Error(t.path + ": " + std::to_string(m.ops.size()) + " ops, but " + models[0].path +
                        " has " + std::to_string(first.ops.size()) + " (not the same network)");
        for (std::size_t i = 0; i < m.ops.size(); ++i) {
            const runtime::Op& op = m.ops[i];
            if (op.name != first.ops[i].name || op.type != first.ops[i].type)
                throw Error(t.path + ": op " + std::to_string(i) + " is '" + op.name + "', but in " +
                            models[0].path + " it is '" + first.ops[i].name + "' (not the same network)");
            if (op.weightCount() == 0) {
                others[op.name].push_back(t.ops[i].p50);
            } else {
                layers[op.name][op.weight_bits].push_back(t.ops[i].p50);
                widths.insert(op.weight_bits);
            }
        }
    }
    auto mean = [](const std::vector<double>& v) {
        double s = 0;
        for (double x : v) s += x;
        return s / static_cast<double>(v.size());
    };
    nlohmann::json table_layers = nlohmann::json::object();
    for (const auto& [name, per_width] : layers) {
        for (int b : widths)
            if (!per_width.count(b))
                throw Error("latency table: layer '" + name + "' was not measured at " + std::to_string(b) +
                            " bits; add a model with it at that width (--also)");
        for (const auto& [b, samples] : per_width) table_layers[name][std::to_string(b)] = mean(samples);
    }
    nlohmann::json other_ops = nlohmann::json::object();
    double other_total = 0;
    for (const auto& [name, samples] : others) {
        other_ops[name] = mean(samples);
        other_total += mean(samples);
    }
    nlohmann::json sources = nlohmann::json::array();
    for (const TimedModel& t : models) sources.push_back(t.path);
    return {{"unit", "us"},           {"statistic", "p50 of per-op steady_clock timings (invokeProfiled)"},
            {"widths", widths},       {"layers", table_layers},
            {"other_ops", other_ops}, {"other_ops_us", other_total},
            {"models", sources}};
}

}  // namespace tm2::bench
