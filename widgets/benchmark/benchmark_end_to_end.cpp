// The Benchmark pane's "Front-end vs network" group: the exported model's audio
// path timed on a recording (core/workflow/end_to_end_benchmark), charted as
// front-end, network and end-to-end bars with the method below them.

#include <QAction>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QStackedWidget>
#include <QVBoxLayout>

#include "core/workflow/end_to_end_benchmark.h"
#include "widgets/benchmark/benchmark_pane.h"
#include "widgets/benchmark/frontend_network_chart.h"
#include "widgets/common/task_runner.h"
#include "widgets/workbench.h"

namespace tm2::gui {

namespace {

QString microseconds(const nlohmann::json& stats, const char* key) {
    return QString::number(stats.value(key, 0.0), 'f', 1) + " µs";
}

}  // namespace

QWidget* BenchmarkPane::makeEndToEndBox() {
    auto* box = new QGroupBox(tr("Front-end vs network (audio path, this machine)"), this);
    box->setObjectName("endToEndBox");
    // The recording and the button on one line, the chart under them, the method
    // below it: as tall as the latency histogram beside it.
    auto* column = new QVBoxLayout(box);
    auto* file_row = new QHBoxLayout;
    e2e_audio_ = new QLineEdit(box);
    e2e_audio_->setObjectName("endToEndAudioEdit");
    e2e_audio_->setPlaceholderText(tr("wav, or empty: first test recording"));
    e2e_audio_->setToolTip(
        tr("A wav at the model's sample rate; left empty, the first test-split recording "
           "of the open dataset (resampled to the model's rate as training did)"));
    e2e_audio_->setMinimumWidth(180);
    e2e_browse_ = new QPushButton(tr("Browse…"), box);
    e2e_browse_->setObjectName("endToEndBrowseButton");
    connect(e2e_browse_, &QPushButton::clicked, this, [this] {
        const QString file =
            QFileDialog::getOpenFileName(this, tr("Recording at the model's sample rate"), e2e_audio_->text(),
                                         tr("WAV audio (*.wav);;All files (*)"));
        if (!file.isEmpty()) e2e_audio_->setText(file);
    });
    file_row->addWidget(e2e_audio_, 1);
    file_row->addWidget(e2e_browse_);
    e2e_action_ = new QAction(tr("Time front-end vs network"), this);
    e2e_action_->setToolTip(
        tr("Time the MFCC front-end, the network on its features and the two back to back "
           "(end-to-end) on the recording, each with the Runs and Warm-up above — the "
           "same loops as tinym2net-bench MODEL.tmn --audio FILE.wav"));
    connect(e2e_action_, &QAction::triggered, this, [this] { runEndToEnd(e2e_audio_->text().trimmed()); });
    e2e_button_ = new QPushButton(tr("Time front-end vs network"), box);
    e2e_button_->setObjectName("endToEndButton");
    e2e_button_->setToolTip(e2e_action_->toolTip());
    connect(e2e_button_, &QPushButton::clicked, e2e_action_, &QAction::trigger);
    file_row->addWidget(e2e_button_);
    column->addLayout(file_row);
    e2e_method_ = new QLabel(box);
    e2e_method_->setObjectName("endToEndMethodLabel");
    e2e_method_->setWordWrap(true);
    e2e_method_->setTextInteractionFlags(Qt::TextSelectableByMouse);

    e2e_stack_ = new QStackedWidget(box);
    e2e_placeholder_ = new QLabel(e2e_stack_);
    e2e_placeholder_->setObjectName("endToEndPlaceholder");
    e2e_placeholder_->setWordWrap(true);
    e2e_placeholder_->setAlignment(Qt::AlignCenter);
    e2e_placeholder_->setMinimumHeight(60);
    e2e_chart_ = new FrontendNetworkChart(e2e_stack_);
    e2e_stack_->addWidget(e2e_placeholder_);
    e2e_stack_->addWidget(e2e_chart_);
    column->addWidget(e2e_stack_, 1);
    column->addWidget(e2e_method_);
    clearEndToEnd();
    return box;
}

void BenchmarkPane::clearEndToEnd() {
    end_to_end_ = nullptr;
    e2e_chart_->clear();
    e2e_placeholder_->setText(
        tr("Not measured yet: time the front-end, the network and the two together on a "
           "recording (the model needs an audio input)."));
    e2e_stack_->setCurrentWidget(e2e_placeholder_);
    e2e_method_->clear();
}

QString BenchmarkPane::endToEndPlaceholder() const {
    return e2e_stack_->currentWidget() == e2e_placeholder_ ? e2e_placeholder_->text() : QString();
}

QString BenchmarkPane::endToEndMethod() const { return e2e_method_->text(); }

void BenchmarkPane::runEndToEnd(const QString& audio) {
    if (!ready()) return;
    if (workbench().modelPath().isEmpty()) {
        showError(tr("Front-end vs network: no model yet (export one first)."));
        return;
    }
    e2e_audio_->setText(audio);
    workflow::EndToEndBenchmarkOptions o;
    o.model = workbench().modelPath().toStdString();
    o.audio = audio.toStdString();
    if (audio.isEmpty()) o.dataset = workbench().dataset();
    o.runs = runs_->value();
    o.warmup = warmup_->value();
    runner().run(
        tr("Timing front-end vs network (%1 runs each)").arg(o.runs),
        [o](const TaskContext& c) { return workflow::toJson(workflow::runEndToEndBenchmark(o, c.progress)); },
        [this](const nlohmann::json& j) { showEndToEnd(j); });
}

void BenchmarkPane::showEndToEnd(const nlohmann::json& e) {
    end_to_end_ = e;
    const QString note = QString::fromStdString(e.value("note", ""));
    if (!e.value("has_frontend", false)) {
        // Zeros would read as "free": say why there is nothing to compare instead.
        e2e_chart_->clear();
        e2e_placeholder_->setText(tr("No front-end to time: %1.").arg(note));
        e2e_stack_->setCurrentWidget(e2e_placeholder_);
        e2e_method_->clear();
        return;
    }
    e2e_chart_->setBenchmark(e);
    e2e_stack_->setCurrentWidget(e2e_chart_);
    const auto& fe = e["frontend"];
    const auto& net = e["network"];
    const auto& all = e["end_to_end"];
    e2e_method_->setText(
        tr("<b>p50</b> front-end %1 + network %2; end-to-end %3 (p99 %4).<br>"
           "<b>Method:</b> %5 timed runs after %6 warm-up, for each bar; %7 thread; %8 network kernels, %9 "
           "MFCC; "
           "end-to-end is its own loop (front-end, inputs set, network), not the sum. Recording: %10.")
            .arg(microseconds(fe, "p50_us"), microseconds(net, "p50_us"), microseconds(all, "p50_us"),
                 microseconds(all, "p99_us"))
            .arg(e.value("runs", 0))
            .arg(e.value("warmup", 0))
            .arg(e.value("threads", 1))
            .arg(QString::fromStdString(e.value("kernel", "")),
                 QString::fromStdString(e.value("mfcc_kernel", "")),
                 QDir::toNativeSeparators(note).toHtmlEscaped()));
}

}  // namespace tm2::gui
