// Microcontroller export of the hand-made tiny model: the folder's files and
// figures, then the folder really built with the host compiler (make) and its
// example run, printing the same logits as the Interpreter on the same input.

#include "core/export/mcu/mcu_export.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "core/base/error.h"
#include "core/runtime/interpreter.h"
#include "tests/core/runtime/tiny_model.h"
#include "tests/support/run_command.h"
#include "tests/support/temp_dir.h"

namespace tm2::mcu {
namespace {

namespace fs = std::filesystem;
using testing::TempDir;

std::vector<std::uint8_t> tinyModelBytes() { return runtime::serializeModel(runtime::fixtures::tinyModel()); }

// "key = value" lines of the example's output.
std::map<std::string, std::string> parseLines(const std::string& text) {
    std::map<std::string, std::string> values;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
        const auto eq = line.find(" = ");
        if (eq != std::string::npos) values[line.substr(0, eq)] = line.substr(eq + 3);
    }
    return values;
}

TEST(McuExportTest, FootprintIsTheRuntimesOwnArenaPlanAndWeightCopies) {
    const McuFootprint f = mcuFootprint(tinyModelBytes(), "tiny");
    // The arena is the runtime's own plan (its kernels choose their scratch), so
    // it is compared with the Interpreter's; by hand it can be no smaller than
    // what op 0 keeps alive: input 16 B + conv output 32 B (16-byte aligned).
    const runtime::Interpreter interpreter(runtime::fixtures::tinyModel(), {false, &runtime::portableSimdOps()});
    EXPECT_EQ(f.arena_bytes, interpreter.arenaBytes());
    EXPECT_GE(f.arena_bytes, 48u);
    // Copied at load: conv: its 18 int4 weights stay packed in the array, 2 × (bias, multiplier,
    // shift) × 4 = 24; fc: its 24 int8 weights stay too, 3 × (bias, multiplier, shift, logit scale) × 4 = 48.
    EXPECT_EQ(f.load_copy_bytes, 24u + 48u);
    EXPECT_EQ(f.ram_estimate_bytes, f.arena_bytes + 72u);
    EXPECT_EQ(f.model_bytes, tinyModelBytes().size());
    EXPECT_EQ(f.ops, 4u);
    EXPECT_EQ(f.classes, 3u);
    ASSERT_EQ(f.inputs.size(), 1u);
    EXPECT_EQ(f.inputs[0].first, "image");
    EXPECT_EQ(f.inputs[0].second, 16u);
}

TEST(McuExportTest, ModelArrayHoldsEveryByteInOrder) {
    const std::string c = modelArraySource({0x54, 0x4d, 0x00, 0xff});
    EXPECT_NE(
        c.find("const unsigned char tm2_model_data[] TM2_MODEL_ALIGN = {\n    0x54, 0x4d, 0x00, 0xff,\n};"),
        std::string::npos)
        << c;
    EXPECT_NE(c.find("const size_t tm2_model_data_size = 4;"), std::string::npos);
    EXPECT_NE(c.find("aligned(16)"), std::string::npos);
}

TEST(McuExportTest, RejectsACorruptedModelBeforeWritingAnything) {
    std::vector<std::uint8_t> bytes = tinyModelBytes();
    bytes[bytes.size() / 2] ^= 0x55;  // the payload CRC no longer matches
    TempDir dir;
    try {
        exportMcuProject(bytes, "broken.tmn", dir.file("out"));
        FAIL() << "expected an error";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("broken.tmn"), std::string::npos) << e.what();
    }
    EXPECT_FALSE(fs::exists(dir.file("out")));
}

TEST(McuExportTest, ExportedFolderBuildsWithTheHostCompilerAndPrintsTheInterpretersLogits) {
    TempDir dir;
    const std::vector<std::uint8_t> bytes = tinyModelBytes();
    const McuExportResult r = exportMcuProject(bytes, "tiny", dir.file("mcu"));
    for (const char* file :
         {"model_data.c", "model_data.h", "main.cpp", "Makefile", "CMakeLists.txt", "README.md",
          "footprint.json", "runtime/core/runtime/interpreter.cpp", "runtime/core/runtime/model_format.cpp",
          "runtime/core/runtime/model_validation.cpp", "runtime/core/runtime/arena_planner.cpp",
          "runtime/core/runtime/kernels/conv2d.cpp", "runtime/core/runtime/kernels/simd_portable.cpp",
          "runtime/core/base/error.h"})
        EXPECT_TRUE(fs::is_regular_file(fs::path(dir.file("mcu")) / file)) << file;
    const auto footprint =
        nlohmann::json::parse(testing::readFileBytes(fs::path(dir.file("mcu")) / "footprint.json"));
    EXPECT_EQ(footprint["ram"]["arena_bytes"].get<std::size_t>(), r.footprint.arena_bytes);
    EXPECT_EQ(footprint["flash"]["model_bytes"].get<std::size_t>(), bytes.size());

    // Unoptimised, two jobs: this test is about the folder being complete, not fast.
    const auto build = testing::runCommand({"/usr/bin/env", "make", "-C", dir.file("mcu"), "-j2", "OPT=-O0",
                                            std::string("CXX=") + TM2_HOST_CXX});
    ASSERT_EQ(build.exit_code, 0) << build.out << build.err;
    const auto run =
        testing::runCommand({(fs::path(dir.file("mcu")) / "build" / "tinym2net_example").string()});
    ASSERT_EQ(run.exit_code, 0) << run.out << run.err;
    const auto printed = parseLines(run.out);

    runtime::Interpreter interpreter(runtime::fixtures::tinyModel(), {false, &runtime::portableSimdOps()});
    std::vector<float> x(16);
    for (std::size_t i = 0; i < x.size(); ++i)
        x[i] = static_cast<float>((i * 7) % 17) * 0.25f - 2.0f;  // main.cpp's pattern
    interpreter.setInput(0, x.data(), x.size());
    interpreter.invoke();
    for (std::size_t c = 0; c < 3; ++c) {
        const std::string line = printed.at("logit[" + std::to_string(c) + "]");
        EXPECT_EQ(std::strtof(line.c_str(), nullptr), interpreter.logit(c)) << line;
        EXPECT_NE(line.find("raw " + std::to_string(interpreter.rawLogits()[c])), std::string::npos) << line;
    }
    EXPECT_EQ(printed.at("argmax"), std::to_string(interpreter.argmax()));
    EXPECT_EQ(printed.at("arena_bytes"), std::to_string(interpreter.arenaBytes()));
    EXPECT_EQ(printed.at("model_bytes"), std::to_string(bytes.size()));
    EXPECT_EQ(printed.at("invoke_allocations"), "0");
    // The arena is the static array, the conv's 18 int4 weights (9 packed bytes) and the fc's
    // 24 int8 weights are read from the model array, and the heap holds at least the load-time copies.
    EXPECT_EQ(printed.at("arena_in_static_array"), "1");
    EXPECT_EQ(printed.at("weights_read_in_place_bytes"), "33");
    EXPECT_GE(std::stoul(printed.at("heap_after_load_bytes")), r.footprint.load_copy_bytes);
    EXPECT_NE(testing::readFileBytes(fs::path(dir.file("mcu")) / "model_data.h").find(
                  "#define TM2_MODEL_ARENA_BYTES " + std::to_string(std::max<std::size_t>(r.footprint.arena_bytes, 64))),
              std::string::npos);
}

}  // namespace
}  // namespace tm2::mcu
