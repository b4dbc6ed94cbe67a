#pragma once
// For pane tests that train: a fresh workspace per test, and the tiny demo
// dataset opened with a feature cache shared by the whole test process (so
// only the first test pays for feature extraction), 1 thread.

#include <memory>

#include "core/workflow/dataset_options.h"
#include "tests/support/temp_dir.h"
#include "tests/widgets/widget_test_support.h"
#include "widgets/workbench.h"

namespace tm2::testing {

inline workflow::DatasetOptions tinyDemoDatasetOptions() {
    static const auto cache = std::make_unique<TempDir>();
    workflow::DatasetOptions o;
    o.path = tinyImageAudioDemo();
    o.cache_dir = (cache->path() / "features").string();
    o.threads = 1;
    return o;
}

// Points `workbench` at a new temporary workspace (removed with this object) and the tiny demo.
struct PaneTestWorkspace {
    TempDir dir;
    explicit PaneTestWorkspace(gui::Workbench& workbench, bool with_dataset = true) {
        workbench.setWorkspace(QString::fromStdString(dir.path().string()));
        workbench.setThreads(1);
        if (with_dataset) workbench.setDataset(tinyDemoDatasetOptions());
    }
    std::string workspace() const { return dir.path().string(); }
};

}  // namespace tm2::testing
