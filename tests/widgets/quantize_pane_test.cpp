#include "widgets/quantize/quantize_pane.h"

#include <gtest/gtest.h>

#include <QApplication>
#include <QCheckBox>
#include <QLabel>
#include <QPushButton>
#include <QSlider>
#include <QSpinBox>
#include <QTest>
#include <filesystem>

#include "core/base/json_file.h"
#include "core/workflow/quantize_session.h"
#include "tests/widgets/trained_demo_run.h"
#include "tests/widgets/widget_test_support.h"
#include "widgets/common/message_banner.h"
#include "widgets/common/target_fit_view.h"
#include "widgets/common/task_runner.h"
#include "widgets/quantize/bit_assignment_table.h"
#include "widgets/quantize/bit_colours.h"
#include "widgets/quantize/budget_panel.h"
#include "widgets/quantize/mode_summary_table.h"
#include "widgets/quantize/pareto_chart.h"
#include "widgets/quantize/plan_table.h"
#include "widgets/quantize/sensitivity_chart.h"
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
    // Every layer's bar has the colour of its bits in `bits` (pinned layers their own).
    void expectBarsColouredBy(const Bits& bits, const Bits& pinned) {
        for (const auto& [layer, b] : bits) {
            const QColor want = pinned.count(layer) ? pinnedColour() : bitsColour(b);
            EXPECT_EQ(pane_.sensitivityChart()->barColour(QString::fromStdString(layer)), want)
                << layer << " at " << b << " bits";
        }
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
    // The plan is listed among the run's plans with its figures.
    bool listed = false;
    for (const auto& p : pane_.planTable()->plans())
        if (p.name == "quant-int8") {
            listed = true;
            EXPECT_DOUBLE_EQ(p.accuracy, acc);
            EXPECT_DOUBLE_EQ(p.model_bytes, r["model_bytes"].get<double>());
        }
    EXPECT_TRUE(listed);
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
    expectBarsColouredBy(mp["bits"].get<Bits>(), mp.value("pinned", Bits{}));
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
    expectBarsColouredBy(live, mp.value("pinned", Bits{}));  // the bars follow the sliders
    EXPECT_EQ(pane_.sensitivityChart()->planShown(), "live sliders' plan");
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
    // The sliders move on while the plan is applied: the bars then show the applied plan's bits.
    budget->sizeSlider()->setValue(budget->sizeSlider()->maximum());
    ASSERT_TRUE(finish());
    // Applying keeps the run's MP plan and writes a plan of its own (never overwritten).
    EXPECT_EQ(testing::readFileBytes(run_dir / "quant-mp.json"), mp_plan_before);
    const auto applied = pane_.result("mp");
    const fs::path live_plan = applied.value("plan", std::string());
    EXPECT_TRUE(live_plan.filename().string().rfind("quant-mp-live-", 0) == 0) << live_plan;
    EXPECT_TRUE(fs::exists(live_plan));
    EXPECT_TRUE(applied.value("applied_live_plan", false));
    EXPECT_TRUE(pane_.banner()->text().startsWith("Live plan applied:")) << pane_.banner()->text().toStdString();
    EXPECT_EQ(applied["bits"].get<Bits>(), chosen);
    EXPECT_DOUBLE_EQ(applied["bops"].get<double>(), live_bops);  // the report counts the same BOPS
    EXPECT_EQ(workflow::readPlanBits(workbench_.plans().at("mp").toStdString(), workflow::kRuntimeBitWidths),
              chosen);
    EXPECT_EQ(pane_.sensitivityChart()->barCount(), static_cast<int>(layers.size()));  // traces stay
    expectBarsColouredBy(chosen, mp.value("pinned", Bits{}));
    EXPECT_TRUE(pane_.sensitivityChart()->planShown().startsWith("applied plan quant-mp-live-"))
        << pane_.sensitivityChart()->planShown().toStdString();

    // Every plan of the run side by side, the applied one with the figures its job reported.
    const PlanTable* plans = pane_.planTable();
    ASSERT_EQ(plans->rowCount(), static_cast<int>(plans->plans().size()));
    std::map<std::string, workflow::RunPlan> listed;
    for (const auto& p : plans->plans()) listed[p.name] = p;
    for (const char* name : {"quant-int8", "quant-int4", "quant-mp"})
        EXPECT_EQ(listed.count(name), 1u) << name;
    ASSERT_EQ(listed.count(live_plan.stem().string()), 1u) << live_plan;
    const workflow::RunPlan& live_row = listed.at(live_plan.stem().string());
    EXPECT_DOUBLE_EQ(live_row.accuracy, applied["accuracy"].get<double>());
    EXPECT_DOUBLE_EQ(live_row.bops, applied["bops"].get<double>());
    EXPECT_EQ(live_row.bits, chosen);
    // Choosing the run's own MP plan again: its bits in the table and the bars, the workbench's MP plan.
    ASSERT_TRUE(pane_.planTable()->choose("quant-mp"));
    EXPECT_EQ(workbench_.plans().at("mp").toStdString(), mp["plan"].get<std::string>());
    EXPECT_EQ(pane_.bitTable()->runColumn(), mp["bits"].get<Bits>());
    expectBarsColouredBy(mp["bits"].get<Bits>(), mp.value("pinned", Bits{}));
    EXPECT_EQ(pane_.sensitivityChart()->planShown(), "plan quant-mp");
    ASSERT_TRUE(pane_.planTable()->choose("quant-int4"));
    EXPECT_EQ(workbench_.plans().at("int4").toStdString(), pane_.result("int4")["plan"].get<std::string>());

    pane_.runPareto(3);
    ASSERT_TRUE(finish());
    EXPECT_GE(pane_.paretoChart()->pointCount(), 2);
    EXPECT_TRUE(fs::exists(fs::path(testing::trainedDemoRun().run_dir) / "pareto.json"));
    // Same probe settings as the MP run: the sweep reused its traces and says so.
    const auto sweep = readJsonFile((run_dir / "pareto.json").string());
    EXPECT_TRUE(sweep.value("/hessian/reused"_json_pointer, false)) << sweep["hessian"].dump();
    EXPECT_EQ(sweep.value("/hessian/from"_json_pointer, std::string()), mp["plan"].get<std::string>());
    EXPECT_TRUE(pane_.banner()->text().contains("Hessian traces reused"))
        << pane_.banner()->text().toStdString();

    // The accuracy axis is zoomed to the points (at most the margin beyond them), not 0–100 %.
    ParetoChart* chart = pane_.paretoChart();
    double a_lo = 100, a_hi = 0;
    for (int i = 0; i < chart->pointCount(); ++i)
        for (const char* key : {"test_accuracy", "val_accuracy"})
            if (chart->point(i).contains(key)) {
                a_lo = std::min(a_lo, 100 * chart->point(i)[key].get<double>());
                a_hi = std::max(a_hi, 100 * chart->point(i)[key].get<double>());
            }
    const double margin = std::max(1.0, 0.1 * (a_hi - a_lo)) + 1;  // the pad, and rounding to whole %
    EXPECT_LE(chart->accuracyRange().first, a_lo);
    EXPECT_GE(chart->accuracyRange().second, a_hi);
    EXPECT_GE(chart->accuracyRange().first, a_lo - margin);
    EXPECT_LE(chart->accuracyRange().second, a_hi + margin);

    // A click on the largest point chooses it: its bits in the table, its figures in the label.
    pane_.resize(1280, 720);
    pane_.show();
    QApplication::processEvents();
    const int last = chart->pointCount() - 1;
    QTest::mouseClick(chart->viewport(), Qt::LeftButton, {}, chart->pointPosition(last));
    ASSERT_EQ(chart->chosenPoint(), std::optional<int>(last));
    const Bits point_bits = chart->point(last)["bits"].get<Bits>();
    EXPECT_EQ(pane_.bitTable()->runColumn(), point_bits);
    expectBarsColouredBy(point_bits, mp.value("pinned", Bits{}));
    const QString label = pane_.paretoPointLabel()->text();
    EXPECT_TRUE(label.startsWith(QString("Pareto point %1:").arg(last + 1))) << label.toStdString();
    EXPECT_TRUE(
        label.contains(QString::number(chart->point(last)["model_bytes"].get<double>() / 1024, 'f', 2)))
        << label.toStdString();
    QApplication::processEvents();  // the charts lay out their new series
    testing::saveScreenshot(pane_, "quantize");
    // The charts and the plan table as laid out at 1280×720 (the pane scrolls to them).
    testing::saveScreenshot(*pane_.sensitivityChart(), "quantize-sensitivity");
    testing::saveScreenshot(*chart, "quantize-pareto");
    testing::saveScreenshot(*pane_.planTable(), "quantize-plans");
    // "Apply this point" re-quantizes with its bits into a plan of its own, listed with the others.
    ASSERT_TRUE(pane_.applyPointButton()->isEnabled());
    pane_.applyPointButton()->click();
    ASSERT_TRUE(finish());
    const auto point_result = pane_.result("mp");
    EXPECT_EQ(point_result["bits"].get<Bits>(), point_bits);
    const fs::path point_plan = point_result.value("plan", std::string());
    EXPECT_EQ(point_plan.filename().string().rfind("quant-mp-pareto-", 0), 0u) << point_plan;
    // The banner names what was applied (it said "Live plan applied" for a Pareto point).
    EXPECT_TRUE(pane_.banner()->text().startsWith(QString("Pareto point %1 applied:").arg(last + 1)))
        << pane_.banner()->text().toStdString();
    bool point_listed = false;
    for (const auto& p : pane_.planTable()->plans()) point_listed |= p.path == point_plan.string();
    EXPECT_TRUE(point_listed) << point_plan;
    EXPECT_EQ(testing::readFileBytes(run_dir / "quant-mp.json"), mp_plan_before);
}

