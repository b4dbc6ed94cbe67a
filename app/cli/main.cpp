// tinym2net: the headless face of the workbench (scripts and CI).

#include <csignal>
#include <cstdlib>
#include <iostream>

#include "app/cli/commands.h"
#include "app/cli/progress_printer.h"
#include "core/base/allocator_tuning.h"
#include "core/base/error.h"

int main(int argc, char** argv) {
    // LibTorch's OpenMP workers spin while waiting by default; on a shared
    // 2-core machine that makes 2 threads many times slower than 1. Passive
    // waiting must be chosen before the OpenMP runtime starts, i.e. here.
    setenv("OMP_WAIT_POLICY", "PASSIVE", /*overwrite=*/0);
    // Tensors of a few MB stay in the heap between steps (2.3× faster Hessian traces).
    tm2::keepLargeAllocationsInTheHeap();
    CLI::App app{"TinyM2Net Workbench: multimodal TinyML from dataset to device", "tinym2net"};
    app.require_subcommand(1);
    app.set_version_flag("--version", "0.1.0");
    tm2::cli::registerDataCommands(app);
    tm2::cli::registerDspCommands(app);
    tm2::cli::registerTrainCommands(app);
    tm2::cli::registerQuantCommands(app);
    tm2::cli::registerRuntimeCommands(app);
    tm2::cli::registerIlpCommand(app);
    tm2::cli::registerPowerCommand(app);
    tm2::cli::registerDeployCommand(app);
    tm2::cli::registerMcuCommand(app);
    tm2::cli::registerRunsCommands(app);
    tm2::cli::registerSweepCommands(app);
    tm2::cli::registerExplainCommand(app);
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e);
    } catch (const tm2::Cancelled&) {
        std::cerr << "tinym2net: cancelled\n";
        // 128 + signal, as a shell reports a process ended by it (130 Ctrl-C, 143 SIGTERM).
        return 128 + (tm2::cli::interruptSignal() ? tm2::cli::interruptSignal() : SIGINT);
    } catch (const tm2::Error& e) {
        std::cerr << "tinym2net: error: " << e.what() << "\n";
        return 1;
    } catch (const std::exception& e) {
        std::cerr << "tinym2net: internal error: " << e.what() << "\n";
        return 2;
    }
    return 0;
}
