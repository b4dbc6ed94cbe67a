// listRunPlans: the plans of a run folder side by side (the Quantize pane's plan table).

#include "core/workflow/run_plans.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "tests/support/temp_dir.h"

namespace tm2::workflow {
namespace {

namespace fs = std::filesystem;
using tm2::testing::TempDir;
using tm2::testing::writeTextFile;

// Sets a file's last write so the listing's order is the test's, not the clock's.
void stamp(const fs::path& path, int seconds_ago) {
    fs::last_write_time(path, fs::file_time_type::clock::now() - std::chrono::seconds(seconds_ago));
}

TEST(RunPlansTest, ListsEveryQuantizeResultOldestFirstWithItsFigures) {
    TempDir dir;
    writeTextFile(dir.path() / "quant-int8.json",
                  R"({"mode": "int8", "accuracy": 0.75, "integer_accuracy": 0.7, "model_bytes": 2048,
                      "bops": 1.5e6, "bits": {"a": 8, "b": 8}})");
    writeTextFile(
        dir.path() / "quant-mp.json",
        R"({"mode": "mp", "accuracy": 0.6, "model_bytes": 1536, "bops": 9e5, "bits": {"a": 4, "b": 8}})");
    writeTextFile(
        dir.path() / "quant-mp-live-1.json",
        R"({"mode": "mp", "accuracy": 0.5, "model_bytes": 1024, "bops": 4e5, "bits": {"a": 4, "b": 4}})");
    // Not plans of the run: the bits-only input of Apply plan, the Pareto sweep, the spec.
    writeTextFile(dir.path() / "quant-mp-live-bits.json", R"({"bits": {"a": 4, "b": 4}})");
    writeTextFile(dir.path() / "pareto.json", R"({"pareto": []})");
    writeTextFile(dir.path() / "spec.json", R"({"accuracy": 1})");
    stamp(dir.path() / "quant-int8.json", 30);
    stamp(dir.path() / "quant-mp.json", 20);
    stamp(dir.path() / "quant-mp-live-1.json", 10);

    const RunPlans listed = listRunPlans(dir.path().string());
    EXPECT_TRUE(listed.problems.empty());
    ASSERT_EQ(listed.plans.size(), 3u);
    EXPECT_EQ(listed.plans[0].name, "quant-int8");
    EXPECT_EQ(listed.plans[1].name, "quant-mp");
    EXPECT_EQ(listed.plans[2].name, "quant-mp-live-1");
    const RunPlan& int8 = listed.plans[0];
    EXPECT_EQ(int8.mode, "int8");
    EXPECT_EQ(int8.path, fs::absolute(dir.path() / "quant-int8.json").string());
    EXPECT_DOUBLE_EQ(int8.accuracy, 0.75);
    ASSERT_TRUE(int8.integer_accuracy.has_value());
    EXPECT_DOUBLE_EQ(*int8.integer_accuracy, 0.7);
    EXPECT_DOUBLE_EQ(int8.model_bytes, 2048);
    EXPECT_DOUBLE_EQ(int8.bops, 1.5e6);
    EXPECT_EQ(int8.bits, (std::map<std::string, int>{{"a", 8}, {"b", 8}}));
    EXPECT_FALSE(listed.plans[1].integer_accuracy.has_value());  // not measured: none, not 0
    EXPECT_EQ(listed.plans[2].bits, (std::map<std::string, int>{{"a", 4}, {"b", 4}}));
    // ISO 8601 UTC, "YYYY-MM-DDTHH:MM:SSZ".
    EXPECT_EQ(int8.created.size(), 20u) << int8.created;
    EXPECT_EQ(int8.created.back(), 'Z') << int8.created;
    EXPECT_LT(listed.plans[0].created, listed.plans[2].created);
}

TEST(RunPlansTest, APlanThatSaysWhenItWasMadeIsDatedByThatNotByItsFile) {
    TempDir dir;
    // Copied (or restored from a backup) today, made in January: the listing says January.
    writeTextFile(dir.path() / "quant-int8.json",
                  R"({"mode": "int8", "accuracy": 0.75, "model_bytes": 2048, "bops": 1.5e6, "bits": {"a": 8},
                      "created": "2026-01-02T03:04:05Z"})");
    const RunPlans listed = listRunPlans(dir.path().string());
    ASSERT_EQ(listed.plans.size(), 1u);
    EXPECT_EQ(listed.plans[0].created, "2026-01-02T03:04:05Z");
}

TEST(RunPlansTest, ABrokenPlanIsNamedAndTheOthersAreStillListed) {
    TempDir dir;
    writeTextFile(dir.path() / "quant-int4.json", R"({"mode": "int4", "accuracy": 0.4, "bits": {"a": 4}})");
    writeTextFile(dir.path() / "quant-int8.json", R"({"mode": "int8", "accuracy": )");
    const RunPlans listed = listRunPlans(dir.path().string());
    ASSERT_EQ(listed.plans.size(), 1u);
    EXPECT_EQ(listed.plans[0].name, "quant-int4");
    ASSERT_EQ(listed.problems.size(), 1u);
    EXPECT_NE(listed.problems[0].find("quant-int8.json"), std::string::npos) << listed.problems[0];
}

TEST(RunPlansTest, AMissingRunFolderListsNothingAndSaysSo) {
    TempDir dir;
    const RunPlans listed = listRunPlans((dir.path() / "gone").string());
    EXPECT_TRUE(listed.plans.empty());
    ASSERT_EQ(listed.problems.size(), 1u);
    EXPECT_NE(listed.problems[0].find("gone"), std::string::npos) << listed.problems[0];
}

}  // namespace
}  // namespace tm2::workflow
