#include "app/cli/progress_printer.h"

#include <unistd.h>

#include <atomic>
#include <csignal>
#include <cstdio>

namespace tm2::cli {

namespace {
std::atomic<int> g_signal{0};
extern "C" void onInterrupt(int signal) { g_signal = signal; }
}  // namespace

void installInterruptHandler() {
    struct sigaction action {};
    action.sa_handler = onInterrupt;
    sigemptyset(&action.sa_mask);
    // The first signal stops cleanly; a second one (the handler reset) ends the process at once.
    action.sa_flags = SA_RESETHAND;
    // SIGTERM is what `timeout`, systemd and Slurm send: handled like Ctrl-C, so the
    // run is recorded as cancelled and its checkpoint kept.
    for (int signal : {SIGINT, SIGTERM}) sigaction(signal, &action, nullptr);
}

bool interruptRequested() { return g_signal != 0; }
int interruptSignal() { return g_signal; }

ProgressPrinter::ProgressPrinter(bool quiet)
    : quiet_(quiet), tty_(isatty(STDERR_FILENO) != 0), start_(std::chrono::steady_clock::now()) {
    installInterruptHandler();
}

ProgressPrinter::~ProgressPrinter() {
    if (drawn_ && tty_) std::fputc('\n', stderr);
}

ProgressCallback ProgressPrinter::callback() {
    return [this](const Progress& p) { return onProgress(p); };
}

bool ProgressPrinter::onProgress(const Progress& p) {
    if (interruptRequested()) return false;
    if (quiet_ || p.total == 0) return true;
    if (p.stage != last_stage_) {
        if (drawn_ && tty_) std::fputc('\n', stderr);
        last_stage_ = p.stage;
        last_decile_ = -1;
        start_ = std::chrono::steady_clock::now();
    }
    const double fraction = static_cast<double>(p.done) / static_cast<double>(p.total);
    const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    const double eta = fraction > 0 ? elapsed * (1 - fraction) / fraction : 0;
    if (tty_) {
        constexpr int kWidth = 30;
        const int filled = static_cast<int>(fraction * kWidth);
        std::fprintf(stderr, "\r%-10s [%s%s] %3d%%  %zu/%zu  ETA %4.0fs ", p.stage.c_str(),
                     std::string(static_cast<std::size_t>(filled), '#').c_str(),
                     std::string(static_cast<std::size_t>(kWidth - filled), '.').c_str(),
                     static_cast<int>(fraction * 100), p.done, p.total, eta);
        drawn_ = true;
    } else {
        const int decile = static_cast<int>(fraction * 10);
        if (decile != last_decile_) {
            last_decile_ = decile;
            std::fprintf(stderr, "%s: %d%% (%zu/%zu), ETA %.0fs\n", p.stage.c_str(), decile * 10, p.done,
                         p.total, eta);
        }
    }
    std::fflush(stderr);
    return true;
}

}  // namespace tm2::cli
