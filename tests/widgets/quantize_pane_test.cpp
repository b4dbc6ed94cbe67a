#include "widgets/quantize/quantize_pane.h"

#include <gtest/gtest.h>

#include <QPushButton>
#include <QSlider>
#include <QSpinBox>
#include <filesystem>

#include "tests/widgets/trained_demo_run.h"
#include "tests/widgets/widget_test_support.h"
#include "widgets/common/message_banner.h"
#include "widgets/common/task_runner.h"
#include "widgets/quantize/bit_assignment_table.h"
#include "widgets/quantize/budget_panel.h"
#include "widgets/quantize/mode_summary_table.h"
#include "widgets/quantize/pareto_chart.h"
#include "widgets/quantize/sensitivity_chart.h"
#include "widgets/common/target_fit_view.h"
#include "widgets/workbench.h"

namespace tm2::gui {
namespace {

namespace fs = std::filesystem;
using Bits = std::map<std::string, int>;

class QuantizePaneTest : public ::testing::Test {
protected:
    static void SetUpTestSuite() { testing::trainedDemoRun(); }
    void SetUp() override {
        workbench_.setWorkspace(QString::fromStdString(testing::trainedDemoRun().workspace));
        workbench_.setRunDir(QString::fromStdString(testing::trainedDemoRun().run_dir));
        pane_.findChild<QSpinBox*>("hessianProbesSpin")->setValue(4);  // enough for a test, and quick
        pane_.resize(1400, 900);
    }
    // Runs the pane's job to its end; false (with the banner's text) when it failed.
    ::testing::AssertionResult finish() {
        if (!pane_.runner().wait(240000)) return ::testing::AssertionFailure() << "job still running";
        if (pane_.banner()->isError())
            return ::testing::AssertionFailure() << pane_.banner()->text().toStdString();
        return ::testing::AssertionSuccess();
    }
    Workbench workbench_;
    QuantizePane pane_{workbench_};
};

TEST_F(QuantizePaneTest, Int8FillsItsRowAndHandsThePlanToTheWorkbench) {
    pane_.quantize("int8");
    ASSERT_TRUE(finish());
    ASSERT_TRUE(pane_.hasResult("int8"));
    EXPECT_FALSE(pane_.hasResult("int4"));
    const auto r = pane_.result("int8");
    const double acc = r["accuracy"].get<double>();
    EXPECT_EQ(pane_.summaryTable()->accuracyText(ModeSummaryTable::Int8),
              QString::number(100 * acc, 'f', 1) + " %");
    EXPECT_EQ(pane_.summaryTable()->accuracyText(ModeSummaryTable::Fp32),
              QString::number(100 * r["fp32_accuracy"].get<double>(), 'f', 1) + " %");
    EXPECT_TRUE(pane_.summaryTable()->accuracyText(ModeSummaryTable::Int4).isEmpty());
    EXPECT_EQ(pane_.summaryTable()->integerAccuracyText(ModeSummaryTable::Int8),
              QString::number(100 * r["integer_accuracy"].get<double>(), 'f', 1) + " %");
    EXPECT_TRUE(pane_.summaryTable()->integerAccuracyText(ModeSummaryTable::Int4).isEmpty());
    const std::string plan = r["plan"].get<std::string>();
    EXPECT_TRUE(fs::exists(plan)) << plan;
    ASSERT_EQ(workbench_.plans().count("int8"), 1u);
    EXPECT_EQ(workbench_.plans().at("int8").toStdString(), plan);
    for (const auto& [layer, bits] : workflow::readPlanBits(plan, workflow::kRuntimeBitWidths))
        EXPECT_EQ(bits, 8) << layer;
    EXPECT_EQ(pane_.bitTable()->rowCount(), static_cast<int>(r["layers"].size()));
}

TEST_F(QuantizePaneTest, MixedPrecisionShowsTracesAndResolvesLiveBudgetsThenAppliesAndSweeps) {
    pane_.quantize("int8");
    ASSERT_TRUE(finish());
    pane_.quantize("int4");
    ASSERT_TRUE(finish());
    pane_.quantize("mp");
    ASSERT_TRUE(finish());
    ASSERT_TRUE(pane_.hasResult("mp"));
    const auto mp = pane_.result("mp");
    const auto& layers = mp["layers"];
    ASSERT_GE(layers.size(), 2u);
    for (const auto& l : layers) EXPECT_TRUE(l.contains("hessian_trace")) << l["name"];
    EXPECT_EQ(pane_.sensitivityChart()->barCount(), static_cast<int>(layers.size()));
    EXPECT_FALSE(pane_.summaryTable()->accuracyText(ModeSummaryTable::Int4).isEmpty());
    EXPECT_FALSE(pane_.summaryTable()->accuracyText(ModeSummaryTable::Mixed).isEmpty());
    // The run's own budget (α = 0.5) gives the run's bits back.
    EXPECT_EQ(pane_.liveBits(), mp["bits"].get<Bits>());

    // The size slider's left end is the all-INT4 size: every layer at 4 bits (nothing pinned).
    BudgetPanel* budget = pane_.budgetPanel();
    const auto* target = pane_.findChild<TargetFitView*>("quantizeTargetFit");
    ASSERT_NE(target, nullptr);
    budget->sizeSlider()->setValue(budget->sizeSlider()->maximum());
    ASSERT_TRUE(target->fit().has_value()) << target->text().toStdString();
    const double flash_at_max = target->fit()->flash.used;
    budget->sizeSlider()->setValue(budget->sizeSlider()->minimum());
    // The target view follows the sliders: flash shrinks by exactly the weights the plan saves.
    // (Within a byte: the ILP's sizes may carry half bytes of 4-bit weights; files hold whole ones.)
    EXPECT_NEAR(flash_at_max - target->fit()->flash.used,
                budget->range().max_size_bytes - budget->allocation().size_bytes, 1.0);
    auto live = pane_.liveBits();
    ASSERT_EQ(live.size(), layers.size());
    for (const auto& [layer, bits] : live) EXPECT_EQ(bits, 4) << layer;
    EXPECT_EQ(pane_.bitTable()->liveColumn(), live);
    budget->sizeSlider()->setValue(budget->sizeSlider()->maximum());
    for (const auto& [layer, bits] : pane_.liveBits()) EXPECT_EQ(bits, 8) << layer;

    // Half the all-INT4 size cannot be met: no bits, and the smallest achievable size is named.
    const double min_kb = budget->range().min_size_bytes / 1024;
    pane_.setSizeBudgetKb(min_kb / 2);
    EXPECT_TRUE(pane_.liveBits().empty());
    EXPECT_TRUE(budget->liveText().startsWith("Infeasible")) << budget->liveText().toStdString();
    EXPECT_TRUE(budget->liveText().contains(QString::number(min_kb, 'f', 3)))
        << budget->liveText().toStdString();
    EXPECT_FALSE(budget->applyButton()->isEnabled());

    // A feasible budget between the ends, applied: a re-quantization with exactly those bits.
    pane_.setSizeBudgetKb((min_kb + budget->range().max_size_bytes / 1024) / 2);
    const auto chosen = pane_.liveBits();
    ASSERT_FALSE(chosen.empty());
    const double live_bops = budget->allocation().bops;  // the pane's figure for the plan
    const fs::path run_dir(testing::trainedDemoRun().run_dir);
    const std::string mp_plan_before = testing::readFileBytes(run_dir / "quant-mp.json");
    pane_.applyLivePlan();
    ASSERT_TRUE(finish());
    // Applying keeps the run's MP plan and writes a plan of its own (never overwritten).
    EXPECT_EQ(testing::readFileBytes(run_dir / "quant-mp.json"), mp_plan_before);
    const auto applied = pane_.result("mp");
    const fs::path live_plan = applied.value("plan", std::string());
    EXPECT_TRUE(live_plan.filename().string().rfind("quant-mp-live-", 0) == 0) << live_plan;
    EXPECT_TRUE(fs::exists(live_plan));
    EXPECT_TRUE(applied.value("applied_live_plan", false));
    EXPECT_EQ(applied["bits"].get<Bits>(), chosen);
    EXPECT_DOUBLE_EQ(applied["bops"].get<double>(), live_bops);  // the report counts the same BOPS
    EXPECT_EQ(workflow::readPlanBits(workbench_.plans().at("mp").toStdString(), workflow::kRuntimeBitWidths),
              chosen);
    EXPECT_EQ(pane_.sensitivityChart()->barCount(), static_cast<int>(layers.size()));  // traces stay

    pane_.runPareto(3);
    ASSERT_TRUE(finish());
    EXPECT_GE(pane_.paretoChart()->pointCount(), 2);
    EXPECT_TRUE(fs::exists(fs::path(testing::trainedDemoRun().run_dir) / "pareto.json"));
    testing::saveScreenshot(pane_, "quantize");
}

TEST(QuantizePane, WithoutARunTheButtonsAreOffAndQuantizingExplainsWhy) {
    Workbench workbench;
    QuantizePane pane(workbench);
    EXPECT_FALSE(pane.findChild<QWidget*>("int8Button")->isEnabled());
    pane.quantize("int8");
    EXPECT_FALSE(pane.runner().isRunning());
    EXPECT_TRUE(pane.banner()->isError());
    EXPECT_TRUE(pane.banner()->text().contains("no trained run")) << pane.banner()->text().toStdString();
}

}  // namespace
}  // namespace tm2::gui
