// End-to-end: `tinym2net export-mcu` on the hand-made tiny model (the folder
// itself is built and run in tests/core/export/mcu/mcu_export_test.cpp).

#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "core/runtime/interpreter.h"
#include "core/runtime/model_format.h"
#include "tests/core/runtime/tiny_model.h"
#include "tests/support/run_command.h"
#include "tests/support/temp_dir.h"

namespace {

using tm2::testing::cli;
using tm2::testing::runCommand;
using tm2::testing::TempDir;

TEST(McuCommandCli, WritesTheProjectAndReportsArenaAndFlashAsJson) {
    TempDir dir;
    tm2::runtime::writeModel(dir.file("tiny.tmn"), tm2::runtime::fixtures::tinyModel());
    const auto r =
        runCommand(cli({"export-mcu", "--model", dir.file("tiny.tmn"), "--out", dir.file("mcu"), "--json"}));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto j = nlohmann::json::parse(r.out);
    EXPECT_EQ(j["flash"]["model_bytes"].get<std::uintmax_t>(),
              std::filesystem::file_size(dir.file("tiny.tmn")));
    EXPECT_EQ(j["ram"]["arena_bytes"].get<std::size_t>(),
              tm2::runtime::Interpreter(tm2::runtime::fixtures::tinyModel(), {false, &tm2::runtime::portableSimdOps()})
                  .arenaBytes());  // an exported build plans the portable kernels' scratch
    EXPECT_EQ(j["ram"]["allocated_during_inference"].get<int>(), 0);
    for (const auto& file : j["files"])
        EXPECT_TRUE(std::filesystem::is_regular_file(std::filesystem::path(dir.file("mcu")) /
                                                     file.get<std::string>()))
            << file;
    EXPECT_TRUE(std::filesystem::is_regular_file(std::filesystem::path(dir.file("mcu")) / "model_data.c"));
}

TEST(McuCommandCli, CorruptModelIsAnErrorNamingTheFile) {
    TempDir dir;
    tm2::testing::writeTextFile(dir.path() / "bad.tmn", "TM2N but not really a model");
    const auto r = runCommand(cli({"export-mcu", "--model", dir.file("bad.tmn"), "--out", dir.file("mcu")}));
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("bad.tmn"), std::string::npos) << r.err;
}

TEST(McuCommandCli, FixedFrontEndForAModelWithoutAudioIsAnErrorAndAutoSaysWhyItIsLeftOut) {
    TempDir dir;
    tm2::runtime::writeModel(dir.file("tiny.tmn"), tm2::runtime::fixtures::tinyModel());  // an image input only
    const auto fixed = runCommand(
        cli({"export-mcu", "--model", dir.file("tiny.tmn"), "--out", dir.file("mcu"), "--frontend", "fixed"}));
    EXPECT_EQ(fixed.exit_code, 1);
    EXPECT_NE(fixed.err.find("--frontend fixed: the model has no audio input"), std::string::npos) << fixed.err;
    EXPECT_FALSE(std::filesystem::exists(dir.file("mcu")));
    const auto automatic =
        runCommand(cli({"export-mcu", "--model", dir.file("tiny.tmn"), "--out", dir.file("mcu"), "--json"}));
    ASSERT_EQ(automatic.exit_code, 0) << automatic.err;
    const auto j = nlohmann::json::parse(automatic.out);
    EXPECT_EQ(j["frontend"]["kind"], "none");
    EXPECT_NE(j["frontend"]["note"].get<std::string>().find("no audio input"), std::string::npos);
}

}  // namespace
