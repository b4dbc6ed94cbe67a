// The costs a plan is judged by, one formula each: BOPS of what runs (weight
// bits × the bits of the activations actually read), and the range α budgets
// interpolate in (pins applied). The ILP, the report and the GUI call these.

#include <algorithm>

#include "core/base/error.h"
#include "core/quant/bit_allocation.h"
#include "core/train/activation_width.h"

namespace tm2::quant {

double bopsOf(std::int64_t macs, const std::vector<ActivationInput>& inputs, int bits,
              const std::map<std::string, int>& plan) {
    if (inputs.empty()) return static_cast<double>(macs) * bits * bits;
    double total = 0;
    for (const ActivationInput& in : inputs) {
        int width = in.bits;
        if (!in.from.empty()) {
            const auto it = plan.find(in.from);
            if (it == plan.end()) throw Error("BOPS: no bit width for layer '" + in.from + "', whose output is read");
            width = train::activationBitsFor(it->second);  // a 2-bit producer outputs 4-bit codes
        }
        total += static_cast<double>(in.macs) * bits * width;
    }
    return total;
}

double planBops(const BitAllocationProblem& problem, const std::map<std::string, int>& plan) {
    double total = 0;
    for (const AllocationLayer& l : problem.layers) {
        const auto it = plan.find(l.name);
        if (it == plan.end()) throw Error("BOPS: no bit width for layer '" + l.name + "'");
        total += l.bops(it->second, plan);
    }
    return total;
}

BudgetRange budgetRange(const BitAllocationProblem& problem) {
    if (problem.candidate_bits.empty()) throw Error("bit allocation problem: no candidate bit widths");
    const auto [lo_it, hi_it] = std::minmax_element(problem.candidate_bits.begin(), problem.candidate_bits.end());
    // Every cost grows with every width, so the all-lowest and all-highest plans bound the range.
    std::map<std::string, int> low, high;
    for (const auto& l : problem.layers) {
        low[l.name] = l.pinned_bits.value_or(*lo_it);
        high[l.name] = l.pinned_bits.value_or(*hi_it);
    }
    BudgetRange r;
    for (const auto& l : problem.layers) {
        r.min_size_bytes += l.bytes(low.at(l.name));
        r.max_size_bytes += l.bytes(high.at(l.name));
    }
    r.min_bops = planBops(problem, low);
    r.max_bops = planBops(problem, high);
    return r;
}

void applyAlphaBudgets(BitAllocationProblem& problem, std::optional<double> size_alpha,
                       std::optional<double> bops_alpha) {
    if (!size_alpha && !bops_alpha) return;
    const BudgetRange range = budgetRange(problem);
    if (size_alpha) problem.size_bytes_max = interpolateBudget(range.min_size_bytes, range.max_size_bytes, *size_alpha);
    if (bops_alpha) problem.bops_max = interpolateBudget(range.min_bops, range.max_bops, *bops_alpha);
}

}  // namespace tm2::quant
