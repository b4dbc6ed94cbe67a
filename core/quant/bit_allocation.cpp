// CBC formulation of the HAWQ-V3 bit allocation: binary x_{i,b}, Σ_b x_{i,b} = 1
// per layer, one "≤ 1" row per budget with costs divided by the budget.

#include "core/quant/bit_allocation.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <numeric>

#include "core/base/error.h"
#include "core/quant/allocation_model.h"
#include "core/quant/cbc_model.h"

namespace tm2::quant {

namespace {

using detail::AllocationModel;
using Choice = std::vector<int>;  // width index per layer

struct CbcFormulation {
    CbcModel model;
    std::vector<std::vector<int>> cols;  // per layer, per allowed width
    double objective_scale = 1;
};

// Rows are divided by their budget and Ω by its largest value so every
// coefficient is O(1): raw BOPS near 1e9 next to 0/1 variables made CBC's
// cut generators return "optimal" plans that were not (found by the
// exhaustive-search tests), and HAWQ's Ω (often 1e-6…1e-2) sits below CBC's
// absolute tolerances. row_scale overrides a row's divisor (sweeps).
CbcFormulation formulate(const AllocationModel& m, const std::vector<double>& row_scale) {
    CbcFormulation f;
    double max_omega = 0;
    for (const auto& per_width : m.omega)
        for (double w : per_width) max_omega = std::max(max_omega, w);
    f.objective_scale = max_omega > 0 ? 1.0 / max_omega : 1.0;

    // Plain branch and bound on the LP relaxation. CBC 2.10's preprocessing
    // (coefficient strengthening) and root cuts cut off true optima of these
    // knapsack rows in our random tests; its heuristics cost more than the
    // whole tree here (the greedy incumbent replaces them); strong branching,
    // scaling and presolve cost more than they save on ≤ a few hundred columns.
    for (const char* off : {"preprocess", "cuts", "heuristics", "scaling", "presolve"})
        f.model.setParameter(off, "off");
    f.model.setParameter("strong", "0");

    const std::size_t n = m.widths.size();
    f.cols.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
        const bool pinned = m.widths[i].size() == 1;
        for (double omega : m.omega[i])
            f.cols[i].push_back(f.model.addBinary(omega * f.objective_scale, pinned ? 1.0 : 0.0, 1.0));
    }
    // Pair terms (BOPS of a layer reading another's output) get z_{kl} ∈ [0, 1]
    // with Σ_l z_kl = x_ik and Σ_k z_kl = x_jl: with one-hot x the only
    // solution is z_kl = x_ik · x_jl, so z may stay continuous, and the LP
    // relaxation is tighter than the McCormick z ≥ x_ik + x_jl − 1.
    std::vector<std::vector<std::vector<std::vector<int>>>> pair_cols(m.rows.size());
    for (std::size_t r = 0; r < m.rows.size(); ++r)
        for (const detail::PairCost& p : m.rows[r].pairs) {
            pair_cols[r].emplace_back();
            for (std::size_t k = 0; k < p.cost.size(); ++k) {
                pair_cols[r].back().emplace_back();
                for (std::size_t l = 0; l < p.cost[k].size(); ++l)
                    pair_cols[r].back().back().push_back(f.model.addContinuous(0.0, 0.0, 1.0));
            }
        }
    // Rows: one-hot per layer, then the budgets (a sweep finds the size row
    // right after the one-hot rows), then the pair links.
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
        for (std::size_t p = 0; p < m.rows[r].pairs.size(); ++p)
            for (std::size_t k = 0; k < pair_cols[r][p].size(); ++k)
                for (std::size_t l = 0; l < pair_cols[r][p][k].size(); ++l)
                    if (m.rows[r].pairs[p].cost[k][l] != 0) {
                        cols.push_back(pair_cols[r][p][k][l]);
                        coefs.push_back(m.rows[r].pairs[p].cost[k][l] / row_scale[r]);
                    }
        f.model.addRow(cols, coefs, 'L', m.rows[r].limit / row_scale[r]);
    }
    for (std::size_t r = 0; r < m.rows.size(); ++r)
        for (std::size_t p = 0; p < m.rows[r].pairs.size(); ++p) {
            const auto& z = pair_cols[r][p];
            const std::size_t i = m.rows[r].pairs[p].i, j = m.rows[r].pairs[p].j;
            for (std::size_t k = 0; k < z.size(); ++k) {
                std::vector<int> cols = z[k];
                std::vector<double> coefs(cols.size(), 1.0);
                cols.push_back(f.cols[i][k]);
                coefs.push_back(-1.0);
                f.model.addRow(cols, coefs, 'E', 0.0);
            }
            for (std::size_t l = 0; l < f.cols[j].size(); ++l) {
                std::vector<int> cols;
                for (std::size_t k = 0; k < z.size(); ++k) cols.push_back(z[k][l]);
                std::vector<double> coefs(cols.size(), 1.0);
                cols.push_back(f.cols[j][l]);
                coefs.push_back(-1.0);
                f.model.addRow(cols, coefs, 'E', 0.0);
            }
        }
    return f;
}

std::vector<double> budgetScales(const AllocationModel& m) {
    std::vector<double> scales;
    for (const auto& row : m.rows) scales.push_back(row.limit);
    return scales;
}

bool choiceFits(const AllocationModel& m, const Choice& choice) {
    for (const auto& row : m.rows)
        if (!detail::withinLimit(detail::rowTotal(row, choice), row.limit)) return false;
    return true;
}

struct Solved {
    BitAllocation allocation;
    Choice choice;  // empty when infeasible
};

