// `tinym2net ilp PROBLEM.json`: one stand-alone bit-allocation problem solved
// by CBC (exit 0 optimal, 3 infeasible, 1 bad input).

#include <algorithm>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>

#include "app/cli/commands.h"
#include "core/base/error.h"
#include "core/base/json_file.h"
#include "core/quant/bit_allocation.h"

namespace tm2::cli {

namespace {

constexpr int kInfeasibleExit = 3;

struct IlpArgs {
    std::string problem;
    bool json = false;
    bool exhaustive = false;
    quant::SolverLimits limits;
};

quant::BitAllocationProblem readProblem(const std::string& path, const quant::SolverLimits& limits) {
    const nlohmann::json j = readJsonFile(path);  // names the file on bad syntax or 1e999
    try {
        return quant::problemFromJson(j, limits);
    } catch (const Error& e) {
        throw Error(path + ": " + e.what());
    }
}

std::string budgetText(const std::optional<double>& budget) {
    if (!budget) return "no budget";
    std::ostringstream s;
    s << "budget " << *budget;
    return s.str();
}

void printTable(const quant::BitAllocationProblem& p, const quant::BitAllocation& a) {
    std::size_t width = 5;
    for (const auto& l : p.layers) width = std::max(width, l.name.size());
    std::cout << std::left << std::setw(static_cast<int>(width)) << "layer" << std::right << std::setw(6)
              << "bits" << std::setw(14) << "bytes" << std::setw(14) << "omega"
              << "\n";
    for (const auto& l : p.layers) {
        const int b = a.bits.at(l.name);
        const auto omega = l.omega.find(b);
        std::cout << std::left << std::setw(static_cast<int>(width)) << l.name << std::right << std::setw(6)
                  << b << std::setw(14) << l.bytes(b) << std::setw(14)
                  << (omega == l.omega.end() ? 0.0 : omega->second) << (l.pinned_bits ? "  (pinned)" : "")
                  << "\n";
    }
    std::cout << "total Ω " << a.objective << "; size " << a.size_bytes << " bytes ("
              << budgetText(p.size_bytes_max) << "); BOPS " << a.bops << " (" << budgetText(p.bops_max)
              << ")";
    if (p.latency_us_max)
        std::cout << "; latency " << a.latency_us << " us (" << budgetText(p.latency_us_max) << ")";
    std::cout << "; solved in " << a.solve_ms << " ms\n";
}

void runIlp(const IlpArgs& args) {
    const quant::BitAllocationProblem problem = readProblem(args.problem, args.limits);
    const quant::BitAllocation a =
        args.exhaustive ? quant::solveBitAllocationExhaustive(problem) : quant::solveBitAllocation(problem);
    if (args.json)
        std::cout << quant::allocationToJson(a).dump(2) << "\n";
    else if (a.status == quant::AllocationStatus::Optimal)
        printTable(problem, a);
    else
        std::cout << "infeasible: " << a.message << "\n";
    std::cout.flush();
    // CLI11 passes a RuntimeError's code through without printing anything.
    if (a.status == quant::AllocationStatus::Infeasible) throw CLI::RuntimeError(kInfeasibleExit);
}

}  // namespace

void registerIlpCommand(CLI::App& app) {
    auto args = std::make_shared<IlpArgs>();
    CLI::App* ilp = app.add_subcommand(
        "ilp",
        "Mixed-precision bit allocation (HAWQ-V3 ILP, solved by CBC) for a stand-alone problem file.\n"
        "Input: "
        "{\"layers\":[{\"name\",\"params\",\"macs\",\"omega\":{\"4\":…,\"8\":…},\"pinned\"?,\"group\"?,"
        "\"latency_us\"?, \"inputs\"?: [{\"macs\", \"from\": layer | \"bits\": 8}]}],\n"
        "        \"size_bytes_max\"? | \"size_alpha\"?, \"bops_max\"? | \"bops_alpha\"?, \"latency_us_max\"?,"
        " \"bits\"?: [4, 8], \"group_size_bytes_max\"?: {group: bytes}}\n"
        "BOPS = Σ inputs' MACs × the layer's bits × the input's width (the producing layer's bits, or `bits`);"
        " a layer without inputs reads at its own width (MACs × b²). α budgets range over what the pins allow.\n"
        "Exit status: 0 optimal, 3 infeasible budgets (the smallest achievable size and BOPS are reported),"
        " 1 bad input.");
    ilp->add_option("PROBLEM", args->problem, "Problem JSON file")->required();
    ilp->add_flag("--json", args->json,
                  "Print {status, bits, objective, solve_ms, size_bytes, bops} (infeasible: min_size_bytes, "
                  "min_bops, message)");
    ilp->add_flag("--exhaustive", args->exhaustive,
                  "Check by exhaustive search instead of CBC (about 20 layers at most)");
    ilp->add_option("--max-layers", args->limits.max_layers, "Refuse problems with more layers than this")
        ->capture_default_str();
    ilp->add_option("--time-limit", args->limits.time_limit_s,
                    "Stop CBC after this many seconds without a proven optimum (exit 1)")
        ->check(CLI::PositiveNumber)
        ->capture_default_str();
    ilp->callback([args] { runIlp(*args); });
}

}  // namespace tm2::cli
