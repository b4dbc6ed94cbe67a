#pragma once
// The bit-allocation problem as plain arrays (layer × allowed width), shared by
// the CBC formulation, the greedy incumbent, the exhaustive search and the
// after-solve check. Internal to core/quant.

#include <optional>
#include <string>
#include <vector>

#include "core/quant/bit_allocation.h"

namespace tm2::quant::detail {

// Relative slack when checking a solution against a budget: CBC works in
// floating point, and a plan exactly at the budget must count as within it.
constexpr double kBudgetTolerance = 1e-9;

// A cost that depends on two layers' widths: cost[k][l] when layer i takes its
// k-th and layer j its l-th allowed width (BOPS of i reading j's output).
struct PairCost {
    std::size_t i = 0, j = 0;
    std::vector<std::vector<double>> cost;
};

// One "Σ cost ≤ limit" constraint; cost[i][k] for layer i at its k-th allowed
// width, plus the pair terms.
struct BudgetRow {
    std::string field;  // JSON name of the budget, for messages
    double limit = 0;
    std::vector<std::vector<double>> cost;
    std::vector<PairCost> pairs;
};

// The row's total for a choice (width index per layer).
double rowTotal(const BudgetRow& row, const std::vector<int>& choice);

struct AllocationModel {
    std::vector<std::vector<int>> widths;    // per layer, ascending; one width when pinned
    std::vector<std::vector<double>> omega;  // per layer per width (0 for a pinned width without Ω)
    std::vector<BudgetRow> rows;
};

// Validates the problem, then lays it out. Rows: size, BOPS, latency (each
// when its budget is given), then one per group budget.
AllocationModel buildAllocationModel(const BitAllocationProblem& problem);

bool withinLimit(double total, double limit);

// A feasible choice (width index per layer) by greedy lowering then local
// improvement, or nothing when the greedy cannot find one. Not optimal: it
// only gives CBC an incumbent to prune against.
std::optional<std::vector<int>> greedyChoice(const AllocationModel& model);

double choiceObjective(const AllocationModel& model, const std::vector<int>& choice);

// The answer for a chosen width per layer, totals recomputed from the problem
// itself (not from the solver); throws tm2::Error if a budget is exceeded.
BitAllocation checkedAllocation(const BitAllocationProblem& problem, const std::vector<int>& bits);

// Infeasible answer: smallest achievable totals (free layers at their lowest
// width) and a message comparing them with the budgets.
BitAllocation infeasibleAllocation(const BitAllocationProblem& problem);

}  // namespace tm2::quant::detail
