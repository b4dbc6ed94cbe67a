#include "core/workflow/allocation_budgets.h"

#include <gtest/gtest.h>

#include "core/base/error.h"
#include "core/workflow/training_session.h"
#include "tests/support/temp_dir.h"

namespace tm2::workflow {
namespace {

// Two layers: a (1000 weights, 100 MACs) and b (3000 weights, 50 MACs).
// Weight bytes at 4/8 bits: a 500/1000, b 1500/3000; BOPS = MACs · b²: a 1600/6400, b 800/3200.
quant::BitAllocationProblem twoLayers() {
    quant::BitAllocationProblem p;
    quant::AllocationLayer a;
    a.name = "a";
    a.params = 1000;
    a.macs = 100;
    a.omega = {{4, 10.0}, {8, 1.0}};
    quant::AllocationLayer b;
    b.name = "b";
    b.params = 3000;
    b.macs = 50;
    b.omega = {{4, 5.0}, {8, 0.5}};
    p.layers = {a, b};
    return p;
}

TEST(BudgetRange, SpansAllLowestToAllHighestWithPinnedLayersFixed) {
    auto p = twoLayers();
    BudgetRange r = budgetRange(p);
    EXPECT_DOUBLE_EQ(r.min_size_bytes, 2000);
    EXPECT_DOUBLE_EQ(r.max_size_bytes, 4000);
    EXPECT_DOUBLE_EQ(r.min_bops, 2400);
    EXPECT_DOUBLE_EQ(r.max_bops, 9600);
    p.layers[1].pinned_bits = 8;
    r = budgetRange(p);
    EXPECT_DOUBLE_EQ(r.min_size_bytes, 3500);
    EXPECT_DOUBLE_EQ(r.max_size_bytes, 4000);
}

TEST(SolveWithBudgets, PicksTheLeastPerturbationThatFits) {
    // ≤ 3000 bytes: {a8 b4} = 2500 bytes, Ω 6 beats {a4 b4} (Ω 15); {a4 b8} = 3500 does not fit.
    const auto fit = solveWithBudgets(twoLayers(), 3000, 0);
    ASSERT_EQ(fit.status, quant::AllocationStatus::Optimal) << fit.message;
    EXPECT_EQ(fit.bits.at("a"), 8);
    EXPECT_EQ(fit.bits.at("b"), 4);
    EXPECT_DOUBLE_EQ(fit.size_bytes, 2500);
    EXPECT_DOUBLE_EQ(fit.objective, 6);
    // No budget at all: everything at 8 bits.
    const auto free = solveWithBudgets(twoLayers(), 0, 0);
    EXPECT_EQ(free.bits.at("a"), 8);
    EXPECT_EQ(free.bits.at("b"), 8);
    // The all-lowest size exactly: all 4 bits.
    const auto low = solveWithBudgets(twoLayers(), 2000, 0);
    EXPECT_EQ(low.bits.at("a"), 4);
    EXPECT_EQ(low.bits.at("b"), 4);
}

TEST(SolveWithBudgets, ReportsTheSmallestAchievableSizeWhenInfeasible) {
    auto p = twoLayers();
    p.size_bytes_max = 1e9;                          // replaced, not added to
    const auto none = solveWithBudgets(p, 1024, 0);  // < 2000 bytes
    EXPECT_EQ(none.status, quant::AllocationStatus::Infeasible);
    EXPECT_DOUBLE_EQ(none.min_size_bytes, 2000);
    EXPECT_DOUBLE_EQ(none.min_bops, 2400);
    const auto bops = solveWithBudgets(twoLayers(), 0, 2000);  // < 2400 BOPS
    EXPECT_EQ(bops.status, quant::AllocationStatus::Infeasible);
}

TEST(WriteBitsPlan, ReadsBackThroughReadPlanBits) {
    testing::TempDir dir;
    const std::string path = dir.file("plan.json");
    writeBitsPlan(path, {{"a", 8}, {"b", 4}}, "test");
    const auto bits = readPlanBits(path, kRuntimeBitWidths);
    EXPECT_EQ(bits, (std::map<std::string, int>{{"a", 8}, {"b", 4}}));
    EXPECT_THROW(writeBitsPlan(dir.file("empty.json"), {}, "test"), Error);
}

}  // namespace
}  // namespace tm2::workflow
