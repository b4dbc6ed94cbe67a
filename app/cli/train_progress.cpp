#include "app/cli/train_progress.h"

#include <unistd.h>

#include <cstdio>

#include "app/cli/progress_printer.h"

namespace tm2::cli {

TrainProgressPrinter::TrainProgressPrinter(bool quiet) : quiet_(quiet), tty_(isatty(STDERR_FILENO) != 0) {
    installInterruptHandler();
}

TrainProgressPrinter::~TrainProgressPrinter() {
    if (drawn_) std::fputc('\n', stderr);
}

void TrainProgressPrinter::setVariant(const std::string& name) {
    if (drawn_) std::fputc('\n', stderr);
    drawn_ = false;
    variant_ = name;
    if (!quiet_) std::fprintf(stderr, "training %s\n", name.c_str());
}

train::TrainCallback TrainProgressPrinter::callback() {
    return [this](const train::TrainEvent& e) { return onEvent(e); };
}

bool TrainProgressPrinter::onEvent(const train::TrainEvent& e) {
    if (interruptRequested()) return false;
    if (quiet_) return true;
    if (e.kind == train::TrainEvent::Kind::Batch) {
        if (!tty_) return true;
        constexpr int kWidth = 20;
        const int filled = e.batches ? e.batch * kWidth / e.batches : 0;
        std::fprintf(stderr, "\repoch %d/%d [%s%s] loss %.4f acc %5.1f%%  ETA %4.0fs ", e.epoch, e.epochs,
                     std::string(static_cast<std::size_t>(filled), '#').c_str(),
                     std::string(static_cast<std::size_t>(kWidth - filled), '.').c_str(), e.loss, 100 * e.accuracy,
                     e.eta_s);
        drawn_ = true;
    } else {
        const auto& r = e.record;
        std::fprintf(stderr, "%sepoch %d/%d: loss %.4f acc %5.1f%%  val_loss %.4f val_acc %5.1f%%  (%.1f s)\n",
                     tty_ ? "\r\033[K" : "", r.epoch, e.epochs, r.train_loss, 100 * r.train_accuracy, r.val_loss,
                     100 * r.val_accuracy, r.seconds);
        drawn_ = false;
    }
    std::fflush(stderr);
    return true;
}

}  // namespace tm2::cli
