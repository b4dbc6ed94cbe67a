#pragma once
// One comparison as every `compare` variant runs it (per fusion, per seed):
// prepareTraining with its progress on stderr, the warnings, then
// compareAndRecord with live training progress.

#include "app/cli/cli_options.h"
#include "core/workflow/recorded_training.h"
#include "core/workflow/training_session.h"

namespace tm2::cli {

// `prepared` receives the prepared data (spec, config) for the caller's report.
workflow::RecordedComparison runPrintedComparison(const workflow::TrainingOptions& options,
                                                  const OutputFlags& output,
                                                  workflow::PreparedTraining& prepared);

}  // namespace tm2::cli
