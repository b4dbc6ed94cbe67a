#include "core/quant/latency_table.h"

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "core/base/error.h"
#include "core/base/json_file.h"

namespace tm2::quant {

namespace {

using nlohmann::json;

double readMicroseconds(const json& j, const std::string& where) {
    if (!j.is_number()) throw Error(where + ": expected a number of µs, got " + j.dump());
    const double v = j.get<double>();
    if (!std::isfinite(v) || v < 0) throw Error(where + ": expected a time ≥ 0 µs, got " + j.dump());
    return v;
}

int readWidthKey(const std::string& key, const std::string& where) {
    std::size_t used = 0;
    int bits = 0;
    try {
        bits = std::stoi(key, &used);
    } catch (const std::exception&) {
        used = 0;
    }
    if (key.empty() || used != key.size() || bits < 2 || bits > 8)
        throw Error(where + ": key '" + key + "' is not a bit width (2..8)");
    return bits;
}

std::string number(double v) {
    std::ostringstream s;
    s << v;
    return s.str();
}

}  // namespace

LatencyTable latencyTableFromJson(const json& j, const std::string& origin) {
    LatencyTable t;
    t.origin = origin;
    if (!j.is_object()) throw Error(origin + ": expected a JSON object");
    if (j.contains("unit") && j.at("unit") != "us")
        throw Error(origin + ": unit: expected \"us\", got " + j.at("unit").dump());
    if (!j.contains("layers")) throw Error(origin + ": missing field 'layers'");
    const json& layers = j.at("layers");
    if (!layers.is_object()) throw Error(origin + ": layers: expected an object {layer: {bits: µs}}");
    if (layers.empty()) throw Error(origin + ": layers: the table is empty");
    for (const auto& [name, widths] : layers.items()) {
        const std::string where = origin + ": layers." + name;
        if (!widths.is_object() || widths.empty())
            throw Error(where + ": expected an object {\"4\": µs, \"8\": µs}, got " + widths.dump());
        for (const auto& [key, value] : widths.items())
            t.layers[name][readWidthKey(key, where)] = readMicroseconds(value, where + "." + key);
    }
    if (j.contains("other_ops_us"))
        t.other_ops_us = readMicroseconds(j.at("other_ops_us"), origin + ": other_ops_us");
    return t;
}

LatencyTable readLatencyTable(const std::string& path) {
    return latencyTableFromJson(readJsonFile(path), path);
}

void applyLatencyTable(const LatencyTable& table, double network_budget_us, BitAllocationProblem& problem) {
    if (!std::isfinite(network_budget_us) || network_budget_us <= 0)
        throw Error("latency budget must be > 0 µs, got " + number(network_budget_us));
    const double layer_budget = network_budget_us - table.other_ops_us;
    if (layer_budget <= 0)
        throw Error("latency budget " + number(network_budget_us) + " µs does not cover the " +
                    number(table.other_ops_us) + " µs of the ops without weights (" + table.origin + ")");
    for (AllocationLayer& layer : problem.layers) {
        const auto it = table.layers.find(layer.name);
        if (it == table.layers.end())
            throw Error(table.origin + ": no latency for layer '" + layer.name +
                        "' (was the table measured on a model of this network?)");
        std::vector<int> widths = problem.candidate_bits;
        if (layer.pinned_bits) widths = {*layer.pinned_bits};
        layer.latency_us.clear();
        for (int b : widths) {
            const auto w = it->second.find(b);
            if (w == it->second.end())
                throw Error(table.origin + ": layers." + layer.name + ": no latency at " + std::to_string(b) +
                            " bits (measure a model at that width too)");
            layer.latency_us[b] = w->second;
        }
    }
    problem.latency_us_max = layer_budget;
}

}  // namespace tm2::quant
