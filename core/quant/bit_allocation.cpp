// CBC formulation of the HAWQ-V3 bit allocation: binary x_{i,b}, Σ_b x_{i,b} = 1
// per layer, one "≤ 1" row per budget with costs divided by the budget.

#include <algorithm>
#include <chrono>
#include <cmath>

#include "core/base/error.h"
#include "core/quant/allocation_model.h"
#include "core/quant/bit_allocation.h"
#include "core/quant/cbc_model.h"

namespace tm2::quant {

namespace {

using detail::AllocationModel;

struct CbcFormulation {
    CbcModel model;
    std::vector<std::vector<int>> cols;  // per layer, per allowed width
    double objective_scale = 1;
};

// Rows are divided by their budget and Ω by its largest value so every
// coefficient is O(1): raw BOPS near 1e9 next to 0/1 variables made CBC's
// cut generators return "optimal" plans that were not (found by the
// exhaustive-search tests). row_scale overrides a row's divisor (sweeps).
CbcFormulation formulate(const AllocationModel& m, const std::vector<double>& row_scale) {
    CbcFormulation f;
    double max_omega = 0;
    for (const auto& per_width : m.omega)
        for (double w : per_width) max_omega = std::max(max_omega, w);
    f.objective_scale = max_omega > 0 ? 1.0 / max_omega : 1.0;

    // Plain branch and bound on the LP relaxation: CBC 2.10's preprocessing
    // (coefficient strengthening) and root cuts cut off true optima of these
    // knapsack rows in our random tests, and its heuristics cost more than the
    // tree on problems this small; the greedy incumbent replaces them.
    f.model.setParameter("preprocess", "off");
    f.model.setParameter("cuts", "off");
    f.model.setParameter("heuristics", "off");

    const std::size_t n = m.widths.size();
    f.cols.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
        const bool pinned = m.widths[i].size() == 1;
        for (double omega : m.omega[i])
            f.cols[i].push_back(f.model.addBinary(omega * f.objective_scale, pinned ? 1.0 : 0.0, 1.0));
    }
    for (std::size_t i = 0; i < n; ++i)
        f.model.addRow(f.cols[i], std::vector<double>(f.cols[i].size(), 1.0), 'E', 1.0);
    for (std::size_t r = 0; r < m.rows.size(); ++r) {
        std::vector<int> cols;
        std::vector<double> coefs;
        for (std::size_t i = 0; i < n; ++i)
            for (std::size_t k = 0; k < f.cols[i].size(); ++k)
                if (m.rows[r].cost[i][k] != 0) {
                    cols.push_back(f.cols[i][k]);
                    coefs.push_back(m.rows[r].cost[i][k] / row_scale[r]);
                }
        f.model.addRow(cols, coefs, 'L', m.rows[r].limit / row_scale[r]);
    }
    return f;
}

std::vector<double> budgetScales(const AllocationModel& m) {
    std::vector<double> scales;
    for (const auto& row : m.rows) scales.push_back(row.limit);
    return scales;
}

// Solves one formulated model; the problem supplies names and the check.
// Nothing when CBC found no plan under the incumbent's cutoff (the caller then
// solves again without one).
std::optional<BitAllocation> solveFormulated(CbcFormulation& f, const AllocationModel& m,
                                             const BitAllocationProblem& problem,
                                             const std::optional<std::vector<int>>& incumbent) {
    if (incumbent) {
        // Anything not better than the greedy plan is pruned; the slack keeps
        // the greedy plan itself admissible in case it is the optimum.
        const double scaled = detail::choiceObjective(m, *incumbent) * f.objective_scale;
        f.model.setCutoff(scaled + 1e-7 * std::max(1.0, std::abs(scaled)));
    }
    const CbcModel::Status status = f.model.solve();
    if (status == CbcModel::Status::Infeasible) {
        if (incumbent) return std::nullopt;
        return detail::infeasibleAllocation(problem);
    }
    if (status != CbcModel::Status::Optimal) throw Error("CBC stopped without proving optimality");

    const std::vector<double> x = f.model.solution();
    std::vector<int> bits(m.widths.size());
    std::vector<int> choice(m.widths.size());
    for (std::size_t i = 0; i < m.widths.size(); ++i) {
        int chosen = -1;
        for (std::size_t k = 0; k < f.cols[i].size(); ++k) {
            if (x[f.cols[i][k]] < 0.5) continue;
            if (chosen >= 0) throw Error("CBC chose two widths for layer '" + problem.layers[i].name + "'");
            chosen = static_cast<int>(k);
        }
        if (chosen < 0) throw Error("CBC chose no width for layer '" + problem.layers[i].name + "'");
        bits[i] = m.widths[i][chosen];
        choice[i] = chosen;
    }
    if (incumbent && detail::choiceObjective(m, choice) >
                         detail::choiceObjective(m, *incumbent) * (1 + 1e-6) + 1e-12)
        throw Error("CBC's plan is worse than the greedy incumbent");
    return detail::checkedAllocation(problem, bits);
}

template <typename Formulate>
BitAllocation solveWithIncumbent(Formulate formulate_fresh, const AllocationModel& m,
                                 const BitAllocationProblem& problem) {
    const std::optional<std::vector<int>> incumbent = detail::greedyChoice(m);
    CbcFormulation f = formulate_fresh();
    if (auto a = solveFormulated(f, m, problem, incumbent)) return *a;
    CbcFormulation retry = formulate_fresh();
    if (auto a = solveFormulated(retry, m, problem, std::nullopt)) return *a;
    throw Error("CBC found no plan although the greedy one is feasible");
}

double elapsedMs(std::chrono::steady_clock::time_point since) {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - since).count();
}

}  // namespace

