#include "core/quant/allocation_model.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <sstream>

#include "core/base/error.h"
#include "core/train/activation_width.h"

namespace tm2::quant {

namespace {

std::string layerPath(std::size_t i) { return "layers[" + std::to_string(i) + "]"; }

std::string number(double v) {
    std::ostringstream s;
    s.precision(10);
    s << v;
    return s.str();
}

void requirePositiveBudget(const std::optional<double>& budget, const std::string& field) {
    if (budget && !(std::isfinite(*budget) && *budget > 0))
        throw Error(field + ": must be a positive number, got " + number(*budget));
}

void requireWidths(const std::map<int, double>& values, const std::vector<int>& widths,
                   const std::string& path, const std::string& layer) {
    for (int b : widths)
        if (!values.count(b))
            throw Error(path + ": missing width " + std::to_string(b) + " (layer '" + layer + "')");
    for (const auto& [b, v] : values)
        if (!(std::isfinite(v) && v >= 0))
            throw Error(path + "." + std::to_string(b) + ": must be a finite number ≥ 0, got " + number(v));
}

// A layer's inputs cover its MACs and name layers that exist (not itself).
void validateInputs(const AllocationLayer& l, const std::string& path, const std::set<std::string>& names) {
    if (l.inputs.empty()) return;
    std::int64_t macs = 0;
    for (std::size_t k = 0; k < l.inputs.size(); ++k) {
        const ActivationInput& in = l.inputs[k];
        const std::string at = path + ".inputs[" + std::to_string(k) + "]";
        if (in.macs < 0) throw Error(at + ".macs: negative (" + std::to_string(in.macs) + ")");
        if (in.from.empty() && (in.bits < 2 || in.bits > 32))
            throw Error(at + ".bits: width " + std::to_string(in.bits) + " outside 2..32");
        if (!in.from.empty() && !names.count(in.from))
            throw Error(at + ".from: no layer '" + in.from + "'");
        if (in.from == l.name) throw Error(at + ".from: a layer cannot read its own output");
        macs += in.macs;
    }
    if (macs != l.macs)
        throw Error(path + ".inputs: their MACs add up to " + std::to_string(macs) + ", the layer has " +
                    std::to_string(l.macs));
}

}  // namespace

void BitAllocationProblem::validate() const {
    if (layers.empty()) throw Error("layers: the problem has no layers");
    if (layers.size() > limits.max_layers)
        throw Error("layers: " + std::to_string(layers.size()) + " layers, more than the limit of " +
                    std::to_string(limits.max_layers) + " (raise it with `tinym2net ilp --max-layers`)");
    if (!(std::isfinite(limits.time_limit_s) && limits.time_limit_s > 0))
        throw Error("time limit: must be a positive number of seconds (`tinym2net ilp --time-limit`)");
    if (candidate_bits.empty()) throw Error("bits: no candidate bit widths");
    std::set<int> seen_bits;
    for (int b : candidate_bits) {
        if (b < 2 || b > 8) throw Error("bits: width " + std::to_string(b) + " outside 2..8");
        if (!seen_bits.insert(b).second) throw Error("bits: width " + std::to_string(b) + " listed twice");
    }
    requirePositiveBudget(size_bytes_max, "size_bytes_max");
    requirePositiveBudget(bops_max, "bops_max");
    requirePositiveBudget(latency_us_max, "latency_us_max");
    const std::vector<int> candidates(seen_bits.begin(), seen_bits.end());
    std::set<std::string> names, groups;
    for (std::size_t i = 0; i < layers.size(); ++i) {
        const AllocationLayer& l = layers[i];
        const std::string path = layerPath(i);
        if (l.name.empty()) throw Error(path + ".name: empty");
        if (!names.insert(l.name).second) throw Error(path + ".name: duplicate layer name '" + l.name + "'");
        if (l.params < 0) throw Error(path + ".params: negative (" + std::to_string(l.params) + ")");
        if (l.macs < 0) throw Error(path + ".macs: negative (" + std::to_string(l.macs) + ")");
        if (l.pinned_bits && (*l.pinned_bits < 2 || *l.pinned_bits > 8))
            throw Error(path + ".pinned: width " + std::to_string(*l.pinned_bits) + " outside 2..8");
        const std::vector<int> widths = l.pinned_bits ? std::vector<int>{*l.pinned_bits} : candidates;
        requireWidths(l.omega, l.pinned_bits ? std::vector<int>{} : widths, path + ".omega", l.name);
        if (latency_us_max) requireWidths(l.latency_us, widths, path + ".latency_us", l.name);
        groups.insert(l.group);
    }
    for (std::size_t i = 0; i < layers.size(); ++i) validateInputs(layers[i], layerPath(i), names);
    for (const auto& [group, budget] : group_size_bytes_max) {
        requirePositiveBudget(budget, "group_size_bytes_max." + group);
        if (!groups.count(group)) throw Error("group_size_bytes_max." + group + ": no layer has this group");
    }
}

namespace detail {

namespace {

// BOPS_i = Σ_inputs macs · b_i · a: inputs of a fixed width (and layers without
// inputs, at b_i²) are per-layer costs; inputs from another layer are pair
// costs over both layers' widths, merged per (reader, producer).
BudgetRow bopsRow(const BitAllocationProblem& problem, const AllocationModel& m, double limit) {
    std::map<std::string, std::size_t> index;
    for (std::size_t i = 0; i < problem.layers.size(); ++i) index[problem.layers[i].name] = i;
    BudgetRow row{"bops_max", limit, {}, {}};
    std::map<std::pair<std::size_t, std::size_t>, std::int64_t> pair_macs;
    for (std::size_t i = 0; i < problem.layers.size(); ++i) {
        const AllocationLayer& l = problem.layers[i];
        row.cost.emplace_back();
        for (int b : m.widths[i]) {
            double own = l.inputs.empty() ? static_cast<double>(l.macs) * b * b : 0.0;
            for (const ActivationInput& in : l.inputs)
                if (in.from.empty()) own += static_cast<double>(in.macs) * b * in.bits;
            row.cost.back().push_back(own);
        }
        for (const ActivationInput& in : l.inputs)
            if (!in.from.empty()) pair_macs[{i, index.at(in.from)}] += in.macs;
    }
    for (const auto& [ij, macs] : pair_macs) {
        PairCost pair{ij.first, ij.second, {}};
        for (int bi : m.widths[ij.first]) {
            pair.cost.emplace_back();
            for (int bj : m.widths[ij.second])
                pair.cost.back().push_back(static_cast<double>(macs) * bi * train::activationBitsFor(bj));
        }
        row.pairs.push_back(std::move(pair));
    }
    return row;
}

}  // namespace

double rowTotal(const BudgetRow& row, const std::vector<int>& choice) {
    double total = 0;
    for (std::size_t i = 0; i < choice.size(); ++i) total += row.cost[i][choice[i]];
    for (const PairCost& p : row.pairs) total += p.cost[choice[p.i]][choice[p.j]];
    return total;
}

bool withinLimit(double total, double limit) { return total <= limit * (1 + kBudgetTolerance) + 1e-12; }

AllocationModel buildAllocationModel(const BitAllocationProblem& problem) {
    problem.validate();
    std::vector<int> candidates = problem.candidate_bits;
    std::sort(candidates.begin(), candidates.end());

    AllocationModel m;
    const std::size_t n = problem.layers.size();
    m.widths.resize(n);
    m.omega.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
        const AllocationLayer& l = problem.layers[i];
        m.widths[i] = l.pinned_bits ? std::vector<int>{*l.pinned_bits} : candidates;
        for (int b : m.widths[i]) {
            const auto it = l.omega.find(b);
            // A pinned width adds the same Ω to every plan; without one it adds nothing.
            m.omega[i].push_back(it == l.omega.end() ? 0.0 : it->second);
        }
    }
    auto addRow = [&](const std::string& field, double limit, auto cost_of) {
        BudgetRow row{field, limit, {}, {}};
        for (std::size_t i = 0; i < n; ++i) {
            row.cost.emplace_back();
            for (int b : m.widths[i]) row.cost.back().push_back(cost_of(problem.layers[i], b));
        }
        m.rows.push_back(std::move(row));
    };
    if (problem.size_bytes_max)
        addRow("size_bytes_max", *problem.size_bytes_max,
               [](const AllocationLayer& l, int b) { return l.bytes(b); });
    if (problem.bops_max) m.rows.push_back(bopsRow(problem, m, *problem.bops_max));
    if (problem.latency_us_max)
        addRow("latency_us_max", *problem.latency_us_max,
               [](const AllocationLayer& l, int b) { return l.latency_us.at(b); });
    for (const auto& [group, budget] : problem.group_size_bytes_max)
        addRow("group_size_bytes_max." + group, budget, [&group = group](const AllocationLayer& l, int b) {
            return l.group == group ? l.bytes(b) : 0.0;
        });
    return m;
}

double choiceObjective(const AllocationModel& model, const std::vector<int>& choice) {
    double total = 0;
    for (std::size_t i = 0; i < choice.size(); ++i) total += model.omega[i][choice[i]];
    return total;
}

BitAllocation checkedAllocation(const BitAllocationProblem& problem, const std::vector<int>& bits) {
    BitAllocation a;
    a.status = AllocationStatus::Optimal;
    std::map<std::string, double> group_bytes;
    for (std::size_t i = 0; i < problem.layers.size(); ++i) {
        const AllocationLayer& l = problem.layers[i];
        const int b = bits[i];
        a.bits[l.name] = b;
        const auto omega = l.omega.find(b);
        a.objective += omega == l.omega.end() ? 0.0 : omega->second;
        a.size_bytes += l.bytes(b);
        if (problem.latency_us_max) a.latency_us += l.latency_us.at(b);
        group_bytes[l.group] += l.bytes(b);
    }
    a.bops = planBops(problem, a.bits);
    auto check = [](double total, const std::optional<double>& limit, const std::string& field) {
        if (limit && !withinLimit(total, *limit))
            throw Error("solver answer exceeds " + field + ": " + number(total) + " > " + number(*limit));
    };
    check(a.size_bytes, problem.size_bytes_max, "size_bytes_max");
    check(a.bops, problem.bops_max, "bops_max");
    check(a.latency_us, problem.latency_us_max, "latency_us_max");
    for (const auto& [group, budget] : problem.group_size_bytes_max)
        check(group_bytes[group], budget, "group_size_bytes_max." + group);
    return a;
}

BitAllocation infeasibleAllocation(const BitAllocationProblem& problem) {
    const int lowest = *std::min_element(problem.candidate_bits.begin(), problem.candidate_bits.end());
    BitAllocation a;
    a.status = AllocationStatus::Infeasible;
    double min_latency = 0;
    std::map<std::string, double> min_group;
    const BudgetRange range = budgetRange(problem);
    a.min_size_bytes = range.min_size_bytes;
    a.min_bops = range.min_bops;
    for (const AllocationLayer& l : problem.layers) {
        const int b = l.pinned_bits.value_or(lowest);
        min_group[l.group] += l.bytes(b);
        if (problem.latency_us_max) {
            // Measured latency need not grow with bits: take each layer's fastest width.
            double fastest = l.pinned_bits ? l.latency_us.at(b) : l.latency_us.at(problem.candidate_bits[0]);
            if (!l.pinned_bits)
                for (int c : problem.candidate_bits) fastest = std::min(fastest, l.latency_us.at(c));
            min_latency += fastest;
        }
    }
    std::ostringstream m;
    m << "no bit allocation meets the budgets; with every free layer at " << lowest
      << " bits the smallest achievable size is " << number(a.min_size_bytes) << " bytes (size_bytes_max "
      << (problem.size_bytes_max ? number(*problem.size_bytes_max) : "unset") << ") and the smallest BOPS is "
      << number(a.min_bops) << " (bops_max " << (problem.bops_max ? number(*problem.bops_max) : "unset")
      << ")";
    if (problem.latency_us_max)
        m << "; smallest latency " << number(min_latency) << " us (latency_us_max "
          << number(*problem.latency_us_max) << ")";
    for (const auto& [group, budget] : problem.group_size_bytes_max)
        if (!withinLimit(min_group[group], budget))
            m << "; group '" << group << "' needs at least " << number(min_group[group])
              << " bytes (group_size_bytes_max." << group << " " << number(budget) << ")";
    a.message = m.str();
    return a;
}

}  // namespace detail

}  // namespace tm2::quant
