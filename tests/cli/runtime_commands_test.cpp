// End-to-end: train → quantize → `tinym2net export` → `eval-runtime` on a tiny demo.

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/cli/tiny_demo_run.h"
#include "tests/support/run_command.h"
#include "tests/support/temp_dir.h"

namespace {

using tm2::testing::cli;
using tm2::testing::runCommand;
using tm2::testing::TempDir;

TEST(RuntimeCli, ExportsAQuantizedRunAndTheRuntimeAgreesWithFakeQuant) {
    TempDir dir;
    ASSERT_NO_FATAL_FAILURE(tm2::testing::trainTinyDemoRun(dir, 1));
    auto r = runCommand(cli({"quantize", "--run", dir.file("run"), "--mode", "int8", "--threads", "1", "--workspace",
                        dir.file("ws"), "--json", "--quiet"}));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    r = runCommand(cli({"export", "--run", dir.file("run"), "--plan", dir.file("run/quant-int8.json"), "--out",
                        dir.file("m.tmn"), "--json"}));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto exported = nlohmann::json::parse(r.out);
    EXPECT_GT(exported["file_bytes"].get<int>(), 0);
    EXPECT_GT(exported["arena_bytes"].get<int>(), 0);
    EXPECT_EQ(std::filesystem::file_size(dir.file("m.tmn")), exported["file_bytes"].get<std::uintmax_t>());

    r = runCommand(cli({"eval-runtime", "--model", dir.file("m.tmn"), "--data", dir.file("demo"), "--run",
                        dir.file("run"), "--json"}));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto j = nlohmann::json::parse(r.out);
    EXPECT_GT(j["samples"].get<int>(), 0);
    EXPECT_GE(j["agreement"].get<double>(), 0.995);
    EXPECT_DOUBLE_EQ(j["accuracy"].get<double>(), j["reference_accuracy"].get<double>());
    // Against the integer-exact reference the logits are identical (issue 5: within one step).
    EXPECT_EQ(j["integer_reference"]["max_logit_diff"].get<double>(), 0.0);
    EXPECT_EQ(j["integer_reference"]["logits_within_one_step"].get<int>(), j["samples"].get<int>());
    EXPECT_DOUBLE_EQ(j["integer_reference"]["accuracy"].get<double>(), j["accuracy"].get<double>());
    EXPECT_TRUE(j["fake_quant"].contains("max_logit_diff_steps"));
    ASSERT_FALSE(j["layers"].empty());
    for (const auto& l : j["layers"]) EXPECT_EQ(l["integer_mismatched_codes"].get<int>(), 0) << l["name"];
}

TEST(RuntimeCli, EvalRuntimeRejectsACorruptedModel) {
    TempDir dir;
    {
        std::ofstream out(dir.file("bad.tmn"), std::ios::binary);
        out << "TM2N garbage";
    }
    std::filesystem::create_directories(dir.file("run"));
    const auto r = runCommand(cli({"eval-runtime", "--model", dir.file("bad.tmn"), "--run", dir.file("run"), "--json"}));
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("bad.tmn"), std::string::npos) << r.err;
}

TEST(RuntimeCli, ExportNeedsAPlanOrAMode) {
    TempDir dir;
    std::filesystem::create_directories(dir.file("run"));
    const auto r = runCommand(cli({"export", "--run", dir.file("run"), "--out", dir.file("m.tmn")}));
    EXPECT_NE(r.exit_code, 0);
}

}  // namespace
