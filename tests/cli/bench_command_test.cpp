// End-to-end: a tiny demo run exported through the CLI, then `tinym2net-bench`.

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "core/data/audio_decoder.h"
#include "core/runtime/kernels/requantize.h"
#include "core/runtime/model_format.h"
#include "tests/cli/tiny_demo_run.h"
#include "tests/core/runtime/tiny_audio_model.h"
#include "tests/support/run_command.h"
#include "tests/support/temp_dir.h"

namespace {

using tm2::testing::cli;
using tm2::testing::runCommand;
using tm2::testing::TempDir;

std::vector<std::string> bench(std::vector<std::string> args) {
    args.insert(args.begin(), TM2_BENCH_PATH);
    return args;
}

TEST(BenchCli, ReportsOrderedLatencyPercentilesAndMemoryOfAnExportedModel) {
    TempDir dir;
    ASSERT_NO_FATAL_FAILURE(tm2::testing::exportTinyInt8Model(dir, "m.tmn"));
    const auto r =
        runCommand(bench({dir.file("m.tmn"), "--runs", "20", "--warmup", "2", "--per-layer", "--json"}));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto j = nlohmann::json::parse(r.out);
    for (const char* key : {"p50_us", "p90_us", "p99_us", "mean_us", "arena_bytes", "model_bytes",
                            "peak_rss_bytes", "macs", "gmac_per_s", "kernel_path", "frontend_us", "layers"})
        EXPECT_TRUE(j.contains(key)) << key;
    const double p50 = j["p50_us"].get<double>(), p90 = j["p90_us"].get<double>(),
                 p99 = j["p99_us"].get<double>();
    EXPECT_GT(p50, 0.0);
    EXPECT_LE(p50, p90);
    EXPECT_LE(p90, p99);
    EXPECT_EQ(j["model_bytes"].get<std::uintmax_t>(), std::filesystem::file_size(dir.file("m.tmn")));
    EXPECT_GT(j["arena_bytes"].get<std::size_t>(), 0u);
    EXPECT_GT(j["peak_rss_bytes"].get<std::uint64_t>(), j["arena_bytes"].get<std::uint64_t>());
    EXPECT_TRUE(j["frontend_us"].is_null());  // no --audio: not measured, not invented

    // Per-layer MACs add up to the model's; the first layer is the image conv:
    // 16 filters × 28×28 outputs (padding 1) × 1 input channel × 3×3 = 112 896 MACs.
    std::uint64_t layer_macs = 0;
    for (const auto& layer : j["layers"]) layer_macs += layer["macs"].get<std::uint64_t>();
    EXPECT_EQ(layer_macs, j["macs"].get<std::uint64_t>());
    EXPECT_EQ(j["layers"][0]["name"], "image.0.conv2d");
    EXPECT_EQ(j["layers"][0]["macs"].get<std::uint64_t>(), 112896u);
}

// On the AVX2 pair path an INT8 model keeps its conv weight panels on the heap (2 B per conv
// weight); its INT4 twin builds them per call in the arena, and reports both figures.
TEST(BenchCli, AnInt4ModelOnThePairPathReportsPerCallPanelsInsteadOfHeldOnes) {
    TempDir dir;
    ASSERT_NO_FATAL_FAILURE(tm2::testing::exportTinyInt8Model(dir, "int8.tmn"));
    const auto exported = runCommand(
        cli({"export", "--run", dir.file("run"), "--mode", "int4", "--out", dir.file("int4.tmn"), "--json"}));
    ASSERT_EQ(exported.exit_code, 0) << exported.err;
    const auto measure = [&](const std::string& model) {
        const auto r = runCommand(bench({dir.file(model), "--kernel", "avx2", "--runs", "5", "--json"}));
        return std::make_pair(r, r.exit_code == 0 ? nlohmann::json::parse(r.out) : nlohmann::json());
    };
    const auto [r8, j8] = measure("int8.tmn");
    if (r8.exit_code != 0 && r8.err.find("not available") != std::string::npos)
        GTEST_SKIP() << "no AVX2 here: " << r8.err;
    ASSERT_EQ(r8.exit_code, 0) << r8.err;
    const auto [r4, j4] = measure("int4.tmn");
    ASSERT_EQ(r4.exit_code, 0) << r4.err;
    EXPECT_GT(j8["weight_panel_bytes"].get<std::size_t>(), 0u);
    EXPECT_EQ(j8["call_panel_bytes"].get<std::size_t>(), 0u);
    EXPECT_EQ(j4["weight_panel_bytes"].get<std::size_t>(), 0u);
    EXPECT_GT(j4["call_panel_bytes"].get<std::size_t>(), 0u);
    EXPECT_LE(j4["call_panel_bytes"].get<std::size_t>(), j4["arena_bytes"].get<std::size_t>());
    EXPECT_LT(j4["weight_bytes"].get<std::size_t>() + j4["weight_panel_bytes"].get<std::size_t>(),
              j8["weight_bytes"].get<std::size_t>() + j8["weight_panel_bytes"].get<std::size_t>());
}

TEST(BenchCli, TimesTheMfccFrontEndOnARecordingSeparatelyFromTheNetwork) {
    TempDir dir;
    ASSERT_NO_FATAL_FAILURE(tm2::testing::exportTinyInt8Model(dir, "m.tmn"));
    std::string wav;
    for (const auto& e : std::filesystem::recursive_directory_iterator(dir.file("demo/audio")))
        if (e.path().extension() == ".wav") {
            wav = e.path().string();
            break;
        }
    ASSERT_FALSE(wav.empty());
    auto r =
        runCommand(bench({dir.file("m.tmn"), "--audio", wav, "--runs", "20", "--warmup", "2", "--json"}));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto j = nlohmann::json::parse(r.out);
    ASSERT_TRUE(j["frontend_us"].is_object()) << r.out;
    EXPECT_GT(j["frontend_us"]["p50_us"].get<double>(), 0.0);
    EXPECT_LE(j["frontend_us"]["p50_us"].get<double>(), j["frontend_us"]["p99_us"].get<double>());
    EXPECT_GT(j["network"]["p50_us"].get<double>(), 0.0);
    // The demo's audio: 1 s at 16 kHz, 13 coefficients × (1 + 16000 / 160) frames.
    ASSERT_EQ(j["frontend"]["inputs"].size(), 1u);
    EXPECT_EQ(j["frontend"]["inputs"][0]["modality"], "audio");
    EXPECT_EQ(j["frontend"]["inputs"][0]["shape"], nlohmann::json({1, 13, 101}));

    // A recording at another rate is refused with the rates named, not resampled silently.
    tm2::data::writeWav(dir.file("8k.wav"), std::vector<float>(8000, 0.1f), 8000);
    r = runCommand(bench({dir.file("m.tmn"), "--audio", dir.file("8k.wav"), "--runs", "5", "--json"}));
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("8000 Hz"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("16000 Hz"), std::string::npos) << r.err;
}

TEST(BenchCli, ReportsFrontEndNetworkAndEndToEndLatencyOfAnAudioModel) {
    TempDir dir;
    tm2::runtime::writeModel(dir.file("kws.tmn"), tm2::runtime::fixtures::audioOnlyModel());
    std::vector<float> tone(16000);
    for (std::size_t i = 0; i < tone.size(); ++i)
        tone[i] = static_cast<float>(
            0.3 * std::sin(2.0 * 3.14159265358979 * 440.0 * static_cast<double>(i) / 16000.0));
    tm2::data::writeWav(dir.file("tone.wav"), tone, 16000);

    auto r = runCommand(bench(
        {dir.file("kws.tmn"), "--audio", dir.file("tone.wav"), "--runs", "30", "--warmup", "3", "--json"}));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto j = nlohmann::json::parse(r.out);
    for (const char* part : {"frontend_us", "network", "end_to_end_us"}) {
        ASSERT_TRUE(j[part].is_object()) << part << "\n" << r.out;
        const double p50 = j[part]["p50_us"].get<double>(), p90 = j[part]["p90_us"].get<double>();
        EXPECT_GT(p50, 0.0) << part;
        EXPECT_LE(p50, p90) << part;
        EXPECT_LE(p90, j[part]["p99_us"].get<double>()) << part;
    }
    EXPECT_FALSE(j["frontend"]["mfcc_kernel"].get<std::string>().empty());
    EXPECT_EQ(j["frontend"]["inputs"][0]["shape"], nlohmann::json({1, 13, 101}));

    // The text report names all three, end-to-end on a line of its own.
    r = runCommand(
        bench({dir.file("kws.tmn"), "--audio", dir.file("tone.wav"), "--runs", "10", "--warmup", "1"}));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("front-end µs  p50"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("end-to-end µs p50"), std::string::npos) << r.out;

    // Without a recording nothing is measured, so nothing is reported.
    r = runCommand(bench({dir.file("kws.tmn"), "--runs", "5", "--warmup", "1", "--json"}));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    j = nlohmann::json::parse(r.out);
    EXPECT_TRUE(j["frontend_us"].is_null());
    EXPECT_TRUE(j["end_to_end_us"].is_null());
}

TEST(BenchCli, RejectsACorruptedModelNamingTheFile) {
    TempDir dir;
    {
        std::ofstream out(dir.file("bad.tmn"), std::ios::binary);
        out << "TM2N garbage";
    }
    const auto r = runCommand(bench({dir.file("bad.tmn"), "--runs", "5", "--json"}));
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("bad.tmn"), std::string::npos) << r.err;
}

}  // namespace