// Solves one formulated model; the problem supplies names and the check.
// Nothing when CBC found no plan under the incumbent's cutoff (the caller then
// solves again without one).
std::optional<Solved> solveFormulated(CbcFormulation& f, const AllocationModel& m,
                                      const BitAllocationProblem& problem,
                                      const std::optional<Choice>& incumbent) {
    if (incumbent) {
        // Anything not better than the incumbent is pruned; the slack keeps
        // the incumbent itself admissible in case it is the optimum.
        const double scaled = detail::choiceObjective(m, *incumbent) * f.objective_scale;
        f.model.setCutoff(scaled + 1e-7 * std::max(1.0, std::abs(scaled)));
    }
    f.model.setTimeLimit(problem.limits.time_limit_s);
    const CbcModel::Status status = f.model.solve();
    if (status == CbcModel::Status::TimeLimit) {
        char limit[32];
        std::snprintf(limit, sizeof limit, "%g", problem.limits.time_limit_s);
        throw Error("CBC did not prove a plan optimal within the time limit of " + std::string(limit) +
                    " s for " + std::to_string(problem.layers.size()) +
                    " layers: raise it with `tinym2net ilp --time-limit`, or pin more layers");
    }
    if (status == CbcModel::Status::Infeasible) {
        if (incumbent) return std::nullopt;
        return Solved{detail::infeasibleAllocation(problem), {}};
    }
    if (status != CbcModel::Status::Optimal) throw Error("CBC stopped without proving optimality");

    // Round x to 0/1 and insist on exactly one width per layer.
    const std::vector<double> x = f.model.solution();
    std::vector<int> bits(m.widths.size());
    Choice choice(m.widths.size());
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
    if (incumbent &&
        detail::choiceObjective(m, choice) > detail::choiceObjective(m, *incumbent) * (1 + 1e-6) + 1e-300)
        throw Error("CBC's plan is worse than the incumbent it was given");
    return Solved{detail::checkedAllocation(problem, bits), choice};
}

// `fresh` builds an unsolved formulation (CBC models are single-use).
template <typename Formulate>
Solved solveWithIncumbent(Formulate fresh, const AllocationModel& m, const BitAllocationProblem& problem,
                          std::optional<Choice> incumbent) {
    CbcFormulation f = fresh();
    if (auto solved = solveFormulated(f, m, problem, incumbent)) return *solved;
    CbcFormulation retry = fresh();
    if (auto solved = solveFormulated(retry, m, problem, std::nullopt)) return *solved;
    throw Error("CBC found no plan although the incumbent is feasible");
}

double elapsedMs(std::chrono::steady_clock::time_point since) {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - since).count();
}

}  // namespace

BitAllocation solveBitAllocation(const BitAllocationProblem& problem) {
    const auto start = std::chrono::steady_clock::now();
    const AllocationModel m = detail::buildAllocationModel(problem);
    BitAllocation a =
        solveWithIncumbent([&] { return formulate(m, budgetScales(m)); }, m, problem, detail::greedyChoice(m))
            .allocation;
    a.solve_ms = elapsedMs(start);
    return a;
}

std::vector<BitAllocation> sweepSizeBudgets(const BitAllocationProblem& problem,
                                            const std::vector<double>& size_budgets) {
    for (std::size_t s = 0; s < size_budgets.size(); ++s)
        if (!(std::isfinite(size_budgets[s]) && size_budgets[s] > 0))
            throw Error("size_budgets[" + std::to_string(s) + "]: must be a positive number");
    std::vector<BitAllocation> out(size_budgets.size());
    if (size_budgets.empty()) return out;

    // One formulation whose size row is scaled by the largest budget; each
    // point solves a clone with only that row's right-hand side changed.
    // Budgets go in ascending order so the previous optimum stays feasible
    // and serves as an incumbent when it beats the greedy one.
    const double reference = *std::max_element(size_budgets.begin(), size_budgets.end());
    BitAllocationProblem p = problem;
    p.size_bytes_max = reference;
    AllocationModel m = detail::buildAllocationModel(p);
    const CbcFormulation base = formulate(m, budgetScales(m));
    const int size_row = static_cast<int>(m.widths.size());  // first budget row, after the one-hot rows

    std::vector<std::size_t> order(size_budgets.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return size_budgets[a] < size_budgets[b]; });
    Choice previous;
    for (std::size_t index : order) {
        const auto start = std::chrono::steady_clock::now();
        const double budget = size_budgets[index];
        p.size_bytes_max = budget;
        m.rows[0].limit = budget;
        std::optional<Choice> incumbent = detail::greedyChoice(m);
        if (!previous.empty() && choiceFits(m, previous) &&
            (!incumbent || detail::choiceObjective(m, previous) < detail::choiceObjective(m, *incumbent)))
            incumbent = previous;
        auto fresh = [&] {
            CbcFormulation f{base.model.clone(), base.cols, base.objective_scale};
            f.model.setRowUpper(size_row, budget / reference);
            return f;
        };
        Solved solved = solveWithIncumbent(fresh, m, p, incumbent);
        if (!solved.choice.empty()) previous = solved.choice;
        solved.allocation.solve_ms = elapsedMs(start);
        out[index] = std::move(solved.allocation);
    }
    return out;
}

double interpolateBudget(double all_low, double all_high, double alpha) {
    if (!(alpha >= 0 && alpha <= 1)) throw Error("alpha: must lie in [0, 1], got " + std::to_string(alpha));
    return all_low + alpha * (all_high - all_low);
}

}  // namespace tm2::quant
