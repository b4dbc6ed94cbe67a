#include "widgets/common/pane_help.h"

#include <QCoreApplication>

namespace tm2::gui::help {

namespace {
QString tr(const char* text) { return QCoreApplication::translate("PaneHelp", text); }

// The target-device view three panes share; `here` says what the pane feeds it.
QString targetHelp(const QString& here) {
    return tr("<dt><b>Target</b></dt><dd>The device chosen in the toolbar (Cortex-M4 with 128 KiB SRAM and 1 MiB "
              "flash, Raspberry Pi 4, this machine, or a custom one). RAM is the arena plus what the runtime "
              "itself needs there, flash the model plus the runtime's code (both measured on QEMU's Cortex-M4), "
              "latency a measurement where one was made on that device, else an estimate from the MACs; a line "
              "turns red when the model is over. Hover a line for how it was obtained. ") +
           here + "</dd>";
}
}  // namespace

QString dataset() {
    return tr("<dl>"
              "<dt><b>Splits</b></dt><dd>Train, validation and test never share a participant (speaker, "
              "patient): the model is chosen on validation and reported on test. A dataset's own split file "
              "stands unless you choose to resplit.</dd>"
              "<dt><b>Windows</b></dt><dd>Audio is cut into fixed windows; with chunking every window is a "
              "sample, and test figures are also given per recording and per participant.</dd>"
              "<dt><b>MFCC heat map</b></dt><dd>The first window's coefficients over time, each coefficient "
              "scaled to its own range.</dd></dl>");
}

QString network() {
    return tr("<dl>"
              "<dt><b>params</b></dt><dd>Weights plus biases of a layer (the Quantize pane counts weights "
              "only: they are what gets 4 or 8 bits; biases stay int32).</dd>"
              "<dt><b>MACs</b></dt><dd>Multiply-accumulates of one inference at batch 1.</dd>"
              "<dt><b>bytes</b></dt><dd>Float32 weight storage of the layer (4 bytes per parameter).</dd>") +
           targetHelp(tr("Here the arena is an estimate: INT8 activations planned as the runtime plans them, "
                         "without the kernels' scratch.")) +
           "</dl>";
}

QString train() {
    return tr("<dl>"
              "<dt><b>Best epoch</b></dt><dd>The epoch with the best validation score; its weights are the "
              "run's network and the test metrics are measured with them.</dd>"
              "<dt><b>UAR</b></dt><dd>Unweighted average recall (balanced accuracy): the mean of the "
              "per-class recalls, fair when classes are unbalanced.</dd>"
              "<dt><b>Running mean</b></dt><dd>The orange curve: the epoch's loss and accuracy so far, "
              "batch by batch.</dd>"
              "<dt><b>Resume</b></dt><dd>A cancelled run continues from its last finished epoch with the same "
              "settings (the epoch count may grow).</dd></dl>");
}

QString compare() {
    return tr("<dl>"
              "<dt><b>Same budget</b></dt><dd>The multimodal network and each single-modality variant train "
              "with the same epochs, batch size, learning rate and seed.</dd>"
              "<dt><b>Fusion gain</b></dt><dd>Multimodal test accuracy minus the best single-modality one, in "
              "points.</dd>"
              "<dt><b>Modality missing</b></dt><dd>The multimodal network tested with one input zeroed: how "
              "much it leans on each modality.</dd></dl>");
}

QString quantize() {
    return tr("<dl>"
              "<dt><b>Tr(H)</b></dt><dd>Trace of the loss Hessian over a layer's weights, estimated with "
              "Hutchinson's method (random ±1 probes): how sharply the loss reacts when that layer's weights "
              "move.</dd>"
              "<dt><b>Ω(b)</b></dt><dd>The layer's expected loss increase at b bits: Tr(H)/n · "
              "‖Q<sub>b</sub>(W) − W‖² (HAWQ-V3). The ILP picks the bits that minimise ΣΩ under the "
              "budgets.</dd>"
              "<dt><b>α</b></dt><dd>A budget as a fraction between the all-INT4 total (0) and the all-INT8 "
              "total (1).</dd>"
              "<dt><b>BOPS</b></dt><dd>Bit operations: each layer's MACs × its weight bits × the bits of the "
              "activations it reads.</dd>"
              "<dt><b>Weights</b></dt><dd>The numbers that get 4 or 8 bits (the Network pane's params add the "
              "int32 biases).</dd>"
              "<dt><b>Fake-quant vs integer-exact</b></dt><dd>Test accuracy is measured on the fake-quant "
              "network (weights and activations rounded to their codes, arithmetic in float); integer-exact "
              "runs the same codes through the integer pipeline the device runs (int32 accumulators, dyadic "
              "rescaling).</dd>") +
           targetHelp(tr("Here flash follows the budget sliders: the live plan's weights.")) + "</dl>";
}

QString benchmark() {
    return tr("<dl>"
              "<dt><b>Steps</b></dt><dd>Parity differences in units of the layer's output quantization step: "
              "1 step is one code apart.</dd>"
              "<dt><b>vs fake-quant / vs integer-exact</b></dt><dd>The exported model's outputs against the "
              "float simulation of the quantized network, and against its integer-exact simulation (which "
              "should match code for code).</dd>"
              "<dt><b>Arena</b></dt><dd>Activation and scratch memory the interpreter plans for the kernels it "
              "runs: here this machine's SIMD kernels (wider scratch); the microcontroller export plans for the "
              "portable kernels, so its arena is usually smaller.</dd>"
              "<dt><b>Weights vs model file</b></dt><dd>Weights: the weights as the interpreter holds them "
              "(INT8 one byte each, INT4 packed two per byte, INT2 four) plus int32 biases and multipliers. "
              "Model file: the .tmn on disk. The MCU footprint splits flash (the file) from RAM (arena + load-time "
              "copies).</dd>"
              "<dt><b>p50 / p90 / p99</b></dt><dd>Latency percentiles (nearest rank) over the timed runs; the "
              "orange bar holds the slowest runs (at most one in twenty).</dd>") +
           targetHelp(tr("Here the exported model: its file, and the arena planned for the kernels that target "
                         "runs.")) +
           "</dl>";
}

QString experiments() {
    return tr("<dl>"
              "<dt><b>Test accuracy</b></dt><dd>One vocabulary for every run kind: a training's test accuracy, "
              "a comparison's multimodal network's, a quantized network's (fake-quant). Hover a cell for the "
              "metric's exact name.</dd>"
              "<dt><b>Parent run</b></dt><dd>The comparison a variant belongs to, the run a resumed run "
              "continues, or the trained folder a quantize run quantized.</dd>"
              "<dt><b>Side by side</b></dt><dd>Rows whose runs differ are highlighted.</dd>"
              "<dt><b>Sweeps</b></dt><dd>Many trainings from one SWEEP.json. Parallel coordinates: one line "
              "per trial from its axis values to the chosen metric. Pareto front: the trials no other beats on "
              "both size and accuracy. Across seeds: mean ± 95 % confidence interval (Student t) of the trials "
              "that differ only in seed; n is how many finished.</dd></dl>");
}

}  // namespace tm2::gui::help
