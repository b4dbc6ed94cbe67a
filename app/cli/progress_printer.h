#pragma once
// A terminal progress bar on stderr (redrawn in place on a TTY, a line every
// 10 % otherwise, nothing with --quiet) and Ctrl-C or SIGTERM as cancellation:
// the first signal makes the callback return false so core stops cleanly.

#include <chrono>
#include <string>

#include "core/base/progress.h"

namespace tm2::cli {

class ProgressPrinter {
public:
    explicit ProgressPrinter(bool quiet = false);
    ~ProgressPrinter();  // finishes the line
    ProgressCallback callback();

private:
    bool onProgress(const Progress& p);
    bool quiet_;
    bool tty_;
    int last_decile_ = -1;
    std::string last_stage_;
    std::chrono::steady_clock::time_point start_;
    bool drawn_ = false;
};

// Installs the SIGINT and SIGTERM handler (idempotent); true once either arrived.
void installInterruptHandler();
bool interruptRequested();
int interruptSignal();  // the signal that asked to stop (SIGINT, SIGTERM), 0 when none

}  // namespace tm2::cli
