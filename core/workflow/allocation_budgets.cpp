#include "core/workflow/allocation_budgets.h"

#include "core/base/atomic_write.h"
#include "core/base/error.h"
#include "core/train/checkpoint.h"

namespace tm2::workflow {

quant::BitAllocation solveWithBudgets(quant::BitAllocationProblem problem, double size_bytes, double bops) {
    problem.size_bytes_max.reset();
    problem.bops_max.reset();
    if (size_bytes > 0) problem.size_bytes_max = size_bytes;
    if (bops > 0) problem.bops_max = bops;
    return quant::solveBitAllocation(problem);
}

void writeBitsPlan(const std::string& path, const std::map<std::string, int>& bits,
                   const std::string& source) {
    if (bits.empty()) throw Error(path + ": a plan needs at least one layer's bits");
    tm2::writeFileAtomically(path, nlohmann::json{{"bits", bits}, {"source", source}}.dump(2));
}

}  // namespace tm2::workflow
