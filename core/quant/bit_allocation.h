#pragma once
// Mixed-precision bit allocation as an integer linear program (HAWQ-V3 as
// the TinyM²Net paper uses it): one bit width per layer, minimising the summed
// Hessian-weighted perturbation Σ Ω_i(b_i) subject to a model-size budget
// Σ bytes_i(b_i) ≤ S and a BOPS budget Σ BOPS_i ≤ B (optionally a latency
// budget from a measured per-layer table), solved exactly by COIN-OR CBC.
//
// BOPS count what runs: a layer multiplies b_i-bit weights by activations at
// the width they were quantized to, which is the producing layer's width (its
// output quantizer follows its bits, but never below 4: a 2-bit layer outputs
// 4-bit codes, train::activationBitsFor), 8 for a network input, 32 for a float
// tensor. So BOPS_i = Σ over the layer's inputs of MACs · b_i · a_input, a
// product of neighbouring choices, linearized in the ILP with pair variables.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace tm2::quant {

// One activation tensor a layer reads and the MACs that multiply it (a layer
// after a concat reads one per segment, each on its own grid).
struct ActivationInput {
    std::int64_t macs = 0;
    std::string from;  // the producing layer, whose bits set the width; empty: `bits`
    int bits = 8;      // width when `from` is empty: 8 for a network input, 32 for a float tensor
};

// BOPS of a layer at `bits` reading `inputs` when the other layers have the
// widths in `plan`: Σ macs_k · bits · a_k. Without inputs the layer reads
// activations at its own width (the paper's MACs · b²). The one BOPS formula:
// the ILP, the report, the JSON and the GUI all count with it.
double bopsOf(std::int64_t macs, const std::vector<ActivationInput>& inputs, int bits,
              const std::map<std::string, int>& plan);

struct AllocationLayer {
    std::string name;
    std::string group;               // branch ("image", "audio", "head"…) for per-branch budgets; may be empty
    std::int64_t params = 0;         // weights; bytes(b) = params · b / 8
    std::int64_t macs = 0;           // all MACs (Σ of the inputs' MACs when inputs are given)
    std::vector<ActivationInput> inputs;  // empty: activations at the layer's own width
    std::map<int, double> omega;     // perturbation Ω_i(b) per candidate bit width
    std::map<int, double> latency_us;  // optional measured latency per bit width
    std::optional<int> pinned_bits;  // forced width (e.g. fusion/head layers)

    double bytes(int bits) const { return static_cast<double>(params) * bits / 8.0; }
    double bops(int bits, const std::map<std::string, int>& plan) const { return bopsOf(macs, inputs, bits, plan); }
};

// Solver limits, not part of a problem's JSON: real networks have tens of layers and
// CBC solves them in milliseconds; past these a problem is refused or stopped with a
// message (`tinym2net ilp --max-layers / --time-limit`).
struct SolverLimits {
    std::size_t max_layers = 1000;
    double time_limit_s = 60.0;
};

struct BitAllocationProblem {
    std::vector<AllocationLayer> layers;
    std::vector<int> candidate_bits{4, 8};   // any set in 2..8 (the runtime executes 2, 4 and 8)
    std::optional<double> size_bytes_max;    // S
    std::optional<double> bops_max;          // B
    std::optional<double> latency_us_max;    // needs every layer's latency_us
    std::map<std::string, double> group_size_bytes_max;  // per-branch size budgets
    SolverLimits limits;

    void validate() const;  // throws tm2::Error naming the field (negative/zero budgets, missing Ω …)
};

enum class AllocationStatus { Optimal, Infeasible };

struct BitAllocation {
    AllocationStatus status = AllocationStatus::Infeasible;
    std::map<std::string, int> bits;  // layer name → width (Optimal only)
    double objective = 0;             // Σ Ω_i(b_i)
    double size_bytes = 0;
    double bops = 0;
    double latency_us = 0;            // Σ latency_us_i(b_i) when the problem has a latency budget
    double solve_ms = 0;
    // Infeasible only: what the constraints would need at the least (smallest
    // achievable size and BOPS with every free layer at its lowest width).
    double min_size_bytes = 0;
    double min_bops = 0;
    std::string message;  // human explanation (why infeasible, …)
};

// Σ BOPS of a plan that gives every layer a width (throws tm2::Error naming a missing layer).
double planBops(const BitAllocationProblem& problem, const std::map<std::string, int>& plan);

// What the budgets can range over with the pins applied: weight bytes and BOPS
// with every free layer at its lowest / highest candidate width, pinned layers
// at their pinned width. α budgets interpolate in this range, in the CLI, the
// `ilp` JSON and the GUI's sliders alike.
struct BudgetRange {
    double min_size_bytes = 0, max_size_bytes = 0;
    double min_bops = 0, max_bops = 0;
};
BudgetRange budgetRange(const BitAllocationProblem& problem);

// Exact solve with CBC (binary x_{i,b}, Σ_b x_{i,b} = 1). Thread-safe.
BitAllocation solveBitAllocation(const BitAllocationProblem& problem);

// Exhaustive search over all combinations (for tests and tiny problems; ≤ 20 layers).
BitAllocation solveBitAllocationExhaustive(const BitAllocationProblem& problem);

// HAWQ-V3 style budget: α ∈ [0, 1] between the all-lowest and all-highest totals.
double interpolateBudget(double all_low, double all_high, double alpha);
// Sets size_bytes_max / bops_max from α in budgetRange(problem) (pins applied).
void applyAlphaBudgets(BitAllocationProblem& problem, std::optional<double> size_alpha,
                       std::optional<double> bops_alpha);

// JSON of the stand-alone `tinym2net ilp` problem/answer:
// in  {"layers":[{"name","params","macs","omega":{"4":…,"8":…}, "pinned"?, "group"?, "latency_us"?,
//                  "inputs"?: [{"macs", "from"? | "bits"?}]}],
//      "size_bytes_max"?, "bops_max"?, "latency_us_max"?, "bits"?: [4, 8], "group_size_bytes_max"?: {…}}
// out {"status","bits":{name:b},"objective","solve_ms","size_bytes","bops", …}
BitAllocationProblem problemFromJson(const nlohmann::json& j,
                                     SolverLimits limits = {});  // errors name the JSON path
nlohmann::json problemToJson(const BitAllocationProblem& p);
nlohmann::json allocationToJson(const BitAllocation& a);

// Pareto sweep: solve for each size budget (bytes), other budgets unchanged.
std::vector<BitAllocation> sweepSizeBudgets(const BitAllocationProblem& problem,
                                            const std::vector<double>& size_budgets);

}  // namespace tm2::quant
