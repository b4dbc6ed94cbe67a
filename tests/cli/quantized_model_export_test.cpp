// End-to-end: what `quantize` reports is what ships. Each option set is quantized,
// exported from the saved network and run on the integer runtime; the runtime's test
// accuracy must be quantize's integer_accuracy, code for code.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "tests/cli/tiny_demo_run.h"
#include "tests/support/run_command.h"
#include "tests/support/temp_dir.h"

namespace {

namespace fs = std::filesystem;
using tm2::testing::cli;
using tm2::testing::runCommand;
using tm2::testing::TempDir;

nlohmann::json readJson(const std::string& path) {
    std::ifstream in(path);
    return nlohmann::json::parse(in);
}

TEST(QuantizedModelCli, EveryQuantizeOptionShipsTheNetworkItEvaluated) {
    TempDir dir;
    ASSERT_NO_FATAL_FAILURE(tm2::testing::trainTinyDemoRun(dir, 2));
    struct Case {
        std::string name;
        std::vector<std::string> args;
    };
    const std::vector<Case> cases{{"int8", {"--mode", "int8"}},
                                  {"int4", {"--mode", "int4"}},
                                  {"mp", {"--mode", "mp"}},
                                  {"qat", {"--mode", "int4", "--qat-epochs", "1"}},
                                  {"minmax", {"--mode", "int8", "--calibration", "minmax"}},
                                  {"pinned", {"--mode", "mp", "--pin-head"}},
                                  {"alpha", {"--mode", "mp", "--alpha", "0.2"}}};
    for (const Case& c : cases) {
        SCOPED_TRACE(c.name);
        const std::string plan = dir.file("run/" + c.name + ".json");
        std::vector<std::string> args{"quantize", "--run",       dir.file("run"), "--threads",
                                      "1",        "--workspace", dir.file("ws"),  "--plan-out",
                                      plan,       "--json",      "--quiet"};
        args.insert(args.end(), c.args.begin(), c.args.end());
        auto r = runCommand(cli(args));
        ASSERT_EQ(r.exit_code, 0) << r.err;
        const auto quantized = nlohmann::json::parse(r.out);
        ASSERT_TRUE(quantized.contains("integer_accuracy"));
        ASSERT_EQ(quantized["model"]["file"], c.name + ".pt");
        EXPECT_TRUE(fs::exists(dir.file("run/" + c.name + ".pt")));
        EXPECT_EQ(readJson(plan)["model"], quantized["model"]);

        r = runCommand(cli({"export", "--run", dir.file("run"), "--plan", plan, "--out",
                            dir.file(c.name + ".tmn"), "--json"}));
        ASSERT_EQ(r.exit_code, 0) << r.err;
        const auto exported = nlohmann::json::parse(r.out);
        EXPECT_FALSE(exported["quantized_now"].get<bool>());  // loaded, not re-quantized
        EXPECT_EQ(fs::path(exported["quantized_model"].get<std::string>()).filename(), c.name + ".pt");
        EXPECT_EQ(exported["bits"], quantized["bits"]);

        // No --plan: eval-runtime finds the saved network the model is the export of.
        r = runCommand(cli({"eval-runtime", "--model", dir.file(c.name + ".tmn"), "--run", dir.file("run"),
                            "--threads", "1", "--json"}));
        ASSERT_EQ(r.exit_code, 0) << r.err;
        const auto evaluated = nlohmann::json::parse(r.out);
        EXPECT_DOUBLE_EQ(evaluated["accuracy"].get<double>(), quantized["integer_accuracy"].get<double>());
        EXPECT_DOUBLE_EQ(evaluated["reference_accuracy"].get<double>(), quantized["accuracy"].get<double>());
        EXPECT_EQ(evaluated["integer_reference"]["max_logit_diff"].get<double>(), 0.0);
        ASSERT_FALSE(evaluated["layers"].empty());
        for (const auto& l : evaluated["layers"])
            EXPECT_EQ(l["integer_mismatched_codes"].get<int>(), 0) << l["name"];
    }
}

TEST(QuantizedModelCli, ABitsOnlyPlanIsQuantizedOnceWithItsOptionsAndRecorded) {
    TempDir dir;
    ASSERT_NO_FATAL_FAILURE(tm2::testing::trainTinyDemoRun(dir, 1));
    // Every layer at 8 bits, by name: the layers `export --mode int8` wrote into its plan.
    auto r = runCommand(
        cli({"export", "--run", dir.file("run"), "--mode", "int8", "--out", dir.file("a.tmn"), "--json"}));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_TRUE(
        nlohmann::json::parse(r.out)["quantized_now"].get<bool>());  // no quantize run: defaults, once
    const nlohmann::json bits = readJson(dir.file("run/quant-int8.json"))["bits"];
    {
        std::ofstream out(dir.file("hand.json"));
        out << nlohmann::json{{"bits", bits}, {"options", {{"calibration", "minmax"}}}}.dump();
    }
    r = runCommand(cli({"export", "--run", dir.file("run"), "--plan", dir.file("hand.json"), "--out",
                        dir.file("hand.tmn"), "--json"}));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_TRUE(nlohmann::json::parse(r.out)["quantized_now"].get<bool>());
    const nlohmann::json recorded = readJson(dir.file("hand.json"));
    EXPECT_EQ(recorded["model"]["file"], "hand.pt");
    EXPECT_EQ(recorded["options"]["calibration"],
              "minmax");  // applied as given, the rest recorded at their defaults
    EXPECT_EQ(recorded["options"]["percentile"], 99.99);

    // Exported again: the recorded network, not a new quantization (same bytes).
    r = runCommand(cli({"export", "--run", dir.file("run"), "--plan", dir.file("hand.json"), "--out",
                        dir.file("again.tmn"), "--json"}));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_FALSE(nlohmann::json::parse(r.out)["quantized_now"].get<bool>());
    std::ifstream a(dir.file("hand.tmn"), std::ios::binary), b(dir.file("again.tmn"), std::ios::binary);
    EXPECT_EQ(std::string(std::istreambuf_iterator<char>(a), {}),
              std::string(std::istreambuf_iterator<char>(b), {}));

    // Min/max ranges differ from the default percentile ones: the two models are told apart.
    r = runCommand(cli({"eval-runtime", "--model", dir.file("hand.tmn"), "--run", dir.file("run"), "--plan",
                        dir.file("hand.json"), "--json"}));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    for (const auto& l : nlohmann::json::parse(r.out)["layers"])
        EXPECT_EQ(l["integer_mismatched_codes"].get<int>(), 0) << l["name"];
    r = runCommand(cli({"eval-runtime", "--model", dir.file("a.tmn"), "--run", dir.file("run"), "--plan",
                        dir.file("hand.json"), "--json"}));
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("was not exported from"), std::string::npos) << r.err;
}