TEST(SensitivityChart, BarsTakeTheColourOfTheirBitsAndFollowANewPlan) {
    // Three layers, traces 1e-3 … 1e-1; "head" pinned at 8 bits.
    const auto layers = nlohmann::json::parse(R"([
        {"name": "conv1", "hessian_trace": 0.1, "bits": 4},
        {"name": "fc1", "hessian_trace": 0.001, "bits": 8},
        {"name": "head", "hessian_trace": 0.01, "bits": 8}])");
    SensitivityChart chart;
    chart.setLayers(layers, {{"head", 8}});
    ASSERT_EQ(chart.barCount(), 3);
    EXPECT_EQ(chart.barColour("conv1"), bitsColour(4));
    EXPECT_EQ(chart.barColour("fc1"), bitsColour(8));
    EXPECT_EQ(chart.barColour("head"), pinnedColour());
    EXPECT_NE(bitsColour(4), bitsColour(8));
    chart.setBits({{"conv1", 8}, {"fc1", 4}, {"head", 8}}, "live sliders' plan");
    EXPECT_EQ(chart.barColour("conv1"), bitsColour(8));
    EXPECT_EQ(chart.barColour("fc1"), bitsColour(4));
    EXPECT_EQ(chart.barColour("head"), pinnedColour());
    chart.setBits({}, "infeasible");  // no bits: the bars keep the last plan's
    EXPECT_EQ(chart.barColour("fc1"), bitsColour(4));
    // The legend names the widths; the labels carry each layer's bits.
    chart.resize(480, 320);
    chart.show();
    QApplication::processEvents();
    const QStringList texts = testing::shownChartTexts(chart);
    for (const QString want : {"4-bit", "8-bit", "pinned", "conv1 · 8 b", "fc1 · 4 b"})
        EXPECT_TRUE(texts.contains(want))
            << want.toStdString() << " not in " << texts.join(" | ").toStdString();
}

