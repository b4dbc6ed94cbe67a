#pragma once
// `tinym2net compare --seeds N`: the same comparison under seeds S … S+N−1
// (splits, weights, shuffling), each its own run folder OUT/seed-K, reported as
// mean ± 95 % confidence interval (Student t) per figure, so a fusion gain
// comes with its uncertainty.

#include "app/cli/cli_options.h"
#include "core/workflow/training_session.h"

namespace tm2::cli {

void runSeededComparisons(const workflow::TrainingOptions& options, int seeds, const OutputFlags& output);

}  // namespace tm2::cli