// Each layer's `weight_bits` as the exported file says (export --json lists the plan's bits).
std::set<int> widthsOf(const nlohmann::json& bits) {
    std::set<int> widths;
    for (const auto& [name, b] : bits.items()) widths.insert(b.get<int>());
    return widths;
}

TEST(QuantizedModelCli, AMixedTwoFourEightBitPlanExportsRunsAndMatchesItsReference) {
    TempDir dir;
    ASSERT_NO_FATAL_FAILURE(tm2::testing::trainTinyDemoRun(dir, 1));
    // A hand plan cycling 2, 4, 8 over the layers in name order: every width is in the file.
    auto r = runCommand(
        cli({"export", "--run", dir.file("run"), "--mode", "int8", "--out", dir.file("int8.tmn"), "--json"}));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    nlohmann::json bits = readJson(dir.file("run/quant-int8.json"))["bits"];
    ASSERT_GE(bits.size(), 3U);
    int k = 0;
    for (auto& [name, b] : bits.items()) b = std::vector<int>{2, 4, 8}[static_cast<std::size_t>(k++ % 3)];
    {
        std::ofstream out(dir.file("mixed.json"));
        out << nlohmann::json{{"bits", bits}}.dump();
    }
    // And the ILP choosing among {2, 4, 8} at α 0.3 (its plan may use any of them).
    r = runCommand(cli({"quantize", "--run", dir.file("run"), "--threads", "1", "--workspace", dir.file("ws"),
                        "--mode", "mp", "--bits", "2,4,8", "--alpha", "0.3", "--plan-out",
                        dir.file("ilp.json"), "--json", "--quiet"}));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto quantized = nlohmann::json::parse(r.out);
    for (const int b : widthsOf(quantized["bits"])) EXPECT_TRUE(b == 2 || b == 4 || b == 8) << b;

    for (const std::string plan : {"mixed", "ilp"}) {
        SCOPED_TRACE(plan);
        r = runCommand(cli({"export", "--run", dir.file("run"), "--plan", dir.file(plan + ".json"), "--out",
                            dir.file(plan + ".tmn"), "--json"}));
        ASSERT_EQ(r.exit_code, 0) << r.err;
        const auto exported = nlohmann::json::parse(r.out);
        if (plan == "mixed") {
            EXPECT_EQ(widthsOf(exported["bits"]), (std::set<int>{2, 4, 8}));
        }
        r = runCommand(cli({"eval-runtime", "--model", dir.file(plan + ".tmn"), "--run", dir.file("run"),
                            "--plan", dir.file(plan + ".json"), "--threads", "1", "--json"}));
        ASSERT_EQ(r.exit_code, 0) << r.err;
        const auto evaluated = nlohmann::json::parse(r.out);
        EXPECT_EQ(evaluated["integer_reference"]["max_logit_diff"].get<double>(), 0.0);
        ASSERT_FALSE(evaluated["layers"].empty());
        for (const auto& l : evaluated["layers"])
            EXPECT_EQ(l["integer_mismatched_codes"].get<int>(), 0) << l["name"];
    }
    // Packed four weights a byte, the mixed model is smaller than the all-int8 one.
    EXPECT_LT(fs::file_size(dir.file("mixed.tmn")), fs::file_size(dir.file("int8.tmn")));
}

TEST(QuantizedModelCli, EvalRuntimeRefusesAModelNoSavedNetworkOfTheRunMatches) {
    TempDir dir;
    ASSERT_NO_FATAL_FAILURE(tm2::testing::trainTinyDemoRun(dir, 1));
    auto r = runCommand(cli({"quantize", "--run", dir.file("run"), "--mode", "int8", "--threads", "1",
                             "--workspace", dir.file("ws"), "--json", "--quiet"}));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    r = runCommand(
        cli({"export", "--run", dir.file("run"), "--mode", "int8", "--out", dir.file("m.tmn"), "--json"}));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_FALSE(
        nlohmann::json::parse(r.out)["quantized_now"].get<bool>());  // --mode int8 = quantize's int8 plan
    // Quantized again with other ranges: the plan and its network no longer are the model's.
    r = runCommand(cli({"quantize", "--run", dir.file("run"), "--mode", "int8", "--calibration", "minmax",
                        "--threads", "1", "--workspace", dir.file("ws"), "--json", "--quiet"}));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    r = runCommand(cli({"eval-runtime", "--model", dir.file("m.tmn"), "--run", dir.file("run"), "--json"}));
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("no quantized network of run"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("quant-int8.json"), std::string::npos) << r.err;  // names what it tried
}

}  // namespace
