// Reading a measured per-layer latency table and using it as the ILP's
// latency budget (HAWQ-V3), on hand-solved three-layer problems.

#include "core/quant/latency_table.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <functional>
#include <nlohmann/json.hpp>

#include "core/base/error.h"
#include "tests/support/temp_dir.h"

namespace {

using ::testing::HasSubstr;
using tm2::quant::AllocationLayer;
using tm2::quant::AllocationStatus;
using tm2::quant::BitAllocationProblem;
using tm2::quant::LatencyTable;
using tm2::quant::latencyTableFromJson;

// In the format tinym2net-bench --latency-table writes (extra fields ignored).
//   a: 4 bits  5 µs, 8 bits 20 µs      b: 5 / 30      c: 10 / 12      other ops 7 µs
const char* kTable = R"({
  "unit": "us", "statistic": "p50", "widths": [4, 8], "machine": "host x86_64", "runs": 100,
  "layers": {"a": {"4": 5, "8": 20}, "b": {"4": 5, "8": 30}, "c": {"4": 10, "8": 12}},
  "other_ops": {"pool": 4, "flatten": 3}, "other_ops_us": 7, "models": ["m8.tmn", "m4.tmn"]})";

BitAllocationProblem threeLayers() {
    // Ω: lowering a costs 10, b costs 1, c costs 4; sizes and BOPS unconstrained.
    BitAllocationProblem p;
    for (const auto& [name, omega4] :
         std::vector<std::pair<std::string, double>>{{"a", 10}, {"b", 1}, {"c", 4}}) {
        AllocationLayer l;
        l.name = name;
        l.params = 100;
        l.macs = 1000;
        l.omega = {{4, omega4}, {8, 0}};
        p.layers.push_back(l);
    }
    return p;
}

LatencyTable table() { return latencyTableFromJson(nlohmann::json::parse(kTable), "t.json"); }

TEST(LatencyTableTest, ReadsEveryLayerAndWidthAndTheOpsWithoutWeights) {
    const LatencyTable t = table();
    ASSERT_EQ(t.layers.size(), 3u);
    EXPECT_DOUBLE_EQ(t.layers.at("a").at(4), 5.0);
    EXPECT_DOUBLE_EQ(t.layers.at("b").at(8), 30.0);
    EXPECT_DOUBLE_EQ(t.layers.at("c").at(8), 12.0);
    EXPECT_DOUBLE_EQ(t.other_ops_us, 7.0);
}

TEST(LatencyTableTest, BudgetForTheWeightLayersIsTheNetworkBudgetLessTheOtherOps) {
    BitAllocationProblem p = threeLayers();
    tm2::quant::applyLatencyTable(table(), 57, p);
    ASSERT_TRUE(p.latency_us_max.has_value());
    EXPECT_DOUBLE_EQ(*p.latency_us_max, 50.0);  // 57 − 7
    EXPECT_DOUBLE_EQ(p.layers[1].latency_us.at(4), 5.0);
    EXPECT_DOUBLE_EQ(p.layers[1].latency_us.at(8), 30.0);
}

TEST(LatencyTableTest, LatencyBudgetPicksTheCheapestLayersToLower) {
    // Network 57 µs → weight layers 50 µs. All at 8: 20 + 30 + 12 = 62, too slow.
    // One layer at 4: a → 47 µs (Ω 10), b → 37 µs (Ω 1), c → 60 µs (too slow). Best: b.
    BitAllocationProblem p = threeLayers();
    tm2::quant::applyLatencyTable(table(), 57, p);
    auto a = tm2::quant::solveBitAllocation(p);
    ASSERT_EQ(a.status, AllocationStatus::Optimal) << a.message;
    EXPECT_EQ(a.bits, (std::map<std::string, int>{{"a", 8}, {"b", 4}, {"c", 8}}));
    EXPECT_DOUBLE_EQ(a.objective, 1.0);
    EXPECT_DOUBLE_EQ(a.latency_us, 37.0);

    // Network 43 µs → 36 µs. One layer at 4 is not enough (37, 47, 60); two:
    // a+b 22 µs (Ω 11), b+c 35 µs (Ω 5), a+c 45 µs (too slow). Best: b and c.
    p = threeLayers();
    tm2::quant::applyLatencyTable(table(), 43, p);
    a = tm2::quant::solveBitAllocation(p);
    ASSERT_EQ(a.status, AllocationStatus::Optimal) << a.message;
    EXPECT_EQ(a.bits, (std::map<std::string, int>{{"a", 8}, {"b", 4}, {"c", 4}}));
    EXPECT_DOUBLE_EQ(a.objective, 5.0);
    EXPECT_DOUBLE_EQ(a.latency_us, 35.0);
}

