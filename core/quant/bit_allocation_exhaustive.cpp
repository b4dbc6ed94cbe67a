// Exhaustive search: the reference the CBC path is tested against.

#include <chrono>
#include <cmath>

#include "core/base/error.h"
#include "core/quant/allocation_model.h"
#include "core/quant/bit_allocation.h"

namespace tm2::quant {

BitAllocation solveBitAllocationExhaustive(const BitAllocationProblem& problem) {
    const auto start = std::chrono::steady_clock::now();
    const detail::AllocationModel m = detail::buildAllocationModel(problem);
    const std::size_t n = m.widths.size();
    double combinations = 1;
    for (const auto& w : m.widths) combinations *= static_cast<double>(w.size());
    if (combinations > double(1 << 22))
        throw Error("exhaustive search: " + std::to_string(static_cast<long long>(combinations)) +
                    " combinations (limit 2^22, about 20 layers at two widths)");

    // Odometer over the width indices, keeping row totals incrementally.
    std::vector<int> choice(n, 0), best;
    std::vector<double> totals(m.rows.size(), 0.0);
    for (std::size_t r = 0; r < m.rows.size(); ++r)
        for (std::size_t i = 0; i < n; ++i) totals[r] += m.rows[r].cost[i][0];
    double best_objective = 0;
    while (true) {
        bool ok = true;
        for (std::size_t r = 0; r < m.rows.size() && ok; ++r) {
            if (!m.rows[r].pairs.empty()) {  // pair terms: no running sum, the total afresh
                ok = detail::withinLimit(detail::rowTotal(m.rows[r], choice), m.rows[r].limit);
                continue;
            }
            ok = detail::withinLimit(totals[r], m.rows[r].limit);
            // Near the limit, judge on a fresh sum: the running one drifts.
            if (std::abs(totals[r] - m.rows[r].limit) <= 1e-6 * m.rows[r].limit) {
                double exact = 0;
                for (std::size_t j = 0; j < n; ++j) exact += m.rows[r].cost[j][choice[j]];
                ok = detail::withinLimit(exact, m.rows[r].limit);
            }
        }
        if (ok) {
            const double objective = detail::choiceObjective(m, choice);
            if (best.empty() || objective < best_objective) best = choice, best_objective = objective;
        }
        std::size_t i = 0;
        for (; i < n; ++i) {
            const int next = choice[i] + 1 < static_cast<int>(m.widths[i].size()) ? choice[i] + 1 : 0;
            for (std::size_t r = 0; r < m.rows.size(); ++r)
                totals[r] += m.rows[r].cost[i][next] - m.rows[r].cost[i][choice[i]];
            choice[i] = next;
            if (next != 0) break;
        }
        if (i == n) break;
    }
    BitAllocation a;
    if (best.empty()) {
        a = detail::infeasibleAllocation(problem);
    } else {
        std::vector<int> bits(n);
        for (std::size_t i = 0; i < n; ++i) bits[i] = m.widths[i][best[i]];
        a = detail::checkedAllocation(problem, bits);
    }
    a.solve_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    return a;
}

}  // namespace tm2::quant
