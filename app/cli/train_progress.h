#pragma once
// Training progress on stderr: a live line on a TTY, one line per epoch otherwise.

#include <string>

#include "core/train/trainer.h"

namespace tm2::cli {

class TrainProgressPrinter {
public:
    explicit TrainProgressPrinter(bool quiet);
    ~TrainProgressPrinter();
    void setVariant(const std::string& name);  // "multimodal", "only audio", …
    train::TrainCallback callback();

private:
    bool onEvent(const train::TrainEvent& e);
    bool quiet_;
    bool tty_;
    bool drawn_ = false;
    std::string variant_;
};

}  // namespace tm2::cli
