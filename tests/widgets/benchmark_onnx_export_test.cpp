// The Benchmark pane's "Export ONNX" button: the chosen plan's network written as
// ONNX (QDQ) beside the run through the workflow, on the pane's TaskRunner; the
// exported .tmn the other buttons work on is left as it was.

#include <gtest/gtest.h>

#include <QPushButton>
#include <filesystem>

#include "tests/support/onnx_checker.h"
#include "tests/support/temp_dir.h"
#include "tests/widgets/trained_demo_run.h"
#include "tests/widgets/widget_test_support.h"
#include "widgets/benchmark/benchmark_pane.h"
#include "widgets/common/message_banner.h"
#include "widgets/common/task_runner.h"
#include "widgets/workbench.h"

namespace tm2::gui {
namespace {

namespace fs = std::filesystem;

class BenchmarkOnnxExportTest : public ::testing::Test {
protected:
    static void SetUpTestSuite() { testing::trainedDemoRun(); }
    void SetUp() override {
        workbench_.setWorkspace(QString::fromStdString(dir_.file("workspace")));
        workbench_.setRunDir(QString::fromStdString(testing::trainedDemoRun().run_dir));
    }
    testing::TempDir dir_;
    Workbench workbench_;
    BenchmarkPane pane_{workbench_};
};

TEST_F(BenchmarkOnnxExportTest, TheButtonWritesTheRunsNetworkAsQdqOnnxBesideTheRun) {
    auto* button = pane_.findChild<QPushButton*>("exportOnnxButton");
    ASSERT_NE(button, nullptr);
    ASSERT_TRUE(button->isEnabled());
    button->click();  // the plan combo's first entry: INT8
    ASSERT_TRUE(pane_.runner().wait(240000)) << "job still running";
    ASSERT_FALSE(pane_.banner()->isError()) << pane_.banner()->text().toStdString();
    const auto j = pane_.lastOnnxExport();
    ASSERT_TRUE(j.is_object());
    const fs::path expected = fs::path(testing::trainedDemoRun().run_dir) / "model-int8.onnx";
    EXPECT_TRUE(fs::equivalent(j.value("model", ""), expected)) << j.dump();
    EXPECT_EQ(j["form"], "qdq");
    EXPECT_EQ(j["opset"], 13);
    EXPECT_TRUE(pane_.banner()->text().contains("Netron")) << pane_.banner()->text().toStdString();
    EXPECT_TRUE(workbench_.modelPath().isEmpty());  // an ONNX file is not the runtime's model
    if (tm2::testing::pythonOnnxAvailable()) {
        const auto check = tm2::testing::checkOnnxModel(expected.string());
        EXPECT_EQ(check.exit_code, 0) << check.err;
    }
}

TEST_F(BenchmarkOnnxExportTest, AMissingMixedPrecisionPlanIsNamedInTheBanner) {
    pane_.exportOnnx("mp");
    EXPECT_FALSE(pane_.runner().isRunning());
    EXPECT_TRUE(pane_.banner()->isError());
    EXPECT_TRUE(pane_.banner()->text().contains("Export ONNX: no mixed-precision plan"))
        << pane_.banner()->text().toStdString();
}

}  // namespace
}  // namespace tm2::gui
