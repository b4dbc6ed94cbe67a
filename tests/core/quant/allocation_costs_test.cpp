// BOPS that count what runs (weight bits × the bits of the activations read),
// in the one formula and in the ILP, and the α range with pins applied.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <random>

#include "core/base/error.h"
#include "core/quant/bit_allocation.h"

namespace tm2::quant {
namespace {

using ::testing::HasSubstr;

AllocationLayer layer(const std::string& name, std::int64_t params, std::vector<ActivationInput> inputs,
                      std::map<int, double> omega) {
    AllocationLayer l;
    l.name = name;
    l.params = params;
    for (const auto& in : inputs) l.macs += in.macs;
    l.inputs = std::move(inputs);
    l.omega = std::move(omega);
    return l;
}

ActivationInput fromLayer(const std::string& name, std::int64_t macs) { return {macs, name, 8}; }
ActivationInput networkInput(std::int64_t macs) { return {macs, "", 8}; }

// a reads the network input (100 MACs); b reads a (50 MACs); c reads a concat
// of a (30 MACs) and b (20 MACs), each segment on its own grid.
BitAllocationProblem chain() {
    BitAllocationProblem p;
    p.layers = {layer("a", 100, {networkInput(100)}, {{4, 3.0}, {8, 0.0}}),
                layer("b", 200, {fromLayer("a", 50)}, {{4, 2.0}, {8, 0.0}}),
                layer("c", 300, {fromLayer("a", 30), fromLayer("b", 20)}, {{4, 1.0}, {8, 0.0}})};
    return p;
}

TEST(AllocationCostsTest, BopsCountEachLayersWeightBitsTimesTheBitsItReads) {
    const BitAllocationProblem p = chain();
    const std::map<std::string, int> plan{{"a", 4}, {"b", 8}, {"c", 4}};
    // a: 100·4·8 = 3200 (input at 8); b: 50·8·4 = 1600 (reads a at 4);
    // c: 30·4·4 + 20·4·8 = 480 + 640 = 1120. Σ 5920 (MACs·b² would say 1600 + 3200 + 800 = 5600).
    EXPECT_DOUBLE_EQ(p.layers[0].bops(4, plan), 3200);
    EXPECT_DOUBLE_EQ(p.layers[1].bops(8, plan), 1600);
    EXPECT_DOUBLE_EQ(p.layers[2].bops(4, plan), 1120);
    EXPECT_DOUBLE_EQ(planBops(p, plan), 5920);
    // Without inputs a layer reads its own width: MACs · b².
    EXPECT_DOUBLE_EQ(bopsOf(10, {}, 4, {}), 160);
    EXPECT_THAT([&] { planBops(p, {{"a", 4}, {"c", 4}}); },
                ::testing::ThrowsMessage<Error>(HasSubstr("'b'")));
}

TEST(AllocationCostsTest, ATwoBitLayerIsReadAtFourBitsAsItsOutputQuantizerKeepsFour) {
    BitAllocationProblem p = chain();
    p.candidate_bits = {2, 4, 8};
    const std::map<std::string, int> plan{{"a", 2}, {"b", 8}, {"c", 2}};
    // a: 100·2·8 = 1600 (input at 8); b: 50·8·4 = 1600 (a's 2-bit layer outputs 4-bit codes);
    // c: 30·2·4 + 20·2·8 = 240 + 320 = 560. Σ 3760.
    EXPECT_DOUBLE_EQ(p.layers[1].bops(8, plan), 1600);
    EXPECT_DOUBLE_EQ(p.layers[2].bops(2, plan), 560);
    EXPECT_DOUBLE_EQ(planBops(p, plan), 3760);
    // The ILP counts the same: with a BOPS budget of exactly this plan's and Ω preferring
    // b at 8 (its Ω(2) is large), CBC and the exhaustive search agree on BOPS and Ω.
    p.layers[0].omega[2] = 5.0, p.layers[1].omega[2] = 100.0, p.layers[2].omega[2] = 2.0;
    p.bops_max = 3760;
    const BitAllocation cbc = solveBitAllocation(p), exact = solveBitAllocationExhaustive(p);
    ASSERT_EQ(cbc.status, AllocationStatus::Optimal) << cbc.message;
    EXPECT_EQ(cbc.bits, exact.bits);
    EXPECT_DOUBLE_EQ(cbc.bops, planBops(p, cbc.bits));
    EXPECT_LE(cbc.bops, 3760);
}

TEST(AllocationCostsTest, TheIlpSolutionCarriesTheSameBopsAsThePlanFormula) {
    BitAllocationProblem p = chain();
    p.bops_max = 6000;
    const BitAllocation a = solveBitAllocation(p);
    ASSERT_EQ(a.status, AllocationStatus::Optimal) << a.message;
    EXPECT_DOUBLE_EQ(a.bops, planBops(p, a.bits));
    EXPECT_LE(a.bops, 6000);
}

// Two layers: a reads the input (100 MACs), b reads a (100 MACs).
// BOPS (a, b): (4,4) 3200 + 1600 = 4800; (4,8) 3200 + 3200 = 6400;
// (8,4) 6400 + 3200 = 9600; (8,8) 12800. With Ω a {4: 10, 8: 0}, b {4: 1, 8: 0}
// and 9000 BOPS, (8,4) (Ω 1) does not fit, (4,8) (Ω 10) is the optimum.
// Counting MACs·b² instead, (8,4) would seem to cost 6400 + 1600 = 8000 and win.
TEST(AllocationCostsTest, TheIlpChoosesByTheBopsThatRun) {
    BitAllocationProblem p;
    p.layers = {layer("a", 10, {networkInput(100)}, {{4, 10.0}, {8, 0.0}}),
                layer("b", 10, {fromLayer("a", 100)}, {{4, 1.0}, {8, 0.0}})};
    p.bops_max = 9000;
    for (const BitAllocation& a : {solveBitAllocation(p), solveBitAllocationExhaustive(p)}) {
        ASSERT_EQ(a.status, AllocationStatus::Optimal) << a.message;
        EXPECT_EQ(a.bits.at("a"), 4);
        EXPECT_EQ(a.bits.at("b"), 8);
        EXPECT_DOUBLE_EQ(a.bops, 6400);
        EXPECT_DOUBLE_EQ(a.objective, 10);
    }
    p.bops_max = 4000;  // below the all-4 plan's 4800
    const BitAllocation none = solveBitAllocation(p);
    EXPECT_EQ(none.status, AllocationStatus::Infeasible);
    EXPECT_DOUBLE_EQ(none.min_bops, 4800);
}

// Random chains with branches and concats, widths {2, 4, 8} or {4, 8}, random
// budgets: CBC with pair variables finds the exhaustive search's optimum.
TEST(AllocationCostsTest, CbcWithNeighbourBopsMatchesExhaustiveSearchOnRandomProblems) {
    std::mt19937 rng(11);
    std::uniform_int_distribution<int> macs(1, 5000), params(10, 4000), coin(0, 1);
    std::uniform_real_distribution<double> omega(0.0, 1.0), frac(0.0, 1.0);
    for (int trial = 0; trial < 120; ++trial) {
        BitAllocationProblem p;
        p.candidate_bits = coin(rng) ? std::vector<int>{4, 8} : std::vector<int>{2, 4, 8};
        const int n = 3 + trial % 8;
        for (int i = 0; i < n; ++i) {
            std::vector<ActivationInput> inputs;
            if (i == 0 || (coin(rng) == 0 && i < 2)) inputs.push_back(networkInput(macs(rng)));
            if (i > 0) inputs.push_back(fromLayer("l" + std::to_string(i - 1), macs(rng)));
            if (i > 2 && coin(rng)) inputs.push_back(fromLayer("l" + std::to_string(i - 3), macs(rng)));
            std::map<int, double> o;
            double w = omega(rng);
            for (auto it = p.candidate_bits.rbegin(); it != p.candidate_bits.rend(); ++it, w += omega(rng) * 4)
                o[*it] = w;
            p.layers.push_back(layer("l" + std::to_string(i), params(rng), inputs, o));
            if (trial % 5 == 0 && i == n - 1) p.layers.back().pinned_bits = 8;
        }
        const BudgetRange range = budgetRange(p);
        p.bops_max = range.min_bops + frac(rng) * (range.max_bops - range.min_bops) * 1.05 - 0.02 * range.min_bops;
        if (coin(rng))
            p.size_bytes_max = range.min_size_bytes + frac(rng) * (range.max_size_bytes - range.min_size_bytes);
        const BitAllocation cbc = solveBitAllocation(p);
        const BitAllocation exact = solveBitAllocationExhaustive(p);
        ASSERT_EQ(cbc.status, exact.status) << "trial " << trial;
        if (exact.status != AllocationStatus::Optimal) continue;
        EXPECT_NEAR(cbc.objective, exact.objective, 1e-9 * std::max(1.0, exact.objective)) << "trial " << trial;
        EXPECT_LE(cbc.bops, *p.bops_max * (1 + 1e-9)) << "trial " << trial;
        EXPECT_DOUBLE_EQ(cbc.bops, planBops(p, cbc.bits));
    }
}

// Pins shift the range α interpolates in: with c pinned at 8, the smallest
// reachable plan is (a, b) at 4 and c at 8, and α = 0 is exactly that plan.
TEST(AllocationCostsTest, AlphaZeroWithPinsIsTheSmallestPinnedPlanAndFeasible) {
    BitAllocationProblem p = chain();
    p.layers[2].pinned_bits = 8;
    const BudgetRange r = budgetRange(p);
    // Bytes: a 100·4/8 = 50, b 200·4/8 = 100, c 300·8/8 = 300 → 450; all at 8: 600.
    EXPECT_DOUBLE_EQ(r.min_size_bytes, 450);
    EXPECT_DOUBLE_EQ(r.max_size_bytes, 600);
    // BOPS at (4, 4, 8): 3200 + 50·4·4 + 30·8·4 + 20·8·4 = 3200 + 800 + 960 + 640 = 5600.
    EXPECT_DOUBLE_EQ(r.min_bops, 5600);
    applyAlphaBudgets(p, 0.0, 0.0);
    EXPECT_DOUBLE_EQ(*p.size_bytes_max, 450);
    EXPECT_DOUBLE_EQ(*p.bops_max, 5600);
    const BitAllocation a = solveBitAllocation(p);
    ASSERT_EQ(a.status, AllocationStatus::Optimal) << a.message;
    EXPECT_DOUBLE_EQ(a.size_bytes, 450);
    EXPECT_EQ(a.bits, (std::map<std::string, int>{{"a", 4}, {"b", 4}, {"c", 8}}));
}

TEST(AllocationCostsTest, InputsRoundTripThroughJsonAndBadOnesNameTheirPath) {
    BitAllocationProblem p = chain();
    p.bops_max = 6000;
    const BitAllocationProblem back = problemFromJson(problemToJson(p));
    ASSERT_EQ(back.layers[2].inputs.size(), 2u);
    EXPECT_EQ(back.layers[2].inputs[1].from, "b");
    EXPECT_EQ(back.layers[0].inputs[0].bits, 8);
    EXPECT_DOUBLE_EQ(planBops(back, {{"a", 8}, {"b", 4}, {"c", 8}}), planBops(p, {{"a", 8}, {"b", 4}, {"c", 8}}));

    nlohmann::json j = problemToJson(p);
    j["layers"][1]["inputs"][0]["from"] = "z";
    EXPECT_THAT([&] { problemFromJson(j); }, ::testing::ThrowsMessage<Error>(HasSubstr("layers[1].inputs[0].from")));
    j = problemToJson(p);
    j["layers"][2]["inputs"][0]["macs"] = 31;  // 31 + 20 ≠ the layer's 50 MACs
    EXPECT_THAT([&] { problemFromJson(j); }, ::testing::ThrowsMessage<Error>(HasSubstr("layers[2].inputs")));
    j = problemToJson(p);
    j["layers"][0]["inputs"][0]["from"] = "b";  // both from and bits
    EXPECT_THAT([&] { problemFromJson(j); }, ::testing::ThrowsMessage<Error>(HasSubstr("either")));
}

TEST(AllocationCostsTest, JsonAlphaUsesThePinnedRangeAsTheCliAndGuiDo) {
    BitAllocationProblem p = chain();
    p.layers[2].pinned_bits = 8;
    nlohmann::json j = problemToJson(p);
    j["size_alpha"] = 0.5;
    j["bops_alpha"] = 0.0;
    const BitAllocationProblem read = problemFromJson(j);
    const BudgetRange r = budgetRange(p);
    EXPECT_DOUBLE_EQ(*read.size_bytes_max, (r.min_size_bytes + r.max_size_bytes) / 2);
    EXPECT_DOUBLE_EQ(*read.bops_max, r.min_bops);
}

}  // namespace
}  // namespace tm2::quant
