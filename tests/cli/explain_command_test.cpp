// End-to-end: `tinym2net explain` on the tiny image-audio demo run (1 epoch):
// a PNG per branch (input beside overlay), explain.json with the maps and the
// per-class contributions, and modality-contribution.csv with a row per class
// and condition; a chosen sample and class are honoured; an unknown one fails
// with a message that names it.

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>
#include <string>

#include "tests/cli/tiny_demo_run.h"
#include "tests/support/run_command.h"
#include "tests/support/temp_dir.h"

namespace {

using tm2::testing::cli;
using tm2::testing::readFileBytes;
using tm2::testing::runCommand;
using tm2::testing::TempDir;

// One trained run for both tests (training is the slow part).
class ExplainCommandTest : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        dir_ = new TempDir;
        tm2::testing::trainTinyDemoRun(*dir_, 1);
    }
    static void TearDownTestSuite() {
        delete dir_;
        dir_ = nullptr;
    }
    void SetUp() override {
        if (::testing::Test::HasFatalFailure() || !std::filesystem::exists(dir_->file("run")))
            GTEST_SKIP() << "the tiny demo run was not trained";
    }
    static TempDir* dir_;
};
TempDir* ExplainCommandTest::dir_ = nullptr;

TEST_F(ExplainCommandTest, WritesAMapPerBranchAndThePerClassContributions) {
    const TempDir& dir = *dir_;
    auto r = runCommand(cli({"explain", "--run", dir.file("run"), "--out", dir.file("first"), "--json"}));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const nlohmann::json first = nlohmann::json::parse(r.out);
    const std::string sample = first["sample"];
    ASSERT_FALSE(sample.empty());

    // The same sample by id, explained for a class other than the predicted one.
    const nlohmann::json classes = first["modality_contributions"]["classes"];
    ASSERT_GE(classes.size(), 2u);
    const std::string other = classes[0] == first["predicted"] ? classes[1] : classes[0];
    r = runCommand(cli({"explain", "--run", dir.file("run"), "--sample", sample, "--class", other, "--out",
                        dir.file("explain"), "--json"}));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const nlohmann::json j = nlohmann::json::parse(readFileBytes(dir.path() / "explain" / "explain.json"));
    EXPECT_EQ(j["sample"], sample);
    EXPECT_EQ(j["explained_class"], other);
    EXPECT_EQ(j["predicted"], first["predicted"]);

    ASSERT_EQ(j["branches"].size(), 2u);
    for (const auto& b : j["branches"]) {
        const std::string png = (dir.path() / "explain" / b["png"].get<std::string>()).string();
        const cv::Mat picture = cv::imread(png, cv::IMREAD_COLOR);
        ASSERT_FALSE(picture.empty()) << png;
        // Two panels side by side: the input and its overlay, each at least the map's size.
        EXPECT_GT(picture.cols, 2 * b["cols"].get<int>()) << png;
        EXPECT_GT(picture.rows, b["rows"].get<int>()) << png;
        EXPECT_EQ(b["saliency"].size(), b["rows"].get<std::size_t>());
        EXPECT_EQ(b["saliency"][0].size(), b["cols"].get<std::size_t>());
    }
    EXPECT_EQ(j["branches"][0]["layout"], "image");
    EXPECT_EQ(j["branches"][1]["layout"], "spectrogram");

    // Every modality present, then each masked: 3 conditions, one row per class in each.
    ASSERT_EQ(j["modality_contributions"]["conditions"].size(), 3u);
    for (const auto& condition : j["modality_contributions"]["conditions"])
        EXPECT_EQ(condition["per_class"].size(), classes.size());
    const std::string csv = readFileBytes(dir.path() / "explain" / "modality-contribution.csv");
    EXPECT_EQ(static_cast<std::size_t>(std::count(csv.begin(), csv.end(), '\n')), 1 + 3 * classes.size());
}

TEST_F(ExplainCommandTest, AnUnknownSampleFailsNamingItAndWritesNothing) {
    const TempDir& dir = *dir_;
    const auto r = runCommand(cli(
        {"explain", "--run", dir.file("run"), "--sample", "no-such-sample", "--out", dir.file("unknown")}));
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("no-such-sample"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("test samples:"), std::string::npos) << r.err;
    EXPECT_FALSE(std::filesystem::exists(dir.file("unknown")));
}

}  // namespace
