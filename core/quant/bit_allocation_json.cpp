// JSON for the stand-alone `tinym2net ilp` problem and answer. Reading is
// strict: unknown fields and wrong types are errors naming their JSON path.

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>
#include <set>

#include "core/base/error.h"
#include "core/quant/bit_allocation.h"

namespace tm2::quant {

namespace {

using nlohmann::json;

void rejectUnknown(const json& j, const std::string& path, const std::set<std::string>& known) {
    for (const auto& [key, value] : j.items())
        if (!known.count(key)) throw Error(path + (path.empty() ? "" : ": ") + "unknown field '" + key + "'");
}

const json& requireObject(const json& j, const std::string& path) {
    if (!j.is_object()) throw Error(path + ": expected an object, got " + j.dump());
    return j;
}

double readNumber(const json& j, const std::string& path) {
    if (!j.is_number()) throw Error(path + ": expected a number, got " + j.dump());
    return j.get<double>();
}

std::int64_t readCount(const json& j, const std::string& path) {
    const double v = readNumber(j, path);
    if (v != std::floor(v) || std::abs(v) > 9e15)
        throw Error(path + ": expected a whole number, got " + j.dump());
    return static_cast<std::int64_t>(v);
}

// Checked as a 64-bit count first: a cast of 4294967300 to int would read as 4.
int readWidth(const json& j, const std::string& path) {
    const std::int64_t bits = readCount(j, path);
    if (bits < 2 || bits > 8) throw Error(path + ": expected a bit width between 2 and 8, got " + j.dump());
    return static_cast<int>(bits);
}

std::optional<double> readBudget(const json& j, const char* key) {
    if (!j.contains(key) || j.at(key).is_null()) return std::nullopt;
    return readNumber(j.at(key), key);
}

// {"4": 0.12, "8": 0.01}: keys are bit widths.
std::map<int, double> readPerWidth(const json& j, const std::string& path) {
    requireObject(j, path);
    std::map<int, double> out;
    for (const auto& [key, value] : j.items()) {
        std::size_t used = 0;
        int bits = 0;
        try {
            bits = std::stoi(key, &used);
        } catch (const std::exception&) {
            used = 0;
        }
        if (used != key.size() || key.empty()) throw Error(path + ": key '" + key + "' is not a bit width");
        out[bits] = readNumber(value, path + "." + key);
    }
    return out;
}

// {"macs": N, "from": "layer"} or {"macs": N, "bits": 8}.
ActivationInput readInput(const json& j, const std::string& path) {
    requireObject(j, path);
    rejectUnknown(j, path, {"macs", "from", "bits"});
    if (!j.contains("macs")) throw Error(path + ".macs: missing");
    if (j.contains("from") == j.contains("bits")) throw Error(path + ": give either 'from' (a layer) or 'bits'");
    ActivationInput in;
    in.macs = readCount(j.at("macs"), path + ".macs");
    if (j.contains("from")) {
        if (!j.at("from").is_string() || j.at("from").get<std::string>().empty())
            throw Error(path + ".from: expected a layer name, got " + j.at("from").dump());
        in.from = j.at("from").get<std::string>();
    } else {
        in.bits = readWidth(j.at("bits"), path + ".bits");
    }
    return in;
}

AllocationLayer readLayer(const json& j, const std::string& path) {
    requireObject(j, path);
    rejectUnknown(j, path, {"name", "group", "params", "macs", "omega", "latency_us", "pinned", "inputs"});
    for (const char* key : {"name", "params", "macs", "omega"})
        if (!j.contains(key)) throw Error(path + "." + key + ": missing");
    AllocationLayer l;
    if (!j.at("name").is_string()) throw Error(path + ".name: expected a string, got " + j.at("name").dump());
    l.name = j.at("name").get<std::string>();
    if (j.contains("group")) {
        if (!j.at("group").is_string())
            throw Error(path + ".group: expected a string, got " + j.at("group").dump());
        l.group = j.at("group").get<std::string>();
    }
    l.params = readCount(j.at("params"), path + ".params");
    l.macs = readCount(j.at("macs"), path + ".macs");
    l.omega = readPerWidth(j.at("omega"), path + ".omega");
    if (j.contains("latency_us")) l.latency_us = readPerWidth(j.at("latency_us"), path + ".latency_us");
    if (j.contains("pinned") && !j.at("pinned").is_null())
        l.pinned_bits = readWidth(j.at("pinned"), path + ".pinned");
    if (j.contains("inputs")) {
        if (!j.at("inputs").is_array()) throw Error(path + ".inputs: expected an array, got " + j.at("inputs").dump());
        for (std::size_t k = 0; k < j.at("inputs").size(); ++k)
            l.inputs.push_back(readInput(j.at("inputs").at(k), path + ".inputs[" + std::to_string(k) + "]"));
    }
    return l;
}

// α ∈ [0, 1] for one budget, or nothing; an error when the absolute budget is given too.
std::optional<double> readAlpha(const json& j, const char* alpha_key, const char* budget_key,
                                const std::optional<double>& budget) {
    if (!j.contains(alpha_key)) return std::nullopt;
    if (budget) throw Error(std::string(alpha_key) + ": give either " + budget_key + " or " + alpha_key);
    const double alpha = readNumber(j.at(alpha_key), alpha_key);
    if (!(alpha >= 0 && alpha <= 1))
        throw Error(std::string(alpha_key) + ": must lie in [0, 1], got " + j.at(alpha_key).dump());
    return alpha;
}

}  // namespace

BitAllocationProblem problemFromJson(const json& j, SolverLimits limits) {
    if (!j.is_object()) throw Error("problem: expected a JSON object");
    rejectUnknown(j, "",
                  {"layers", "bits", "size_bytes_max", "bops_max", "latency_us_max", "group_size_bytes_max",
                   "size_alpha", "bops_alpha"});
    if (!j.contains("layers") || !j.at("layers").is_array()) throw Error("layers: missing or not an array");
    BitAllocationProblem p;
    p.limits = limits;
    if (j.at("layers").size() > limits.max_layers)  // before reading them
        throw Error("layers: " + std::to_string(j.at("layers").size()) + " layers, more than the limit of " +
                    std::to_string(limits.max_layers) + " (raise it with `tinym2net ilp --max-layers`)");
    for (std::size_t i = 0; i < j.at("layers").size(); ++i)
        p.layers.push_back(readLayer(j.at("layers").at(i), "layers[" + std::to_string(i) + "]"));
    if (j.contains("bits")) {
        if (!j.at("bits").is_array())
            throw Error("bits: expected an array of widths, got " + j.at("bits").dump());
        p.candidate_bits.clear();
        for (std::size_t k = 0; k < j.at("bits").size(); ++k)
            p.candidate_bits.push_back(readWidth(j.at("bits").at(k), "bits[" + std::to_string(k) + "]"));
    }
    p.size_bytes_max = readBudget(j, "size_bytes_max");
    p.bops_max = readBudget(j, "bops_max");
    p.latency_us_max = readBudget(j, "latency_us_max");
    if (j.contains("group_size_bytes_max"))
        for (const auto& [group, v] :
             requireObject(j.at("group_size_bytes_max"), "group_size_bytes_max").items())
            p.group_size_bytes_max[group] = readNumber(v, "group_size_bytes_max." + group);
    p.validate();
    // HAWQ-V3's α in the range the pins leave (budgetRange, as the CLI and the GUI).
    applyAlphaBudgets(p, readAlpha(j, "size_alpha", "size_bytes_max", p.size_bytes_max),
                      readAlpha(j, "bops_alpha", "bops_max", p.bops_max));
    p.validate();  // an α of 0 on an empty model gives a zero budget
    return p;
}

json problemToJson(const BitAllocationProblem& p) {
    auto perWidth = [](const std::map<int, double>& m) {
        json o = json::object();
        for (const auto& [b, v] : m) o[std::to_string(b)] = v;
        return o;
    };
    json layers = json::array();
    for (const AllocationLayer& l : p.layers) {
        json o{{"name", l.name}, {"params", l.params}, {"macs", l.macs}, {"omega", perWidth(l.omega)}};
        if (!l.group.empty()) o["group"] = l.group;
        if (!l.latency_us.empty()) o["latency_us"] = perWidth(l.latency_us);
        if (l.pinned_bits) o["pinned"] = *l.pinned_bits;
        if (!l.inputs.empty()) {
            json inputs = json::array();
            for (const ActivationInput& in : l.inputs)
                inputs.push_back(in.from.empty() ? json{{"macs", in.macs}, {"bits", in.bits}}
                                                 : json{{"macs", in.macs}, {"from", in.from}});
            o["inputs"] = std::move(inputs);
        }
        layers.push_back(std::move(o));
    }
    json j{{"layers", layers}, {"bits", p.candidate_bits}};
    if (p.size_bytes_max) j["size_bytes_max"] = *p.size_bytes_max;
    if (p.bops_max) j["bops_max"] = *p.bops_max;
    if (p.latency_us_max) j["latency_us_max"] = *p.latency_us_max;
    if (!p.group_size_bytes_max.empty()) j["group_size_bytes_max"] = p.group_size_bytes_max;
    return j;
}

json allocationToJson(const BitAllocation& a) {
    json bits = json::object();
    for (const auto& [name, b] : a.bits) bits[name] = b;
    if (a.status == AllocationStatus::Infeasible)
        return json{{"status", "infeasible"}, {"bits", json::object()},
                    {"solve_ms", a.solve_ms}, {"min_size_bytes", a.min_size_bytes},
                    {"min_bops", a.min_bops}, {"message", a.message}};
    json j{{"status", "optimal"},        {"bits", bits},
           {"objective", a.objective},   {"solve_ms", a.solve_ms},
           {"size_bytes", a.size_bytes}, {"bops", a.bops}};
    if (a.latency_us > 0) j["latency_us"] = a.latency_us;
    return j;
}

}  // namespace tm2::quant
