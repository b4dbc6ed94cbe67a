#pragma once
// What the Train and Compare panes hand to their worker job: training options
// from the workbench (dataset, designed spec, workspace, threads, run folder)
// and the form, and a TrainCallback that reports batches as progress, posts
// each finished epoch, and stops when the user cancels.

#include <QString>
#include <chrono>
#include <memory>
#include <string>

#include "core/train/trainer.h"
#include "core/workflow/training_session.h"

namespace tm2::gui {

class HyperParameterForm;
class TaskContext;
class Workbench;

// The designer's spec when it has branches, else the preset for the dataset's modalities.
workflow::TrainingOptions trainingOptions(const Workbench& workbench, const HyperParameterForm& form,
                                          const QString& run_dir);

// Batch events → c.progress ("training", batches done/total of the run, detail
// "epoch e/E · loss …") and, at most every kBatchPostInterval and at an epoch's
// last batch, c.post({"kind": "batch", "x": epoch − 1 + batch/batches, "loss",
// "accuracy": the epoch's running means so far, "variant"}); epoch events →
// c.post(JSON of the EpochRecord plus "epochs" and "variant"). Returns false once cancelled. `variant` (may be null)
// names the variant being trained (comparisons); it is read on the worker thread only.
inline constexpr std::chrono::milliseconds kBatchPostInterval{150};

train::TrainCallback postingTrainCallback(const TaskContext& c, std::shared_ptr<std::string> variant = nullptr);

}  // namespace tm2::gui
