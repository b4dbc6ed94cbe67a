// Greedy incumbent for CBC: lower the width with the smallest Ω increase per
// unit of over-budget resource until every budget holds, then take improving
// single and paired changes. A good incumbent lets CBC prune most of its tree.

#include <limits>

#include "core/quant/allocation_model.h"

namespace tm2::quant::detail {

namespace {

struct Move {
    double delta_omega = 0;
    std::size_t i = 0, j = 0;  // j == i: a single change
    int ki = 0, kj = 0;
};

class GreedyState {
public:
    explicit GreedyState(const AllocationModel& m)
        : m_(m), choice_(m.widths.size()), totals_(m.rows.size(), 0.0) {
        for (std::size_t i = 0; i < choice_.size(); ++i)
            choice_[i] = static_cast<int>(m.widths[i].size()) - 1;
        for (std::size_t r = 0; r < m.rows.size(); ++r) totals_[r] = rowTotal(m.rows[r], choice_);
    }

    bool feasible() const {
        for (std::size_t r = 0; r < totals_.size(); ++r)
            if (!withinLimit(totals_[r], m_.rows[r].limit)) return false;
        return true;
    }

    // Lowers one layer one step; false when no step reduces an exceeded budget.
    bool lowerOneStep() {
        double best = std::numeric_limits<double>::infinity();
        std::size_t best_i = choice_.size();
        for (std::size_t i = 0; i < choice_.size(); ++i) {
            const int c = choice_[i];
            if (c == 0) continue;
            double relief = 0;
            for (std::size_t r = 0; r < totals_.size(); ++r)
                if (!withinLimit(totals_[r], m_.rows[r].limit))
                    relief += -delta(r, i, c - 1) / m_.rows[r].limit;
            if (relief <= 0) continue;
            const double score = (m_.omega[i][c - 1] - m_.omega[i][c]) / relief;
            if (score < best) best = score, best_i = i;
        }
        if (best_i == choice_.size()) return false;
        apply(best_i, choice_[best_i] - 1);
        return true;
    }

    bool improve(bool pairs) {
        Move best;
        best.delta_omega = -1e-15;
        bool found = false;
        const std::size_t n = choice_.size();
        for (std::size_t i = 0; i < n; ++i)
            for (int ki = 0; ki < static_cast<int>(m_.widths[i].size()); ++ki) {
                if (ki == choice_[i]) continue;
                const double di = m_.omega[i][ki] - m_.omega[i][choice_[i]];
                if (di < best.delta_omega && fits(i, ki, i, choice_[i]))
                    best = {di, i, i, ki, choice_[i]}, found = true;
                if (!pairs) continue;
                for (std::size_t j = 0; j < n; ++j) {
                    if (j == i) continue;
                    for (int kj = 0; kj < static_cast<int>(m_.widths[j].size()); ++kj) {
                        const double d = di + m_.omega[j][kj] - m_.omega[j][choice_[j]];
                        if (kj != choice_[j] && d < best.delta_omega && fits(i, ki, j, kj))
                            best = {d, i, j, ki, kj}, found = true;
                    }
                }
            }
        if (!found) return false;
        apply(best.i, best.ki);
        if (best.j != best.i) apply(best.j, best.kj);
        return true;
    }

    const std::vector<int>& choice() const { return choice_; }

private:
    // Change of row r's total when layer i alone moves to width index k.
    double delta(std::size_t r, std::size_t i, int k) const {
        const BudgetRow& row = m_.rows[r];
        double d = row.cost[i][k] - row.cost[i][choice_[i]];
        for (const PairCost& p : row.pairs) {
            if (p.i == i) d += p.cost[k][choice_[p.j]] - p.cost[choice_[i]][choice_[p.j]];
            if (p.j == i) d += p.cost[choice_[p.i]][k] - p.cost[choice_[p.i]][choice_[i]];
        }
        return d;
    }

    bool fits(std::size_t i, int ki, std::size_t j, int kj) const {
        if (j == i) {
            for (std::size_t r = 0; r < totals_.size(); ++r)
                if (!withinLimit(totals_[r] + delta(r, i, ki), m_.rows[r].limit)) return false;
            return true;
        }
        std::vector<int> moved = choice_;  // two moves may share a pair term: total afresh
        moved[i] = ki;
        moved[j] = kj;
        for (std::size_t r = 0; r < totals_.size(); ++r)
            if (!withinLimit(rowTotal(m_.rows[r], moved), m_.rows[r].limit)) return false;
        return true;
    }

    void apply(std::size_t i, int k) {
        for (std::size_t r = 0; r < totals_.size(); ++r) totals_[r] += delta(r, i, k);
        choice_[i] = k;
    }

    const AllocationModel& m_;
    std::vector<int> choice_;
    std::vector<double> totals_;
};

}  // namespace

std::optional<std::vector<int>> greedyChoice(const AllocationModel& model) {
    GreedyState state(model);
    while (!state.feasible())
        if (!state.lowerOneStep()) return std::nullopt;
    // Bounded: the incumbent only has to be good, and pair search is O(n²).
    const std::size_t n = model.widths.size();
    for (std::size_t step = 0; step < 2 * n + 4; ++step)
        if (!state.improve(false)) break;
    for (int step = 0; step < 4; ++step)
        if (!state.improve(true)) break;
    return state.choice();
}

}  // namespace tm2::quant::detail
