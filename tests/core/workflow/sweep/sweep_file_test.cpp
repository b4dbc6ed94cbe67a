#include "core/workflow/sweep/sweep_file.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>

#include "core/base/error.h"
#include "tests/support/temp_dir.h"

namespace tm2::sweep {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;

json minimal() { return json{{"name", "s"}, {"base", {{"data", "demo"}}}}; }

// The message parseSweep throws for `j` (empty when it accepts it).
std::string errorOf(const json& j) {
    try {
        parseSweep(j, "SWEEP.json", "/sweeps");
    } catch (const Error& e) {
        return e.what();
    }
    return "";
}

TEST(SweepFileTest, ReadsBaseAxesSearchAndSlurmWithPathsResolvedAgainstTheFile) {
    const json j = json::parse(R"({
      "name": "tiny", "base": {"data": "../demo", "preset": "tinym2net-image-audio",
        "train": {"epochs": 1, "batch_size": 8, "val": 0, "cache_dir": "cache"},
        "quantize": {"mode": "mp", "alpha": 0.5}},
      "axes": [{"param": "seed", "values": [1, 2]}, {"param": "quantize.alpha", "values": [0.25, 0.75]},
               {"param": "channels.audio", "values": [[8, 16]]}, {"param": "data", "values": ["other"]}],
      "slurm": {"partition": "debug", "time": "00:05:00", "max_parallel": 2, "extra": ["--qos=short"]}})");
    const SweepFile s = parseSweep(j, "SWEEP.json", "/sweeps/a");
    EXPECT_EQ(s.name, "tiny");
    EXPECT_EQ(s.data, "/sweeps/demo");
    EXPECT_EQ(s.preset, "tinym2net-image-audio");
    EXPECT_EQ(s.train.at("cache_dir"), "/sweeps/a/cache");
    EXPECT_TRUE(s.quantize);
    EXPECT_EQ(s.quantize_options.at("mode"), "mp");
    ASSERT_EQ(s.axes.size(), 4u);
    EXPECT_EQ(s.axes[3].values[0], "/sweeps/a/other");
    EXPECT_FALSE(s.random);
    EXPECT_EQ(s.slurm.partition, "debug");
    EXPECT_EQ(s.slurm.max_parallel, 2);
    EXPECT_EQ(s.slurm.extra, std::vector<std::string>{"--qos=short"});
}

TEST(SweepFileTest, AQuantizeAxisTurnsQuantizationOn) {
    json j = minimal();
    j["axes"] = json::array({{{"param", "quantize.mode"}, {"values", {"int8", "int4"}}}});
    EXPECT_TRUE(parseSweep(j, "SWEEP.json", "/").quantize);
    EXPECT_FALSE(parseSweep(minimal(), "SWEEP.json", "/").quantize);
}

TEST(SweepFileTest, AugmentationIsASettingAndAnAxisCheckedLikeTheFlag) {
    json j = minimal();
    j["base"]["train"] = {{"augment", "audio"}};
    j["axes"] = json::array({json{{"param", "augment"}, {"values", {"off", "audio", "on,hflip"}}}});
    const SweepFile s = parseSweep(j, "SWEEP.json", "/sweeps");
    ASSERT_EQ(s.axes.size(), 1u);
    EXPECT_EQ(s.axes[0].values.size(), 3u);
    j["axes"][0]["values"][1] = "audio,wobble";
    EXPECT_THAT(errorOf(j), HasSubstr("axes[0].values[1]: --augment item \"wobble\": unknown"));
    j["axes"][0]["values"][1] = 6;
    EXPECT_THAT(errorOf(j), HasSubstr("expected augmentation text"));
}

TEST(SweepFileTest, NoiseMixingIsAnAugmentationAxisValueCheckedLikeTheRest) {
    json j = minimal();
    j["axes"] = json::array(
        {json{{"param", "augment"}, {"values", {"off", "noise=0:20", "audio,noise=5:20,noise-copies=2"}}}});
    const SweepFile s = parseSweep(j, "SWEEP.json", "/sweeps");
    ASSERT_EQ(s.axes.size(), 1u);
    EXPECT_EQ(s.axes[0].values.size(), 3u);
    j["axes"][0]["values"][1] = "noise=20:5";
    EXPECT_THAT(errorOf(j),
                HasSubstr("axes[0].values[1]: --augment \"noise=20:5\": train.augment.noise_snr_high_db"));
}

