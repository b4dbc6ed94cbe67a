// export-mcu's fixed-point front-end files: which models get them, and that the
// generated C tables, compiled on their own, give the host plan's codes.

#include "core/export/mcu/mcu_frontend_files.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "core/base/error.h"
#include "core/runtime/mcu_frontend/fixed_mfcc_tables.h"
#include "tests/core/runtime/tiny_model.h"
#include "tests/support/run_command.h"
#include "tests/support/temp_dir.h"

namespace tm2::mcu {
namespace {

namespace fs = std::filesystem;
using testing::TempDir;

// The tiny model with an audio input: 50 ms at 16 kHz, n_fft 256, hop 160, 16 mels,
// 4 coefficients → 1 × 4 × 6 (centred frames: 1 + 800 / 160), conv → pool → fc.
runtime::Model audioModel() {
    runtime::Model m = runtime::fixtures::tinyModel();
    m.tensors[0] = {"input", runtime::DataType::UInt8, 1, 4, 6, 8.0f / 255.0f, 128, 8};
    m.tensors[1].w = 6;
    m.tensors[2].w = 3;
    m.tensors[3].c = 12;
    m.inputs = {{"voice", 0}};
    m.ops[3].weights.clear();
    for (int i = 0; i < 36; ++i) m.ops[3].weights.push_back(static_cast<std::int8_t>((i * 37) % 255 - 127));
    runtime::InputFrontEnd audio;
    audio.modality = "voice";
    audio.kind = runtime::InputKind::Audio;
    audio.window_s = 0.05;
    audio.mfcc.n_fft = 256;
    audio.mfcc.n_mels = 16;
    audio.mfcc.n_mfcc = 4;
    audio.mean = {-300.0f, 20.0f, -5.0f, 3.0f};
    audio.std = {60.0f, 15.0f, 8.0f, 6.0f};
    m.frontend.inputs = {audio};
    return m;
}

// A mono PCM16 WAV of `pcm` at 16 kHz.
void writeWav(const fs::path& path, const std::vector<std::int16_t>& pcm) {
    std::ofstream out(path, std::ios::binary);
    auto u32 = [&](std::uint32_t v) { out.write(reinterpret_cast<const char*>(&v), 4); };
    auto u16 = [&](std::uint16_t v) { out.write(reinterpret_cast<const char*>(&v), 2); };
    const auto bytes = static_cast<std::uint32_t>(pcm.size() * 2);
    out.write("RIFF", 4), u32(36 + bytes), out.write("WAVEfmt ", 8), u32(16), u16(1), u16(1), u32(16000),
        u32(32000), u16(2), u16(16), out.write("data", 4), u32(bytes);
    out.write(reinterpret_cast<const char*>(pcm.data()), bytes);
}

TEST(McuFrontendFilesTest, AutoLeavesOutAModelWithoutAudioAndFixedRefusesIt) {
    const McuFrontendFiles none = mcuFrontendFiles(runtime::fixtures::tinyModel(), {});
    EXPECT_FALSE(none.fixed);
    EXPECT_NE(none.note.find("no audio input"), std::string::npos) << none.note;
    EXPECT_NE(none.header.find("#define TM2_FIXED_FRONTEND 0"), std::string::npos);
    EXPECT_THROW(mcuFrontendFiles(runtime::fixtures::tinyModel(), {McuFrontend::Fixed, {}}), Error);
    EXPECT_FALSE(mcuFrontendFiles(audioModel(), {McuFrontend::None, {}}).fixed);
}

TEST(McuFrontendFilesTest, AutoRefusesQuietlyWhatFixedRefusesLoudly) {
    runtime::Model m = audioModel();
    m.frontend.inputs[0].mfcc.power = 1.0;
    const McuFrontendFiles none = mcuFrontendFiles(m, {});
    EXPECT_FALSE(none.fixed);
    EXPECT_NE(none.note.find("mfcc.power"), std::string::npos) << none.note;
    EXPECT_THROW(mcuFrontendFiles(m, {McuFrontend::Fixed, {}}), Error);
}

TEST(McuFrontendFilesTest, GeneratedTablesCompiledAloneGiveTheHostPlansCodes) {
    TempDir dir;
    std::vector<std::int16_t> pcm(800);
    for (std::size_t i = 0; i < pcm.size(); ++i)  // 700 Hz at a third of full scale
        pcm[i] = static_cast<std::int16_t>(
            std::lround(11000.0 * std::sin(2.0 * 3.14159265358979 * 700.0 * i / 16000.0)));
    writeWav(dir.file("clip.wav"), pcm);
    const runtime::Model model = audioModel();
    const McuFrontendFiles f = mcuFrontendFiles(model, {McuFrontend::Auto, {dir.file("clip.wav")}});
    ASSERT_TRUE(f.fixed) << f.note;
    ASSERT_EQ(f.inputs.size(), 1u);
    EXPECT_EQ(f.inputs[0].frames, 6);

    const fs::path src(dir.file("src"));
    fs::create_directories(src / "core/runtime/mcu_frontend");
    for (const char* name : {"fixed_mfcc.h", "fixed_mfcc.c"})
        fs::copy_file(fs::path(TM2_SOURCE_DIR) / "core/runtime/mcu_frontend" / name,
                      src / "core/runtime/mcu_frontend" / name);
    std::ofstream(src / "frontend_data.h") << f.header;
    std::ofstream(src / "frontend_data.c") << f.data_source;
    std::ofstream(src / "example_audio.c") << f.audio_source;
    std::ofstream(src / "main.c")
        << "#include <stdio.h>\n#include \"frontend_data.h\"\n"
           "static unsigned long long scratch[TM2_FRONTEND_SCRATCH_BYTES / 8];\n"
           "int main(void) {\n  uint8_t codes[24];\n"
           "  if (tm2_fixed_mfcc_codes(tm2_frontend_plans[0], tm2_example_audio[0],\n"
           "      tm2_example_audio_samples[0], scratch, sizeof scratch, codes)) return 2;\n"
           "  for (int i = 0; i < 24; ++i) printf(\"%d \", codes[i]);\n  return 0;\n}\n";
    const std::string exe = (src / "codes").string();
    const auto build = testing::runCommand(
        {TM2_HOST_CC, "-std=c99", "-Wall", "-Wextra", "-Werror", "-I", src.string(),
         (src / "main.c").string(), (src / "frontend_data.c").string(), (src / "example_audio.c").string(),
         (src / "core/runtime/mcu_frontend/fixed_mfcc.c").string(), "-o", exe});
    ASSERT_EQ(build.exit_code, 0) << build.out << build.err;
    const auto run = testing::runCommand({exe});
    ASSERT_EQ(run.exit_code, 0) << run.err;

    const std::vector<std::uint8_t> codes =
        runtime::FixedMfccTables::forModel(model, "voice").codes(pcm.data(), pcm.size());
    std::string expected;
    for (std::uint8_t c : codes) expected += std::to_string(c) + " ";
    EXPECT_EQ(run.out, expected);
}

}  // namespace
}  // namespace tm2::mcu
