// tinym2net-gui: the workbench window.
//   tinym2net-gui [--dataset DIR] [--workspace DIR] [--threads N]
// Without --dataset it reopens the last session's dataset, run, plans and model.

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <cstdlib>

#include "core/base/allocator_tuning.h"
#include "core/workflow/dataset_options.h"
#include "widgets/main_window.h"
#include "widgets/workbench.h"

int main(int argc, char** argv) {
    // LibTorch's OpenMP workers must wait passively on a shared machine (see app/cli/main.cpp).
    setenv("OMP_WAIT_POLICY", "PASSIVE", /*overwrite=*/0);
    tm2::keepLargeAllocationsInTheHeap();  // see core/base/allocator_tuning.h
    QApplication app(argc, argv);
    QApplication::setOrganizationName("tinym2net");
    QApplication::setApplicationName("TinyM2Net Workbench");
    QApplication::setApplicationVersion("0.1.0");

    QCommandLineParser parser;
    parser.setApplicationDescription("TinyM2Net Workbench: multimodal TinyML from dataset to device");
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption dataset({"d", "dataset"}, "Open this dataset folder or manifest.csv.", "DIR");
    const QCommandLineOption workspace({"w", "workspace"}, "Experiment store and run folders.", "DIR");
    const QCommandLineOption threads("threads", "Worker threads (default: the saved setting, else 1).", "N");
    parser.addOptions({dataset, workspace, threads});
    parser.process(app);

    tm2::gui::MainWindow window;
    window.restoreSettings();
    if (parser.isSet(workspace))
        window.workbench().setWorkspace(QDir(parser.value(workspace)).absolutePath());
    if (parser.isSet(threads)) window.workbench().setThreads(std::max(1, parser.value(threads).toInt()));
    if (parser.isSet(dataset)) {
        tm2::workflow::DatasetOptions options;
        options.path = QDir(parser.value(dataset)).absolutePath().toStdString();
        options.threads = window.workbench().threads();
        window.workbench().setDataset(options);
    } else {
        window.reopenSession();  // where the last session left off: dataset, run, plans, model
    }
    window.show();
    return QApplication::exec();
}