TEST(SensitivityChart, ShowsTwoBitLayersInTheirOwnColourAndLegendEntry) {
    const auto layers = nlohmann::json::parse(R"([
        {"name": "conv1", "hessian_trace": 0.1, "bits": 8},
        {"name": "fc1", "hessian_trace": 0.001, "bits": 2}])");
    SensitivityChart chart;
    chart.setLayers(layers, {});
    EXPECT_EQ(chart.barColour("fc1"), bitsColour(2));
    EXPECT_NE(bitsColour(2), bitsColour(4));
    EXPECT_NE(bitsColour(2), bitsColour(0));  // not the grey of "other width"
    chart.resize(480, 320);
    chart.show();
    QApplication::processEvents();
    const QStringList texts = testing::shownChartTexts(chart);
    for (const QString want : {"2-bit", "fc1 · 2 b"})
        EXPECT_TRUE(texts.contains(want))
            << want.toStdString() << " not in " << texts.join(" | ").toStdString();
}

TEST(QuantizePane, TheTwoBitOptionLetsMixedPrecisionChooseAmongTwoFourAndEightBits) {
    Workbench workbench;
    QuantizePane pane(workbench);
    auto* allow = pane.findChild<QCheckBox*>("allow2BitCheck");
    ASSERT_NE(allow, nullptr);
    EXPECT_EQ(pane.settings().bits, (std::vector<int>{4, 8}));  // off by default: the paper's widths
    allow->setChecked(true);
    EXPECT_EQ(pane.settings().bits, (std::vector<int>{2, 4, 8}));
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
