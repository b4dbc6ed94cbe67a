// CBC bit allocation against exhaustive search and hand-solved cases.

#include "core/quant/bit_allocation.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <thread>

#include "core/base/error.h"

namespace {

using ::testing::HasSubstr;
using tm2::quant::AllocationLayer;
using tm2::quant::AllocationStatus;
using tm2::quant::BitAllocation;
using tm2::quant::BitAllocationProblem;
using tm2::quant::solveBitAllocation;
using tm2::quant::solveBitAllocationExhaustive;

AllocationLayer layer(const std::string& name, std::int64_t params, std::int64_t macs,
                      std::map<int, double> omega) {
    AllocationLayer l;
    l.name = name;
    l.params = params;
    l.macs = macs;
    l.omega = std::move(omega);
    return l;
}

double totalBytes(const BitAllocationProblem& p, int bits) {
    double total = 0;
    for (const auto& l : p.layers) total += l.params * (l.pinned_bits ? *l.pinned_bits : bits) / 8.0;
    return total;
}

// Recomputes a plan's totals from the problem (not from the solver) and checks every budget.
void expectWithinBudgets(const BitAllocationProblem& p, const BitAllocation& a) {
    ASSERT_EQ(a.bits.size(), p.layers.size());
    double bytes = 0, bops = 0, latency = 0, objective = 0;
    std::map<std::string, double> group;
    for (const auto& l : p.layers) {
        const int b = a.bits.at(l.name);
        if (l.pinned_bits) {
            EXPECT_EQ(b, *l.pinned_bits) << l.name;
        } else {
            EXPECT_NE(std::find(p.candidate_bits.begin(), p.candidate_bits.end(), b), p.candidate_bits.end());
        }
        bytes += l.params * b / 8.0;
        bops += static_cast<double>(l.macs) * b * b;
        if (p.latency_us_max) latency += l.latency_us.at(b);
        objective += l.omega.count(b) ? l.omega.at(b) : 0.0;
        group[l.group] += l.params * b / 8.0;
    }
    const double slack = 1 + 1e-9;
    EXPECT_LE(bytes, p.size_bytes_max.value_or(INFINITY) * slack);
    EXPECT_LE(bops, p.bops_max.value_or(INFINITY) * slack);
    EXPECT_LE(latency, p.latency_us_max.value_or(INFINITY) * slack);
    for (const auto& [g, budget] : p.group_size_bytes_max) EXPECT_LE(group[g], budget * slack) << g;
    EXPECT_NEAR(a.objective, objective, 1e-12 * std::max(1.0, objective));
    EXPECT_NEAR(a.size_bytes, bytes, 1e-9 * bytes);
    EXPECT_NEAR(a.bops, bops, 1e-9 * std::max(1.0, bops));
}

// Random problem: Ω falls with bits (as HAWQ's does), costs in realistic
// ranges (BOPS up to ~1e12), budgets anywhere from below all-lowest (infeasible)
// to above all-highest; some problems with four widths, pins, groups, latency.
BitAllocationProblem randomProblem(std::mt19937_64& rng, int index) {
    std::uniform_real_distribution<double> u(0.0, 1.0);
    BitAllocationProblem p;
    const bool four_widths = index % 4 == 0;
    if (four_widths) p.candidate_bits = {2, 4, 6, 8};
    const int n = four_widths ? 2 + static_cast<int>(rng() % 6) : 2 + static_cast<int>(rng() % 9);
    const bool latency = index % 7 == 3;
    for (int i = 0; i < n; ++i) {
        AllocationLayer l;
        l.name = "layer" + std::to_string(i);
        l.group = u(rng) < 0.5 ? "image" : "audio";
        l.params = 100 + static_cast<std::int64_t>(u(rng) * 100000);
        l.macs = l.params * (1 + static_cast<std::int64_t>(u(rng) * 400));
        const double trace = 0.01 + u(rng) * 10;
        double omega = trace * u(rng) * 0.05;
        for (auto b = p.candidate_bits.rbegin(); b != p.candidate_bits.rend(); ++b) {
            l.omega[*b] = omega;
            omega += trace * u(rng);
        }
        if (latency) {
            double us = 5 + 20 * u(rng);
            for (int b : p.candidate_bits) l.latency_us[b] = us += 10 * u(rng);
        }
        if (u(rng) < 0.1) l.pinned_bits = p.candidate_bits[rng() % p.candidate_bits.size()];
        p.layers.push_back(l);
    }
    const int lo = p.candidate_bits.front(), hi = p.candidate_bits.back();
    auto between = [&](double low, double high) {
        return std::max(1.0, low + (u(rng) * 1.15 - 0.1) * (high - low));
    };
    p.size_bytes_max = between(totalBytes(p, lo), totalBytes(p, hi));
    if (u(rng) < 0.7) {
        double low = 0, high = 0;
        for (const auto& l : p.layers) {
            low += l.bops(l.pinned_bits.value_or(lo), {});
            high += l.bops(l.pinned_bits.value_or(hi), {});
        }
        p.bops_max = between(low, high);
    }
    if (latency) {
        double low = 0, high = 0;
        for (const auto& l : p.layers) {
            low += l.latency_us.at(l.pinned_bits.value_or(lo));
            high += l.latency_us.at(l.pinned_bits.value_or(hi));
        }
        p.latency_us_max = between(low, high);
    }
    if (index % 5 == 1) {
        double low = 0, high = 0;
        for (const auto& l : p.layers)
            if (l.group == "image") {
                low += l.bytes(l.pinned_bits.value_or(lo));
                high += l.bytes(l.pinned_bits.value_or(hi));
            }
        if (high > 0) p.group_size_bytes_max["image"] = between(low, high);
    }
    return p;
}

TEST(BitAllocationTest, MatchesExhaustiveSearchOn200RandomProblems) {
    std::mt19937_64 rng(20240607);
    int infeasible = 0, four_width = 0;
    for (int k = 0; k < 200; ++k) {
        SCOPED_TRACE("problem " + std::to_string(k));
        const BitAllocationProblem p = randomProblem(rng, k);
        const BitAllocation reference = solveBitAllocationExhaustive(p);
        const BitAllocation cbc = solveBitAllocation(p);
        ASSERT_EQ(cbc.status, reference.status);
        four_width += p.candidate_bits.size() == 4;
        if (reference.status == AllocationStatus::Infeasible) {
            ++infeasible;
            EXPECT_DOUBLE_EQ(cbc.min_size_bytes, reference.min_size_bytes);
            EXPECT_DOUBLE_EQ(cbc.min_bops, reference.min_bops);
            EXPECT_TRUE(cbc.bits.empty());
            continue;
        }
        EXPECT_NEAR(cbc.objective, reference.objective, 1e-9 * std::max(1e-12, reference.objective));
        expectWithinBudgets(p, cbc);
        expectWithinBudgets(p, reference);
    }
    // The generator must exercise both outcomes and the four-width path.
    EXPECT_GE(infeasible, 10);
    EXPECT_LE(infeasible, 60);
    EXPECT_EQ(four_width, 50);
}

// Ω strictly falls with bits, so the best plan is the widest the budget allows.
BitAllocationProblem threeLayers() {
    BitAllocationProblem p;
    p.layers = {layer("conv1", 1000, 50000, {{4, 3.0}, {8, 0.5}}),
                layer("conv2", 2000, 80000, {{4, 2.0}, {8, 0.1}}),
                layer("fc", 4000, 4000, {{4, 1.0}, {8, 0.2}})};
    return p;
}

TEST(BitAllocationTest, BudgetExactlyAtAllInt8SizeKeepsEveryLayerAt8) {
    BitAllocationProblem p = threeLayers();
    p.size_bytes_max = totalBytes(p, 8);  // 7000 bytes
    const BitAllocation a = solveBitAllocation(p);
    ASSERT_EQ(a.status, AllocationStatus::Optimal) << a.message;
    for (const auto& [name, bits] : a.bits) EXPECT_EQ(bits, 8) << name;
    EXPECT_DOUBLE_EQ(a.size_bytes, 7000);
    EXPECT_NEAR(a.objective, 0.8, 1e-12);
}

TEST(BitAllocationTest, BudgetExactlyAtAllInt4SizeForcesEveryLayerTo4) {
    BitAllocationProblem p = threeLayers();
    p.size_bytes_max = totalBytes(p, 4);  // 3500 bytes
    const BitAllocation a = solveBitAllocation(p);
    ASSERT_EQ(a.status, AllocationStatus::Optimal) << a.message;
    for (const auto& [name, bits] : a.bits) EXPECT_EQ(bits, 4) << name;
    EXPECT_NEAR(a.objective, 6.0, 1e-12);
}

TEST(BitAllocationTest, SpendsASizeBudgetWhereOmegaFallsMost) {
    // 5000 bytes: all-4 is 3500; raising conv1 costs 500 (Ω −2.5), conv2 1000
    // (Ω −1.9), fc 2000 (Ω −0.8). Both conv1 and conv2 fit (5000), fc does not
    // on top. Best: conv1 8, conv2 8, fc 4 → Ω = 0.5 + 0.1 + 1.0 = 1.6.
    BitAllocationProblem p = threeLayers();
    p.size_bytes_max = 5000;
    const BitAllocation a = solveBitAllocation(p);
    ASSERT_EQ(a.status, AllocationStatus::Optimal);
    EXPECT_EQ(a.bits.at("conv1"), 8);
    EXPECT_EQ(a.bits.at("conv2"), 8);
    EXPECT_EQ(a.bits.at("fc"), 4);
    EXPECT_NEAR(a.objective, 1.6, 1e-12);
}

TEST(BitAllocationTest, BopsBudgetBindsWhenSizeDoesNot) {
    // BOPS at 4 bits: 16·(50000+80000+4000) = 2.144e6; raising conv1 adds
    // 48·50000 = 2.4e6, conv2 48·80000 = 3.84e6, fc 48·4000 = 1.92e5.
    // Budget 5e6 leaves 2.856e6: conv1 + fc fit (2.592e6), conv2 does not →
    // Ω = 0.5 + 2.0 + 0.2 = 2.7.
    BitAllocationProblem p = threeLayers();
    p.bops_max = 5e6;
    const BitAllocation a = solveBitAllocation(p);
    ASSERT_EQ(a.status, AllocationStatus::Optimal);
    EXPECT_EQ(a.bits.at("conv1"), 8);
    EXPECT_EQ(a.bits.at("conv2"), 4);
    EXPECT_EQ(a.bits.at("fc"), 8);
    EXPECT_NEAR(a.objective, 2.7, 1e-12);
    EXPECT_DOUBLE_EQ(a.bops, 2.144e6 + 2.4e6 + 1.92e5);
}

TEST(BitAllocationTest, PinnedLayersKeepTheirWidthWhateverTheBudget) {
    BitAllocationProblem p = threeLayers();
    p.layers[2].pinned_bits = 8;           // fc: 4000 bytes at 8 bits
    p.layers[2].omega.clear();             // a pinned layer needs no Ω
    p.layers[0].pinned_bits = 4;           // conv1 stays at 4 even with room to spare
    p.size_bytes_max = 500 + 1000 + 4000;  // conv1@4 + conv2@4 + fc@8
    BitAllocation a = solveBitAllocation(p);
    ASSERT_EQ(a.status, AllocationStatus::Optimal) << a.message;
    EXPECT_EQ(a.bits.at("fc"), 8);
    EXPECT_EQ(a.bits.at("conv1"), 4);
    EXPECT_EQ(a.bits.at("conv2"), 4);
    EXPECT_NEAR(a.objective, 3.0 + 2.0, 1e-12);  // fc's pinned width adds no Ω

    p.size_bytes_max.reset();
    a = solveBitAllocation(p);
    EXPECT_EQ(a.bits.at("conv1"), 4);
    EXPECT_EQ(a.bits.at("conv2"), 8);
}

TEST(BitAllocationTest, GroupBudgetLimitsOnlyThatBranch) {
    BitAllocationProblem p;
    p.layers = {layer("img.conv", 1000, 1000, {{4, 5.0}, {8, 1.0}}),
                layer("aud.conv", 1000, 1000, {{4, 5.0}, {8, 1.0}}),
                layer("head", 100, 100, {{4, 1.0}, {8, 0.5}})};
    p.layers[0].group = "image";
    p.layers[1].group = "audio";
    p.layers[2].group = "head";
    p.group_size_bytes_max["image"] = 500;  // img.conv at 4 bits is exactly 500 bytes
    const BitAllocation a = solveBitAllocation(p);
    ASSERT_EQ(a.status, AllocationStatus::Optimal);
    EXPECT_EQ(a.bits.at("img.conv"), 4);
    EXPECT_EQ(a.bits.at("aud.conv"), 8);
    EXPECT_EQ(a.bits.at("head"), 8);
}

TEST(BitAllocationTest, LatencyBudgetPicksTheFasterTradeOff) {
    // Latency (us) A {4:10, 8:30}, B {4:10, 8:15}; budget 40 excludes (8,8)=45.
    // (8,4): 40 us, Ω 1+3 = 4; (4,8): 25 us, Ω 5+1 = 6 → A 8, B 4.
    BitAllocationProblem p;
    p.layers = {layer("A", 100, 100, {{4, 5.0}, {8, 1.0}}), layer("B", 100, 100, {{4, 3.0}, {8, 1.0}})};
    p.layers[0].latency_us = {{4, 10.0}, {8, 30.0}};
    p.layers[1].latency_us = {{4, 10.0}, {8, 15.0}};
    p.latency_us_max = 40;
    const BitAllocation a = solveBitAllocation(p);
    ASSERT_EQ(a.status, AllocationStatus::Optimal);
    EXPECT_EQ(a.bits.at("A"), 8);
    EXPECT_EQ(a.bits.at("B"), 4);
    EXPECT_DOUBLE_EQ(a.latency_us, 40);
}

TEST(BitAllocationTest, ChoosesAmongFourCandidateWidths) {
    // bytes = 100·b per layer; budget 1200 → b_A + b_B ≤ 12. Ω sums:
    // (8,4) 1+3 = 4, (6,6) 2+1.5 = 3.5, (4,8) 4+1.2 = 5.2, (8,2) 7 → (6,6).
    BitAllocationProblem p;
    p.candidate_bits = {2, 4, 6, 8};
    p.layers = {layer("A", 800, 10, {{2, 10.0}, {4, 4.0}, {6, 2.0}, {8, 1.0}}),
                layer("B", 800, 10, {{2, 6.0}, {4, 3.0}, {6, 1.5}, {8, 1.2}})};
    p.size_bytes_max = 1200;
    const BitAllocation a = solveBitAllocation(p);
    ASSERT_EQ(a.status, AllocationStatus::Optimal);
    EXPECT_EQ(a.bits.at("A"), 6);
    EXPECT_EQ(a.bits.at("B"), 6);
    EXPECT_NEAR(a.objective, 3.5, 1e-12);
}

TEST(BitAllocationTest, InfeasibleBudgetsReportTheSmallestAchievableTotals) {
    // At 4 bits: size 1000/2 + 3000/2 = 2000 bytes; BOPS 16·(10+20) = 480.
    BitAllocationProblem p;
    p.layers = {layer("a", 1000, 10, {{4, 1.0}, {8, 0.5}}), layer("b", 3000, 20, {{4, 1.0}, {8, 0.5}})};
    p.size_bytes_max = 1500;
    p.bops_max = 1000;
    const BitAllocation a = solveBitAllocation(p);
    EXPECT_EQ(a.status, AllocationStatus::Infeasible);
    EXPECT_TRUE(a.bits.empty());
    EXPECT_DOUBLE_EQ(a.min_size_bytes, 2000);
    EXPECT_DOUBLE_EQ(a.min_bops, 480);
    EXPECT_THAT(a.message, HasSubstr("smallest achievable size is 2000 bytes (size_bytes_max 1500)"));
    EXPECT_THAT(a.message, HasSubstr("smallest BOPS is 480 (bops_max 1000)"));
}

TEST(BitAllocationTest, AbsentBudgetsMeanUnconstrained) {
    const BitAllocation a = solveBitAllocation(threeLayers());
    ASSERT_EQ(a.status, AllocationStatus::Optimal);
    for (const auto& [name, bits] : a.bits) EXPECT_EQ(bits, 8) << name;
}

TEST(BitAllocationTest, RejectsBadBudgetsNamingTheField) {
    BitAllocationProblem p = threeLayers();
    p.size_bytes_max = -1;
    EXPECT_THAT([&] { solveBitAllocation(p); },
                ::testing::ThrowsMessage<tm2::Error>(HasSubstr("size_bytes_max: must be a positive number")));
    p.size_bytes_max.reset();
    p.bops_max = 0;
    EXPECT_THAT([&] { solveBitAllocation(p); }, ::testing::ThrowsMessage<tm2::Error>(HasSubstr("bops_max")));
    p.bops_max.reset();
    p.group_size_bytes_max["radar"] = 10;
    EXPECT_THAT([&] { solveBitAllocation(p); },
                ::testing::ThrowsMessage<tm2::Error>(HasSubstr("group_size_bytes_max.radar: no layer")));
}

TEST(BitAllocationTest, RejectsMissingOmegaNamingLayerAndWidth) {
    BitAllocationProblem p = threeLayers();
    p.layers[2].omega.erase(8);
    EXPECT_THAT(
        [&] { solveBitAllocation(p); },
        ::testing::ThrowsMessage<tm2::Error>(HasSubstr("layers[2].omega: missing width 8 (layer 'fc')")));
    p = threeLayers();
    p.candidate_bits = {4, 9};
    EXPECT_THAT([&] { solveBitAllocation(p); },
                ::testing::ThrowsMessage<tm2::Error>(HasSubstr("outside 2..8")));
    p = threeLayers();
    p.latency_us_max = 100;  // no layer has a latency table
    EXPECT_THAT([&] { solveBitAllocation(p); },
                ::testing::ThrowsMessage<tm2::Error>(HasSubstr("layers[0].latency_us: missing width 4")));
}

TEST(BitAllocationTest, SweepMatchesSingleSolvesAndOmegaFallsWithBudget) {
    std::mt19937_64 rng(7);
    BitAllocationProblem p = randomProblem(rng, 2);
    for (auto& l : p.layers) l.pinned_bits.reset();
    p.bops_max.reset();
    const double low = totalBytes(p, 4), high = totalBytes(p, 8);
    std::vector<double> budgets;
    for (int k = 0; k < 20; ++k) budgets.push_back(low * 0.95 + (high - low * 0.95) * k / 19.0);
    const std::vector<BitAllocation> sweep = tm2::quant::sweepSizeBudgets(p, budgets);
    ASSERT_EQ(sweep.size(), budgets.size());
    EXPECT_EQ(sweep[0].status, AllocationStatus::Infeasible);  // below all-INT4
    double previous = INFINITY;
    for (std::size_t k = 1; k < budgets.size(); ++k) {
        p.size_bytes_max = budgets[k];
        const BitAllocation single = solveBitAllocationExhaustive(p);
        ASSERT_EQ(sweep[k].status, AllocationStatus::Optimal) << k;
        EXPECT_NEAR(sweep[k].objective, single.objective, 1e-9 * single.objective) << k;
        EXPECT_LE(sweep[k].size_bytes, budgets[k] * (1 + 1e-9));
        EXPECT_LE(sweep[k].objective, previous * (1 + 1e-12));
        previous = sweep[k].objective;
    }
}

TEST(BitAllocationTest, ConcurrentSolvesGiveTheSameAnswers) {
    std::mt19937_64 rng(99);
    std::vector<BitAllocationProblem> problems;
    for (int k = 0; k < 16; ++k) problems.push_back(randomProblem(rng, 1 + 4 * k));
    std::vector<double> serial, threaded(problems.size());
    for (const auto& p : problems) serial.push_back(solveBitAllocation(p).objective);
    std::thread other([&] {
        for (std::size_t k = 0; k < problems.size(); k += 2)
            threaded[k] = solveBitAllocation(problems[k]).objective;
    });
    for (std::size_t k = 1; k < problems.size(); k += 2)
        threaded[k] = solveBitAllocation(problems[k]).objective;
    other.join();
    EXPECT_EQ(serial, threaded);
}

TEST(BitAllocationTest, InterpolatesHawqStyleBudgets) {
    EXPECT_DOUBLE_EQ(tm2::quant::interpolateBudget(3500, 7000, 0.0), 3500);
    EXPECT_DOUBLE_EQ(tm2::quant::interpolateBudget(3500, 7000, 0.5), 5250);
    EXPECT_DOUBLE_EQ(tm2::quant::interpolateBudget(3500, 7000, 1.0), 7000);
    EXPECT_THROW(tm2::quant::interpolateBudget(3500, 7000, 1.5), tm2::Error);
}

TEST(BitAllocationTest, RefusesMoreLayersThanItsLimitBeforeSolving) {
    // 3000 layers once ran 35 s in CBC with nothing to stop it.
    BitAllocationProblem p;
    for (int i = 0; i < 3000; ++i)
        p.layers.push_back(layer("l" + std::to_string(i), 10, 10, {{4, 1.0}, {8, 0.5}}));
    try {
        solveBitAllocation(p);
        FAIL() << "no throw";
    } catch (const tm2::Error& e) {
        EXPECT_THAT(e.what(), HasSubstr("layers: 3000 layers, more than the limit of 1000"));
        EXPECT_THAT(e.what(), HasSubstr("--max-layers"));
    }
    p.limits.max_layers = 3000;
    EXPECT_NO_THROW(p.validate());
}

TEST(BitAllocationTest, StopsAtItsTimeLimitWithAClearMessage) {
    // 400 random layers over four widths under size and BOPS budgets need branching;
    // a limit of one microsecond stops CBC at its first node.
    std::mt19937_64 rng(7);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    BitAllocationProblem p;
    p.candidate_bits = {2, 4, 6, 8};
    for (int i = 0; i < 400; ++i) {
        const double scale = 0.1 + u(rng);
        p.layers.push_back(
            layer("l" + std::to_string(i), 100 + static_cast<std::int64_t>(1000 * u(rng)),
                  1000 + static_cast<std::int64_t>(100000 * u(rng)),
                  {{2, 8 * scale * u(rng) + 4}, {4, 2 * scale}, {6, scale * u(rng)}, {8, 0.1 * scale}}));
    }
    p.size_bytes_max = 0.6 * totalBytes(p, 8);
    double bops8 = 0;
    for (const auto& l : p.layers) bops8 += l.bops(8, {});
    p.bops_max = 0.4 * bops8;
    p.limits.time_limit_s = 1e-6;
    try {
        solveBitAllocation(p);
        FAIL() << "solved within a microsecond";
    } catch (const tm2::Error& e) {
        EXPECT_THAT(e.what(), HasSubstr("time limit of 1e-06 s"));
        EXPECT_THAT(e.what(), HasSubstr("--time-limit"));
    }
    p.limits.time_limit_s = 0;
    EXPECT_THROW(p.validate(), tm2::Error);
}

TEST(BitAllocationTest, ExhaustiveSearchRefusesHugeProblems) {
    BitAllocationProblem p;
    for (int i = 0; i < 23; ++i)
        p.layers.push_back(layer("l" + std::to_string(i), 10, 10, {{4, 1.0}, {8, 0.5}}));
    EXPECT_THROW(solveBitAllocationExhaustive(p), tm2::Error);
}

}  // namespace
