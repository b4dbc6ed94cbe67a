#pragma once
// One trained run of the tiny demo (1 epoch, batch 16, 1 thread) in a temp
// workspace, made once per test process and shared by the Quantize and
// Benchmark pane tests (a few seconds).

#include <memory>
#include <string>

#include "core/workflow/recorded_training.h"
#include "core/workflow/training_session.h"
#include "tests/support/temp_dir.h"
#include "tests/widgets/widget_test_support.h"

namespace tm2::testing {

struct TrainedDemoRun {
    std::string run_dir;
    std::string workspace;
};

inline const TrainedDemoRun& trainedDemoRun() {
    static std::unique_ptr<TempDir> dir;
    static TrainedDemoRun run;
    if (!dir) {
        dir = std::make_unique<TempDir>();
        workflow::TrainingOptions o;
        o.dataset.path = tinyImageAudioDemo();
        o.dataset.cache_dir = dir->file("cache");
        o.dataset.threads = 1;
        o.train.epochs = 1;
        o.train.batch_size = 16;
        o.train.threads = 1;
        o.out = dir->file("run");
        o.workspace = dir->file("workspace");
        const workflow::PreparedTraining prepared = workflow::prepareTraining(o);
        workflow::trainAndRecord(o, prepared);
        run = {o.out, o.workspace};
    }
    return run;
}

}  // namespace tm2::testing
