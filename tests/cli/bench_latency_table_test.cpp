// End-to-end: `tinym2net-bench --latency-table` on the tiny model exported at
// 8 and at 4 bits writes the per-layer table the quantizer's ILP reads.

#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "core/runtime/model_format.h"
#include "tests/core/runtime/tiny_model.h"
#include "tests/support/run_command.h"
#include "tests/support/temp_dir.h"

namespace {

using tm2::testing::runCommand;
using tm2::testing::TempDir;

// The tiny model with every weight layer at `bits` (int4 weights clamped to −8..7).
tm2::runtime::Model tinyAt(int bits) {
    tm2::runtime::Model m = tm2::runtime::fixtures::tinyModel();
    for (auto& op : m.ops) {
        if (op.weights.empty()) continue;
        op.weight_bits = static_cast<std::uint8_t>(bits);
        if (bits == 4)
            for (auto& w : op.weights) w = static_cast<std::int8_t>(std::clamp<int>(w, -8, 7));
    }
    return m;
}

TEST(BenchLatencyTableCli, TimesEveryWeightLayerAtBothWidthsUnderItsQuantizerName) {
    TempDir dir;
    tm2::runtime::writeModel(dir.file("m8.tmn"), tinyAt(8));
    tm2::runtime::writeModel(dir.file("m4.tmn"), tinyAt(4));
    const auto r =
        runCommand({TM2_BENCH_PATH, dir.file("m8.tmn"), "--runs", "20", "--warmup", "2", "--latency-table",
                    dir.file("table.json"), "--also", dir.file("m4.tmn"), "--json"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(nlohmann::json::parse(r.out)["latency_table"], dir.file("table.json"));
    const auto t = nlohmann::json::parse(tm2::testing::readFileBytes(dir.file("table.json")));
    EXPECT_EQ(t["unit"], "us");
    EXPECT_EQ(t["widths"], nlohmann::json({4, 8}));
    // Weight layers only, by the names the exporter gives ops (the quantizer's layer names).
    ASSERT_EQ(t["layers"].size(), 2u);
    for (const char* layer : {"image.0.conv2d", "classifier"})
        for (const char* bits : {"4", "8"}) {
            ASSERT_TRUE(t["layers"][layer][bits].is_number()) << layer << " " << bits;
            EXPECT_GE(t["layers"][layer][bits].get<double>(), 0.0);
        }
    ASSERT_EQ(t["other_ops"].size(), 2u);  // max-pooling and flatten: no weights, no width
    const double others =
        t["other_ops"]["image.1.maxpool2d"].get<double>() + t["other_ops"]["image.2.flatten"].get<double>();
    EXPECT_DOUBLE_EQ(t["other_ops_us"].get<double>(), others);
    EXPECT_EQ(t["models"], nlohmann::json({dir.file("m8.tmn"), dir.file("m4.tmn")}));
}

TEST(BenchLatencyTableCli, RefusesModelsOfDifferentNetworks) {
    TempDir dir;
    tm2::runtime::writeModel(dir.file("m8.tmn"), tinyAt(8));
    tm2::runtime::Model other = tinyAt(4);
    other.ops[3].name = "head.fc";
    tm2::runtime::writeModel(dir.file("other.tmn"), other);
    const auto r = runCommand({TM2_BENCH_PATH, dir.file("m8.tmn"), "--runs", "5", "--warmup", "0",
                               "--latency-table", dir.file("table.json"), "--also", dir.file("other.tmn")});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("not the same network"), std::string::npos) << r.err;
}

TEST(BenchLatencyTableCli, RefusesATableMissingAWidthOfALayer) {
    // Only the INT8 model: the conv (int4 in the fixture, set to 8 here) and fc are at 8 only,
    // which is a complete (one-width) table; mixing in the fixture as-is (conv 4, fc 8) is not.
    TempDir dir;
    tm2::runtime::writeModel(dir.file("m8.tmn"), tinyAt(8));
    tm2::runtime::writeModel(dir.file("mixed.tmn"), tm2::runtime::fixtures::tinyModel());
    const auto r = runCommand({TM2_BENCH_PATH, dir.file("m8.tmn"), "--runs", "5", "--warmup", "0",
                               "--latency-table", dir.file("table.json"), "--also", dir.file("mixed.tmn")});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("layer 'classifier' was not measured at 4 bits"), std::string::npos) << r.err;
}

}  // namespace
