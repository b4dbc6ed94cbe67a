// End-to-end: `tinym2net runs list|show|delete|export` over a trained tiny demo run.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "tests/cli/tiny_demo_run.h"

namespace {

using nlohmann::json;
using ::testing::HasSubstr;
using tm2::testing::cli;
using tm2::testing::runCommand;
using tm2::testing::TempDir;

tm2::testing::CommandResult runs(const TempDir& dir, std::vector<std::string> verb) {
    auto args = cli({"runs"});
    args.insert(args.end(), verb.begin(), verb.end());
    args.push_back("--workspace");
    args.push_back(dir.file("ws"));
    return runCommand(args);
}

json runsJson(const TempDir& dir, std::vector<std::string> verb) {
    verb.push_back("--json");
    const auto r = runs(dir, verb);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return json::parse(r.out, nullptr, false);
}

TEST(RunsCli, ListShowExportAndDeleteARun) {
    TempDir dir;
    ASSERT_NO_FATAL_FAILURE(tm2::testing::trainTinyDemoRun(dir, 1));

    const json list = runsJson(dir, {"list"});
    ASSERT_EQ(list["runs"].size(), 1u);
    const json& run = list["runs"][0];
    const std::string id = run["id"];
    EXPECT_EQ(run["kind"], "train");
    EXPECT_EQ(run["status"], "finished");
    EXPECT_EQ(run["key_metric"]["name"], "test_accuracy");
    EXPECT_EQ(runsJson(dir, {"list", "--kind", "train", "--status", "finished", "--dataset",
                             dir.file("demo")})["runs"]
                  .size(),
              1u);
    EXPECT_TRUE(runsJson(dir, {"list", "--kind", "quantize"})["runs"].empty());
    EXPECT_TRUE(runsJson(dir, {"list", "--status", "failed"})["runs"].empty());
    EXPECT_TRUE(runsJson(dir, {"list", "--sweep", "lr-sweep"})["runs"].empty());

    const auto text = runs(dir, {"list"});
    EXPECT_THAT(text.out, HasSubstr(id));
    const auto shown_text = runs(dir, {"show", id});
    ASSERT_EQ(shown_text.exit_code, 0) << shown_text.err;
    EXPECT_THAT(shown_text.out, HasSubstr("epochs (1)"));
    const json shown = runsJson(dir, {"show", id});
    EXPECT_EQ(shown["id"], id);
    EXPECT_EQ(shown["epochs"].size(), 1u);
    EXPECT_FALSE(shown["data_fingerprint"].get<std::string>().empty());

    const json exported = runsJson(dir, {"export", id, "--out", dir.file("export")});
    EXPECT_THAT(exported["files"], ::testing::Contains("folder/run.json"));
    EXPECT_THAT(exported["files"], ::testing::Contains("folder/spec.json"));
    EXPECT_THAT(exported["files"], ::testing::Contains("folder/result.json"));
    const json summary = json::parse(tm2::testing::readFileBytes(dir.file("export/export.json")));
    EXPECT_EQ(summary["data_fingerprint"], shown["data_fingerprint"]);
    const json run_json = json::parse(tm2::testing::readFileBytes(dir.file("run/run.json")));
    EXPECT_EQ(summary["seed"], run_json["train"]["seed"]);
    EXPECT_EQ(tm2::testing::readFileBytes(dir.file("export/folder/run.json")),
              tm2::testing::readFileBytes(dir.file("run/run.json")));

    EXPECT_EQ(runsJson(dir, {"delete", id})["deleted"], id);
    EXPECT_TRUE(runsJson(dir, {"list"})["runs"].empty());
    EXPECT_TRUE(std::filesystem::exists(dir.file("run/run.json")));  // the folder stays
    const auto gone = runs(dir, {"show", id});
    EXPECT_EQ(gone.exit_code, 1);
    EXPECT_THAT(gone.err, HasSubstr(id));
}

TEST(RunsCli, AnUnknownStatusOrRunIsAnErrorNamingIt) {
    TempDir dir;
    auto r = runs(dir, {"list", "--status", "done"});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_THAT(r.err, HasSubstr("'done'"));
    r = runs(dir, {"delete", "20000101-000000-train-beef"});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_THAT(r.err, HasSubstr("20000101-000000-train-beef"));
    r = runs(dir, {"export", "20000101-000000-train-beef", "--out", dir.file("x")});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_FALSE(std::filesystem::exists(dir.file("x")));
}

}  // namespace