TEST(LatencyTableTest, PinnedLayerNeedsOnlyItsPinnedWidth) {
    BitAllocationProblem p = threeLayers();
    p.layers[0].pinned_bits = 8;
    tm2::quant::applyLatencyTable(table(), 57, p);
    EXPECT_EQ(p.layers[0].latency_us, (std::map<int, double>{{8, 20.0}}));
}

void expectError(const std::function<void()>& f, const std::string& part) {
    try {
        f();
        FAIL() << "expected an error containing " << part;
    } catch (const tm2::Error& e) {
        EXPECT_THAT(e.what(), HasSubstr(part));
    }
}

TEST(LatencyTableTest, ErrorsNameTheFileAndField) {
    auto parse = [](const char* text) { return latencyTableFromJson(nlohmann::json::parse(text), "t.json"); };
    expectError([&] { parse(R"({"unit": "us"})"); }, "t.json: missing field 'layers'");
    expectError([&] { parse(R"({"layers": {"a": {"4": "fast"}}})"); },
                "t.json: layers.a.4: expected a number");
    expectError([&] { parse(R"({"layers": {"a": {"four": 1}}})"); },
                "t.json: layers.a: key 'four' is not a bit width");
    expectError([&] { parse(R"({"layers": {"a": {"4": -1}}})"); }, "layers.a.4: expected a time ≥ 0");
    expectError([&] { parse(R"({"layers": {"a": 3}})"); }, "t.json: layers.a: expected an object");
    expectError([&] { parse(R"({"unit": "ms", "layers": {"a": {"4": 1}}})"); },
                "t.json: unit: expected \"us\"");
    expectError([&] { parse(R"({"layers": {"a": {"4": 1}}, "other_ops_us": "x"})"); },
                "t.json: other_ops_us");
}

TEST(LatencyTableTest, ApplyingNamesTheMissingLayerOrWidthAndAnUnreachableBudget) {
    BitAllocationProblem p = threeLayers();
    p.layers.push_back(p.layers[0]);
    p.layers.back().name = "d";
    expectError([&] { tm2::quant::applyLatencyTable(table(), 57, p); }, "t.json: no latency for layer 'd'");

    LatencyTable only8 = table();
    only8.layers["b"].erase(4);
    p = threeLayers();
    expectError([&] { tm2::quant::applyLatencyTable(only8, 57, p); },
                "t.json: layers.b: no latency at 4 bits");
    expectError([&] { tm2::quant::applyLatencyTable(table(), 6, p); }, "does not cover the 7 µs");
}

TEST(LatencyTableTest, ReadingAFileNamesItOnBadJson) {
    tm2::testing::TempDir dir;
    tm2::testing::writeTextFile(dir.path() / "bad.json", "{\"layers\": ");
    expectError([&] { tm2::quant::readLatencyTable(dir.file("bad.json")); }, "bad.json: invalid JSON");
    tm2::testing::writeTextFile(dir.path() / "overflow.json", R"({"layers": {"fc": {"8": 1e999}}})");
    expectError([&] { tm2::quant::readLatencyTable(dir.file("overflow.json")); },
                "overflow.json: number out of range");
    expectError([&] { tm2::quant::readLatencyTable(dir.file("missing.json")); }, "missing.json: cannot open");
    tm2::testing::writeTextFile(dir.path() / "t.json", kTable);
    EXPECT_EQ(tm2::quant::readLatencyTable(dir.file("t.json")).layers.size(), 3u);
}

}  // namespace
