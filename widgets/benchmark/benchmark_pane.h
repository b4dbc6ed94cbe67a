#pragma once
// The Benchmark pane: the exported .tmn model (or export one from the run with
// a plan), checked against the network on the test split (parity per layer),
// exported as a microcontroller project (C array + runtime sources), timed in this process (latency
// histogram, p50/p90/p99, front-end, arena and model size; the audio path's front-end vs network vs
// end-to-end on a recording, charted side by side) or on a Raspberry Pi over SSH, a power-meter log's idle
// and inference power, and — when no device was measured — a labelled Raspberry Pi 4 estimate from the
// model's MACs.

#include <QString>
#include <nlohmann/json.hpp>

#include "widgets/common/pane.h"

class QAction;
class QComboBox;
class QDoubleSpinBox;
class QGroupBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;
class QStackedWidget;

namespace tm2::workflow {
struct ExportRequest;
}

namespace tm2::gui {

class FrontendNetworkChart;
class LatencyHistogramChart;
class RunPicker;
class ParityTable;
class PowerTraceChart;
class TargetFitView;

class BenchmarkPane : public Pane {
    Q_OBJECT
public:
    explicit BenchmarkPane(Workbench& workbench, QWidget* parent = nullptr);
    QString title() const override { return tr("Benchmark"); }
    QList<QAction*> mainActions() const override;
    void saveSettings(QSettings& settings) const override;
    void restoreSettings(QSettings& settings) override;

    // What the buttons do (for tests). exportModel: int8 | int4 (uniform, or the
    // Quantize pane's plan when there is one) | mp (needs the mp plan).
    void exportModel(const QString& mode);
    // The same plan's network as ONNX (QDQ form) beside it: RUN/model-MODE.onnx.
    void exportOnnx(const QString& mode);
    nlohmann::json lastOnnxExport() const { return onnx_export_; }
    void runLocalBenchmark(int runs);
    void runOnDevice();
    // Front-end vs network vs end-to-end on `audio` (a wav at the model's rate;
    // empty: the first test-split recording of the open dataset), with the Runs and
    // Warm-up of the local benchmark.
    void runEndToEnd(const QString& audio);
    nlohmann::json lastEndToEnd() const { return end_to_end_; }
    FrontendNetworkChart* frontendChart() const { return e2e_chart_; }
    // What stands in the chart's place when there is no chart (empty while the chart shows).
    QString endToEndPlaceholder() const;
    QString endToEndMethod() const;
    // The runtime against the run's network on the test split (eval-runtime).
    void checkParity();
    // The model as a microcontroller project in `out_dir` (export-mcu).
    void exportForMicrocontroller(const QString& out_dir);
    nlohmann::json lastMcuExport() const { return mcu_export_; }
    nlohmann::json lastParity() const { return parity_; }
    ParityTable* parityTable() const { return parity_table_; }
    nlohmann::json lastBenchmark() const { return last_benchmark_; }
    nlohmann::json lastDeviceResult() const { return device_result_; }
    nlohmann::json lastPowerReport() const { return power_report_; }
    // Reads and analyses a power-meter CSV; false (with the reason in the banner)
    // when it cannot be analysed or some lines were malformed (those are named).
    bool importPowerLog(const QString& csv);

    LatencyHistogramChart* histogram() const { return histogram_; }
    PowerTraceChart* powerChart() const { return power_chart_; }
    QString estimateText() const;

private:
    void onModelChanged(const QString& path);
    // A finished job's result, shown (each job's `done`).
    void showExport(const nlohmann::json& j);
    void showOnnxExport(const nlohmann::json& j);
    void showParity(const nlohmann::json& j);
    void showMcuExport(const nlohmann::json& j);
    void showBenchmark(const nlohmann::json& b);
    void showDeviceResult(const nlohmann::json& r);
    void showEndToEnd(const nlohmann::json& e);
    void clearEndToEnd();
    // The pane's groups, each with its controls and actions (the constructor places them).
    QGroupBox* makeModelBox();                   // export, ONNX, parity and MCU buttons for the plan
    QGroupBox* makeLocalBox(QWidget* parent);    // this machine: runs, warm-up, latency histogram
    QGroupBox* makeDeviceBox(QWidget* parent);   // Raspberry Pi over SSH, the estimate
    QGroupBox* makeParityBox(QWidget* parent);   // the exported model against the network, per layer
    QGroupBox* makePowerBox();                   // USB power-meter log and its trace
    // The "Front-end vs network" group: recording, run button, chart (or why there is none), method.
    QWidget* makeEndToEndBox();
    void updateEstimate(std::uint64_t macs, std::size_t ops);
    // The exported model's RAM, flash and latency on the target (measured where measured).
    void updateTargetFit();
    void updateEnabled();
    // False (and the banner says why) while this or another LibTorch pane runs a job.
    bool ready();
    // The export request for `mode` (int8 | int4 | mp) with output RUN/model-MODE.<extension>;
    // false (the reason in the banner, prefixed with `what`) when there is nothing to export.
    bool exportRequestFor(const QString& mode, const QString& what, const std::string& extension,
                          workflow::ExportRequest& request);
    QString defaultBench() const;

    nlohmann::json last_benchmark_, device_result_, power_report_, parity_, mcu_export_, onnx_export_,
        end_to_end_;

    RunPicker* run_picker_;
    QLabel* model_label_;
    QComboBox* plan_;
    QPushButton* export_button_;
    QPushButton* onnx_button_;
    QPushButton* parity_button_;
    QPushButton* mcu_button_;
    QLabel* mcu_summary_;
    QLabel* parity_summary_;
    ParityTable* parity_table_;
    QSpinBox* runs_;
    QSpinBox* warmup_;
    QPushButton* local_button_;
    QLabel* local_stats_;
    LatencyHistogramChart* histogram_;
    QLineEdit* e2e_audio_;
    QPushButton* e2e_browse_;
    QPushButton* e2e_button_;
    QStackedWidget* e2e_stack_;
    QLabel* e2e_placeholder_;
    FrontendNetworkChart* e2e_chart_;
    QLabel* e2e_method_;
    QLabel* estimate_label_;
    TargetFitView* target_fit_;
    QLineEdit* host_;
    QSpinBox* port_;
    QLineEdit* identity_;
    QLineEdit* known_hosts_;
    QLineEdit* bench_;
    QPushButton* device_button_;
    QLabel* device_summary_;
    QPlainTextEdit* device_json_;
    QPushButton* power_button_;
    QDoubleSpinBox* inferences_;
    QDoubleSpinBox* rate_;
    QLabel* power_summary_;
    PowerTraceChart* power_chart_;
    QAction* export_action_;
    QAction* onnx_action_;
    QAction* parity_action_;
    QAction* mcu_action_;
    QAction* local_action_;
    QAction* e2e_action_;
    QAction* device_action_;
    QAction* power_action_;
};

}  // namespace tm2::gui
