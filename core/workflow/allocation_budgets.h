#pragma once
// Live what-ifs on a mixed-precision plan: the range its budgets can take
// (every free layer at its lowest vs highest width), a re-solve of the saved
// ILP with new size/BOPS budgets (no Hessian, no accuracy: that needs a
// re-quantization), and the plan file that re-quantization replays.

#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "core/quant/bit_allocation.h"

namespace tm2::workflow {

// Weight bytes and BOPS with every layer at its lowest / highest candidate
// width (pinned layers at their pinned width): the one range `quantize --alpha`
// interpolates in too (quant::budgetRange).
using quant::BudgetRange;
using quant::budgetRange;

// `problem` with its size and BOPS budgets replaced (weight bytes and BOPS;
// ≤ 0: no budget), solved. Other constraints (per-branch, latency, pinned)
// stay. Base units, so a budget read off budgetRange() is met exactly.
quant::BitAllocation solveWithBudgets(quant::BitAllocationProblem problem, double size_bytes, double bops);

// Writes {"bits": …, "source": …} atomically, readable by readPlanBits().
void writeBitsPlan(const std::string& path, const std::map<std::string, int>& bits,
                   const std::string& source);

}  // namespace tm2::workflow
