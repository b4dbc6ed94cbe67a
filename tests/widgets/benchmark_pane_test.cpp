#include "widgets/benchmark/benchmark_pane.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <QApplication>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QLineEdit>
#include <QScrollArea>
#include <QScrollBar>
#include <QSignalSpy>
#include <QSpinBox>
#include <cmath>
#include <filesystem>
#include <fstream>

#include "core/data/audio_decoder.h"
#include "tests/core/runtime/tiny_audio_model.h"
#include "tests/core/runtime/tiny_model.h"
#include "tests/support/temp_dir.h"
#include "tests/widgets/pane_test_workspace.h"
#include "tests/widgets/trained_demo_run.h"
#include "tests/widgets/widget_test_support.h"
#include "widgets/benchmark/frontend_network_chart.h"
#include "widgets/benchmark/latency_histogram_chart.h"
#include "widgets/benchmark/parity_table.h"
#include "widgets/benchmark/power_trace_chart.h"
#include "widgets/common/message_banner.h"
#include "widgets/common/task_runner.h"
#include "widgets/common/target_fit_view.h"
#include "widgets/main_window.h"
#include "widgets/workbench.h"

namespace tm2::gui {
namespace {

namespace fs = std::filesystem;

// A USB power-meter log at 10 Hz: 3 × (3 s idle at 1.0 W, 2 s inference at 2.5 W), then 3 s idle.
// Inference above idle: 2.5 − 1.0 W = 1500 mW; busy 6 s.
std::string syntheticPowerLog() {
    std::string csv = "time,watts\n";
    int i = 0;
    auto add = [&](double watts, int samples) {
        for (int k = 0; k < samples; ++k, ++i)
            csv += std::to_string(i * 0.1) + "," + std::to_string(watts) + "\n";
    };
    for (int burst = 0; burst < 3; ++burst) {
        add(1.0, 30);
        add(2.5, 20);
    }
    add(1.0, 30);
    return csv;
}

class BenchmarkPaneTest : public ::testing::Test {
protected:
    static void SetUpTestSuite() { testing::trainedDemoRun(); }
    void SetUp() override {
        workbench_.setWorkspace(QString::fromStdString(dir_.file("workspace")));
        workbench_.setRunDir(QString::fromStdString(testing::trainedDemoRun().run_dir));
        pane_.resize(1400, 900);
    }
    ::testing::AssertionResult finish() {
        if (!pane_.runner().wait(240000)) return ::testing::AssertionFailure() << "job still running";
        if (pane_.banner()->isError())
            return ::testing::AssertionFailure() << pane_.banner()->text().toStdString();
        return ::testing::AssertionSuccess();
    }
    testing::TempDir dir_;
    Workbench workbench_;
    BenchmarkPane pane_{workbench_};
};

TEST_F(BenchmarkPaneTest, ExportsInt8BenchmarksItAndReadsAPowerLog) {
    EXPECT_TRUE(pane_.estimateText().isEmpty());
    pane_.exportModel("int8");
    ASSERT_TRUE(finish());
    ASSERT_FALSE(workbench_.modelPath().isEmpty());
    EXPECT_TRUE(fs::exists(workbench_.modelPath().toStdString()));
    // Nothing measured on a device: the Pi 4 figure is there, and says it is an estimate.
    EXPECT_TRUE(pane_.estimateText().contains("estimate")) << pane_.estimateText().toStdString();

    // The exported model against the network: identical to the integer-exact evaluation.
    pane_.checkParity();
    ASSERT_TRUE(finish());
    const auto parity = pane_.lastParity();
    ASSERT_TRUE(parity.is_object());
    EXPECT_GT(parity["samples"].get<int>(), 0);
    EXPECT_EQ(parity["integer_reference"]["max_logit_diff"].get<double>(), 0.0);
    EXPECT_EQ(pane_.parityTable()->rowCount(), static_cast<int>(parity["layers"].size()));
    EXPECT_GT(pane_.parityTable()->rowCount(), 5);
    EXPECT_EQ(pane_.parityTable()->mismatchedLayers(), 0);
    EXPECT_TRUE(pane_.findChild<QLabel*>("paritySummaryLabel")->text().contains("identical logits"));

    // On the default target, the Cortex-M4: flash is the file + the runtime's measured code.
    const auto* target = pane_.findChild<TargetFitView*>("benchmarkTargetFit");
    ASSERT_NE(target, nullptr);
    ASSERT_TRUE(target->fit().has_value()) << target->text().toStdString();
    const auto model_bytes = static_cast<double>(fs::file_size(workbench_.modelPath().toStdString()));
    EXPECT_DOUBLE_EQ(target->fit()->flash.used, model_bytes + device::presetTarget("cortex-m4").runtime_flash_bytes);
    EXPECT_FALSE(target->fit()->latency_measured);

    // The same model as a microcontroller project.
    pane_.exportForMicrocontroller(QString::fromStdString(dir_.file("mcu")));
    ASSERT_TRUE(finish());
    const auto mcu = pane_.lastMcuExport();
    // Two paths, one arena: the project's static array is what the target view counts.
    EXPECT_DOUBLE_EQ(target->fit()->ram.used - static_cast<double>(device::presetTarget("cortex-m4").runtime_ram_bytes),
                     mcu["ram"]["arena_bytes"].get<double>());
    EXPECT_GT(mcu["ram"]["arena_bytes"].get<double>(), 0.0);
    EXPECT_EQ(mcu["flash"]["model_bytes"].get<std::uintmax_t>(), fs::file_size(workbench_.modelPath().toStdString()));
    for (const char* file : {"model_data.c", "model_data.h", "main.cpp", "Makefile", "footprint.json"})
        EXPECT_TRUE(fs::exists(fs::path(dir_.file("mcu")) / file)) << file;
    EXPECT_TRUE(pane_.findChild<QLabel*>("mcuSummaryLabel")->text().contains("Microcontroller project"));

    pane_.findChild<QSpinBox*>("benchmarkWarmupSpin")->setValue(5);
    pane_.runLocalBenchmark(50);
    ASSERT_TRUE(finish());
    const auto b = pane_.lastBenchmark();
    ASSERT_TRUE(b.is_object());
    EXPECT_EQ(b["runs"].get<int>(), 50);
    EXPECT_GT(b["network"]["p50_us"].get<double>(), 0.0);
    EXPECT_LE(b["network"]["p50_us"].get<double>(), b["network"]["p99_us"].get<double>());
    EXPECT_EQ(pane_.histogram()->sampleCount(), 50);
    EXPECT_GT(pane_.histogram()->binCount(), 0);
    EXPECT_EQ(b["file_bytes"].get<std::uintmax_t>(), fs::file_size(workbench_.modelPath().toStdString()));
    EXPECT_GT(b["arena_bytes"].get<double>(), 0.0);
    EXPECT_GT(b["macs"].get<double>(), 0.0);
    // The demo's audio branch carries its MFCC settings, so the front-end is timed too.
    EXPECT_TRUE(b["frontend"].is_object()) << b["frontend_note"];
    // Measured here: on "this machine" the target view shows the measurement, elsewhere the estimate.
    workbench_.setTarget(device::presetTarget("host"));
    EXPECT_TRUE(target->fit()->latency_measured);
    EXPECT_DOUBLE_EQ(target->fit()->latency.used, b["network"]["p50_us"].get<double>());
    EXPECT_DOUBLE_EQ(target->fit()->ram.used - static_cast<double>(device::presetTarget("host").runtime_ram_bytes),
                     b["arena_bytes"].get<double>());
    workbench_.setTarget(device::presetTarget("pi4"));
    EXPECT_FALSE(target->fit()->latency_measured);

    const std::string csv = dir_.file("power.csv");
    testing::writeTextFile(csv, syntheticPowerLog());
    pane_.findChild<QDoubleSpinBox*>("powerRateSpin")->setValue(100);  // 100 inferences/s while busy
    ASSERT_TRUE(pane_.importPowerLog(QString::fromStdString(csv))) << pane_.banner()->text().toStdString();
    const auto p = pane_.lastPowerReport();
    EXPECT_NEAR(p["mean_above_idle_mw"].get<double>(), 1500.0, 30.0);
    EXPECT_NEAR(p["idle_w"].get<double>(), 1.0, 0.02);
    // 1.5 W for 6 s = 9 J over 600 inferences = 15 mJ each.
    EXPECT_NEAR(p["energy_per_inference_mj"].get<double>(), 15.0, 0.5);
    EXPECT_EQ(pane_.powerChart()->shadedSegments(), 3);
    EXPECT_FALSE(pane_.banner()->isError());
    testing::saveScreenshot(pane_, "benchmark");
}

TEST_F(BenchmarkPaneTest, AMalformedPowerLogNamesTheLineInTheBanner) {
    std::string csv = syntheticPowerLog();
    // Line 4 of the file (header = line 1) gets a power that is not a number.
    std::size_t at = 0;
    for (int n = 0; n < 3; ++n) at = csv.find('\n', at) + 1;
    csv.replace(at, csv.find('\n', at) - at, "0.300000,watts?");
    testing::writeTextFile(dir_.path() / "bad.csv", csv);
    EXPECT_FALSE(pane_.importPowerLog(QString::fromStdString(dir_.file("bad.csv"))));
    EXPECT_TRUE(pane_.banner()->isError());
    EXPECT_TRUE(pane_.banner()->text().contains("line 4")) << pane_.banner()->text().toStdString();

    testing::writeTextFile(dir_.path() / "empty.csv", "nothing,here\n");
    EXPECT_FALSE(pane_.importPowerLog(QString::fromStdString(dir_.file("empty.csv"))));
    EXPECT_TRUE(pane_.banner()->text().contains("empty.csv")) << pane_.banner()->text().toStdString();
}

TEST_F(BenchmarkPaneTest, AnUnreachableDeviceEndsInTheBanner) {
    if (!fs::exists("/usr/bin/ssh")) GTEST_SKIP() << "ssh not installed";
    // A loopback port nobody listens on.
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    socklen_t len = sizeof addr;
    getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
    close(fd);
    testing::writeTextFile(dir_.path() / "model.tmn", "not read before the host answers");
    workbench_.setModelPath(QString::fromStdString(dir_.file("model.tmn")));
    pane_.findChild<QLineEdit*>("deviceHostEdit")->setText("pi@127.0.0.1");
    pane_.findChild<QSpinBox*>("devicePortSpin")->setValue(ntohs(addr.sin_port));
    pane_.findChild<QLineEdit*>("deviceKnownHostsEdit")
        ->setText(QString::fromStdString(dir_.file("known_hosts")));
    pane_.runOnDevice();
    ASSERT_TRUE(pane_.runner().wait(60000));
    EXPECT_TRUE(pane_.banner()->isError());
    EXPECT_TRUE(pane_.banner()->text().contains("127.0.0.1")) << pane_.banner()->text().toStdString();
    EXPECT_TRUE(pane_.lastDeviceResult().is_null());
}

// 1 s of a 440 Hz tone at 16 kHz, the hand-made keyword spotter's rate and window.
void writeTone(const std::string& path) {
    std::vector<float> tone(16000);
    for (std::size_t i = 0; i < tone.size(); ++i)
        tone[i] = static_cast<float>(0.3 * std::sin(2.0 * M_PI * 440.0 * static_cast<double>(i) / 16000.0));
    data::writeWav(path, tone, 16000);
}

// The pane with a model made by hand (no training, no export): `model` is written as model.tmn.
struct FrontEndPane {
    testing::TempDir dir;
    Workbench workbench;
    std::unique_ptr<BenchmarkPane> pane;
    explicit FrontEndPane(const runtime::Model& model) {
        workbench.setWorkspace(QString::fromStdString(dir.file("workspace")));
        runtime::writeModel(dir.file("model.tmn"), model);
        workbench.setModelPath(QString::fromStdString(dir.file("model.tmn")));
        pane = std::make_unique<BenchmarkPane>(workbench);
        pane->findChild<QSpinBox*>("benchmarkRunsSpin")->setValue(40);
        pane->findChild<QSpinBox*>("benchmarkWarmupSpin")->setValue(2);
    }
    ::testing::AssertionResult finish() {
        if (!pane->runner().wait(120000)) return ::testing::AssertionFailure() << "job still running";
        if (pane->banner()->isError())
            return ::testing::AssertionFailure() << pane->banner()->text().toStdString();
        return ::testing::AssertionSuccess();
    }
};

TEST(BenchmarkPaneFrontEnd, ChartsFrontEndNetworkAndEndToEndWithEveryLabelWholeAtALaptopSize) {
    FrontEndPane f(runtime::fixtures::audioOnlyModel());
    BenchmarkPane& pane = *f.pane;
    pane.resize(1280, 620);  // the pane's share of a 1280×720 window
    pane.show();
    EXPECT_TRUE(pane.endToEndPlaceholder().contains("Not measured yet"))
        << pane.endToEndPlaceholder().toStdString();
    writeTone(f.dir.file("tone.wav"));
    pane.runEndToEnd(QString::fromStdString(f.dir.file("tone.wav")));
    ASSERT_TRUE(f.finish());
    const nlohmann::json e = pane.lastEndToEnd();
    ASSERT_TRUE(e.value("has_frontend", false)) << e.dump();
    EXPECT_EQ(e["runs"], 40);
    QApplication::processEvents();
    FrontendNetworkChart* chart = pane.frontendChart();
    EXPECT_TRUE(chart->isVisible());
    EXPECT_TRUE(pane.endToEndPlaceholder().isEmpty());
    EXPECT_EQ(chart->barCount(), 6);  // front-end, network, end-to-end × p50, p90
    EXPECT_GE(chart->height(), 150);
    EXPECT_GE(chart->width(), 300);
    // As laid out at 1280×720: every category and every bar's µs shown whole, nothing overlapping.
    const QStringList shown = testing::shownChartTexts(*chart);
    for (const QString& category : FrontendNetworkChart::categories())
        EXPECT_TRUE(shown.contains(category))
            << category.toStdString() << ": " << shown.join(" | ").toStdString();
    for (const char* part : {"frontend", "network", "end_to_end"})
        for (const char* key : {"p50_us", "p90_us"}) {
            // The bar's label: its value to one decimal ('g' drops a trailing ".0"), then the unit.
            const QString label =
                QString::number(std::round(10.0 * e[part][key].get<double>()) / 10.0, 'g', 9) + " µs";
            EXPECT_TRUE(shown.contains(label)) << part << " " << key << " '" << label.toStdString()
                                               << "' not shown: " << shown.join(" | ").toStdString();
        }
    for (const QString& text : shown)
        EXPECT_FALSE(text.endsWith("...") || text.endsWith(QChar(0x2026)))
            << "'" << text.toStdString() << "' is elided";
    EXPECT_TRUE(testing::overlappingChartTexts(*chart).isEmpty())
        << testing::overlappingChartTexts(*chart).join(", ").toStdString();
    // The method beside it: runs, threads, the kernels that ran, where the recording came from.
    const QString method = pane.endToEndMethod();
    for (const QString& part :
         {QString("40 timed runs"), QString("2 warm-up"), QString("1 thread"),
          QString::fromStdString(e["kernel"].get<std::string>()),
          QString::fromStdString(e["mfcc_kernel"].get<std::string>()), QString("tone.wav")})
        EXPECT_TRUE(method.contains(part)) << part.toStdString() << " not in: " << method.toStdString();
    // The pane scrolls to the group (once its layout has settled) for the screenshot.
    QApplication::processEvents();
    pane.findChild<QScrollArea*>("paneScroll")
        ->ensureWidgetVisible(pane.findChild<QWidget*>("endToEndBox"), 0, 0);
    QApplication::processEvents();
    testing::saveScreenshot(pane, "benchmark-frontend-vs-network-1280x620");

    // A new model clears the figures of the old one.
    f.workbench.setModelPath(QString());
    EXPECT_TRUE(pane.lastEndToEnd().is_null());
    EXPECT_FALSE(chart->isVisible());
}

// At a laptop's 1280×720 the network's latency histogram and the front-end vs network
// chart are both whole in the pane's view as it opens: neither needs scrolling to.
TEST(BenchmarkPaneFrontEnd, TheLatencyHistogramAndTheFrontEndChartAreBothInViewAt1280x720) {
    testing::TempDir dir;
    MainWindow window;
    window.resize(1280, 720);
    window.show();
    window.workbench().setWorkspace(QString::fromStdString(dir.file("workspace")));
    runtime::writeModel(dir.file("model.tmn"), runtime::fixtures::audioOnlyModel());
    window.workbench().setModelPath(QString::fromStdString(dir.file("model.tmn")));
    BenchmarkPane& pane = *window.benchmarkPane();
    window.showPane(&pane);
    pane.findChild<QSpinBox*>("benchmarkWarmupSpin")->setValue(2);
    pane.runLocalBenchmark(40);
    ASSERT_TRUE(pane.runner().wait(120000));
    writeTone(dir.file("tone.wav"));
    pane.runEndToEnd(QString::fromStdString(dir.file("tone.wav")));
    ASSERT_TRUE(pane.runner().wait(120000));
    ASSERT_FALSE(pane.banner()->isError()) << pane.banner()->text().toStdString();
    QApplication::processEvents();
    QApplication::processEvents();
    auto* scroll = pane.findChild<QScrollArea*>("paneScroll");
    scroll->verticalScrollBar()->setValue(0);
    QApplication::processEvents();
    const QWidget* charts[] = {pane.histogram(), pane.frontendChart()};
    for (const QWidget* chart : charts) {
        ASSERT_TRUE(chart->isVisible()) << chart->objectName().toStdString();
        const QRect in_view(chart->mapTo(scroll->viewport(), QPoint(0, 0)), chart->size());
        EXPECT_TRUE(scroll->viewport()->rect().contains(in_view))
            << chart->objectName().toStdString() << " at y " << in_view.top() << ".." << in_view.bottom()
            << ", the view shows 0.." << scroll->viewport()->height() - 1;
        EXPECT_GE(chart->height(), 150) << chart->objectName().toStdString();
    }
    // Side by side: the front-end chart right of the histogram, not below it.
    EXPECT_GT(pane.frontendChart()->mapTo(&pane, QPoint(0, 0)).x(),
              pane.histogram()->mapTo(&pane, QPoint(0, 0)).x() + pane.histogram()->width() - 1);
    testing::saveScreenshot(window, "benchmark-pane-1280x720");
}

TEST(BenchmarkPaneFrontEnd, WithoutARecordingTimesTheOpenDatasetsFirstTestRecording) {
    FrontEndPane f(
        runtime::fixtures::audioOnlyModel());  // its "audio" input is the demo's 1 s, 16 kHz column
    f.workbench.setDataset(testing::tinyDemoDatasetOptions());
    f.pane->runEndToEnd(QString());
    ASSERT_TRUE(f.finish());
    const nlohmann::json e = f.pane->lastEndToEnd();
    ASSERT_TRUE(e.value("has_frontend", false)) << e.dump();
    EXPECT_NE(e["note"].get<std::string>().find("first test-split sample"), std::string::npos) << e["note"];
    EXPECT_TRUE(f.pane->endToEndMethod().contains("first test-split sample"));
    EXPECT_EQ(f.pane->frontendChart()->barCount(), 6);
}

TEST(BenchmarkPaneFrontEnd, SaysSoInTheChartsPlaceWhenTheModelHasNoAudioFrontEnd) {
    FrontEndPane f(runtime::fixtures::tinyModel());  // one image input
    f.pane->resize(1280, 620);
    f.pane->show();
    f.pane->runEndToEnd(QString());
    ASSERT_TRUE(f.finish());
    EXPECT_FALSE(f.pane->lastEndToEnd().value("has_frontend", true));
    EXPECT_TRUE(f.pane->endToEndPlaceholder().contains("No front-end to time"))
        << f.pane->endToEndPlaceholder().toStdString();
    EXPECT_FALSE(f.pane->frontendChart()->isVisible());  // no bars of zeros
    EXPECT_EQ(f.pane->frontendChart()->barCount(), 0);
}

TEST(BenchmarkPaneFrontEnd, ABrokenRecordingEndsInTheBannerNamingTheFile) {
    FrontEndPane f(runtime::fixtures::audioOnlyModel());
    testing::writeTextFile(f.dir.path() / "broken.wav", "RIFF but nothing else");
    f.pane->runEndToEnd(QString::fromStdString(f.dir.file("broken.wav")));
    ASSERT_TRUE(f.pane->runner().wait(60000));
    EXPECT_TRUE(f.pane->banner()->isError());
    EXPECT_TRUE(f.pane->banner()->text().contains("broken.wav")) << f.pane->banner()->text().toStdString();
    EXPECT_TRUE(f.pane->lastEndToEnd().is_null());
}

TEST(BenchmarkPaneFrontEnd, CancelStopsTheTimingAndKeepsTheChartEmpty) {
    FrontEndPane f(runtime::fixtures::audioOnlyModel());
    writeTone(f.dir.file("tone.wav"));
    // A million runs of each loop: minutes, far more than the test waits for.
    f.pane->findChild<QSpinBox*>("benchmarkRunsSpin")->setValue(1000000);
    QSignalSpy cancelled(&f.pane->runner(), &TaskRunner::cancelled);
    QSignalSpy progress(&f.pane->runner(), &TaskRunner::progress);
    f.pane->runEndToEnd(QString::fromStdString(f.dir.file("tone.wav")));
    ASSERT_TRUE(f.pane->runner().isRunning());
    ASSERT_TRUE(testing::waitUntil([&] { return progress.size() > 0; }, 30000));  // it reports as it goes
    f.pane->runner().cancel();
    ASSERT_TRUE(f.pane->runner().wait(30000));
    EXPECT_EQ(cancelled.size(), 1);
    EXPECT_FALSE(f.pane->banner()->isError()) << f.pane->banner()->text().toStdString();
    EXPECT_TRUE(f.pane->lastEndToEnd().is_null());
    EXPECT_TRUE(f.pane->endToEndPlaceholder().contains("Not measured yet"));
}

}  // namespace
}  // namespace tm2::gui
