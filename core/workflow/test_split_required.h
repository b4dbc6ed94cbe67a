#pragma once
// Steps whose result is a test score (quantize, pareto, compare, ablate,
// runtime parity) refuse a run trained without a test split (`--test 0`):
// an accuracy of nothing must never be reported as 0 %.

#include <string>

#include "core/train/training_data.h"

namespace tm2::workflow {

// Throws tm2::Error naming `step`, the run (or dataset) `source` and the remedy.
void requireTestSplit(const train::TrainingData& data, const std::string& step, const std::string& source);

}  // namespace tm2::workflow
