#pragma once
// What the Train and Compare panes hand to their worker job: training options
// from the workbench (dataset, designed spec, workspace, threads, run folder)
// and the form, and a TrainCallback that reports batches as progress, posts
// each finished epoch, and stops when the user cancels.

#include <QMetaType>
#include <QString>
#include <chrono>
#include <memory>
#include <optional>
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

// One point of the training curves, posted from the worker (TaskRunner::posted
// carries it as QVariant::fromValue(CurvePoint); curvePoint() reads it back).
struct CurvePoint {
    bool epoch_end = false;         // true: `record` is a finished epoch; false: a point within one
    double x = 0;                   // within: epoch − 1 + batch/batches; epoch end: the epoch
    double loss = 0, accuracy = 0;  // within: the epoch's running means so far
    train::EpochRecord record;      // epoch end only
    int epochs = 0;
    std::string variant;  // comparisons: the variant being trained ("" otherwise)
};

// Batch events → c.progress ("training", batches done/total of the run, detail
// "epoch e/E · loss …") and, at most every kBatchPostInterval and at an epoch's
// last batch, a CurvePoint within the epoch; epoch events → a CurvePoint with the
// EpochRecord. Returns false once cancelled. `variant` (may be null) names the
// variant being trained (comparisons); it is read on the worker thread only.
inline constexpr std::chrono::milliseconds kBatchPostInterval{150};

train::TrainCallback postingTrainCallback(const TaskContext& c, std::shared_ptr<std::string> variant = nullptr);

// The CurvePoint a posted value holds; nullopt for anything else.
std::optional<CurvePoint> curvePoint(const QVariant& posted);

}  // namespace tm2::gui

Q_DECLARE_METATYPE(tm2::gui::CurvePoint)