BitAllocation solveBitAllocation(const BitAllocationProblem& problem) {
    const auto start = std::chrono::steady_clock::now();
    const AllocationModel m = detail::buildAllocationModel(problem);
    BitAllocation a = solveWithIncumbent([&] { return formulate(m, budgetScales(m)); }, m, problem);
    a.solve_ms = elapsedMs(start);
    return a;
}

std::vector<BitAllocation> sweepSizeBudgets(const BitAllocationProblem& problem,
                                            const std::vector<double>& size_budgets) {
    for (std::size_t s = 0; s < size_budgets.size(); ++s)
        if (!(std::isfinite(size_budgets[s]) && size_budgets[s] > 0))
            throw Error("size_budgets[" + std::to_string(s) + "]: must be a positive number");
    std::vector<BitAllocation> out;
    if (size_budgets.empty()) return out;

    // One formulation whose size row is scaled by the largest budget; each
    // point solves a clone with only that row's right-hand side changed.
    const double reference = *std::max_element(size_budgets.begin(), size_budgets.end());
    BitAllocationProblem p = problem;
    p.size_bytes_max = reference;
    AllocationModel m = detail::buildAllocationModel(p);
    const CbcFormulation base = formulate(m, budgetScales(m));
    const int size_row = static_cast<int>(m.widths.size());  // first budget row, after the one-hot rows
    for (double budget : size_budgets) {
        const auto start = std::chrono::steady_clock::now();
        p.size_bytes_max = budget;
        m.rows[0].limit = budget;
        auto fresh = [&] {
            CbcFormulation f{base.model.clone(), base.cols, base.objective_scale};
            f.model.setRowUpper(size_row, budget / reference);
            return f;
        };
        BitAllocation a = solveWithIncumbent(fresh, m, p);
        a.solve_ms = elapsedMs(start);
        out.push_back(std::move(a));
    }
    return out;
}

double interpolateBudget(double all_low, double all_high, double alpha) {
    if (!(alpha >= 0 && alpha <= 1)) throw Error("alpha: must lie in [0, 1], got " + std::to_string(alpha));
    return all_low + alpha * (all_high - all_low);
}

}  // namespace tm2::quant