TEST(SweepFileTest, ErrorsNameTheFileAndTheField) {
    json j = minimal();
    j["axes"] = json::array({{{"param", "seed"}, {"values", {1}}}, {{"param", "lr"}, {"values", {"fast"}}}});
    EXPECT_THAT(errorOf(j), HasSubstr("SWEEP.json: axes[1].values[0]: expected a number > 0"));

    j = minimal();
    j["axes"] = json::array({{{"param", "lr"}, {"values", json::array()}}});
    EXPECT_THAT(errorOf(j), HasSubstr("SWEEP.json: axes[0].values: expected a non-empty list"));

    j = minimal();
    j["base"]["train"] = {{"epoch", 3}};
    EXPECT_THAT(errorOf(j), HasSubstr("SWEEP.json: base.train.epoch: unknown training key"));

    j = minimal();
    j["base"]["train"] = {{"epochs", 2.5}};
    EXPECT_THAT(errorOf(j), HasSubstr("SWEEP.json: base.train.epochs: expected an integer"));

    j = minimal();
    j["axes"] = json::array({{{"param", "learning_rate"}, {"values", {1}}}});
    EXPECT_THAT(errorOf(j), HasSubstr("SWEEP.json: axes[0].param: unknown parameter \"learning_rate\""));

    j = minimal();
    j["axes"] = json::array({{{"param", "fusion"}, {"values", {"add"}}}});
    EXPECT_THAT(errorOf(j), HasSubstr("axes[0].values[0]: expected one of concat, sum, late"));

    j = minimal();
    j["axes"] = json::array({{{"param", "channels.audio"}, {"values", {{8, 0}}}}});
    EXPECT_THAT(errorOf(j), HasSubstr("axes[0].values[0][1]: expected an integer in 1..4096"));

    j = minimal();
    j["base"].erase("data");
    EXPECT_THAT(errorOf(j), HasSubstr("SWEEP.json: base.data: missing"));

    j = minimal();
    j["colour"] = 1;
    EXPECT_THAT(errorOf(j), HasSubstr("SWEEP.json: colour: unknown key"));

    j = minimal();
    j["name"] = "a b";
    EXPECT_THAT(errorOf(j), HasSubstr("SWEEP.json: name: use letters"));

    j = minimal();
    j["slurm"] = {{"extra", {"qos=short"}}};
    EXPECT_THAT(errorOf(j), HasSubstr("SWEEP.json: slurm.extra[0]: expected an sbatch option"));
}

TEST(SweepFileTest, RangesAreOnlyForRandomSearchAndNumericParameters) {
    json j = minimal();
    j["axes"] = json::array({{{"param", "lr"}, {"range", {1e-4, 1e-2}}, {"scale", "log"}}});
    EXPECT_THAT(errorOf(j), HasSubstr("axes[0].range: a grid needs \"values\""));
    j["search"] = {{"kind", "random"}, {"samples", 4}, {"seed", 3}};
    EXPECT_EQ(errorOf(j), "");
    j["axes"][0] = {{"param", "fusion"}, {"range", {0, 1}}};
    EXPECT_THAT(errorOf(j), HasSubstr("axes[0].range: only numeric parameters take a range"));
    j["axes"][0] = {{"param", "lr"}, {"range", {0, 1}}, {"scale", "log"}};
    EXPECT_THAT(errorOf(j), HasSubstr("axes[0].range: a log scale needs min > 0"));
    j["axes"][0] = {{"param", "epochs"}, {"range", {0, 3}}};
    EXPECT_THAT(errorOf(j), HasSubstr("axes[0].range: expected an integer in 1..100000, got 0"));
    j["search"].erase("samples");
    EXPECT_THAT(errorOf(j), HasSubstr("search.samples: missing"));
}

TEST(SweepFileTest, AGridOfMillionsOfTrialsIsRefused) {
    json j = minimal();
    json values = json::array();
    for (int i = 1; i <= 400; ++i) values.push_back(i);
    j["axes"] = json::array(
        {{{"param", "epochs"}, {"values", values}}, {{"param", "batch_size"}, {"values", values}}});
    EXPECT_THAT(errorOf(j), HasSubstr("SWEEP.json: axes: the grid has more than 100000 trials"));
}

TEST(SweepFileTest, ReadingAFileResolvesPathsBesideIt) {
    testing::TempDir dir;
    const std::string path = dir.file("s.json");
    std::ofstream(path) << minimal().dump();
    const SweepFile s = readSweepFile(path);
    EXPECT_EQ(s.data, dir.file("demo"));
    EXPECT_THROW(readSweepFile(dir.file("missing.json")), Error);
}

}  // namespace
}  // namespace tm2::sweep
