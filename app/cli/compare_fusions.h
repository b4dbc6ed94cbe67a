#pragma once
// `tinym2net compare --fusion concat,gated,…`: the same comparison once per
// fusion kind (same data, budget and seed), each its own run folder
// OUT/fusion-KIND, reported side by side: test accuracy, UAR, the accuracy
// with each modality missing, parameters and MACs, then the unimodal variants.
// With seeds > 1 each fusion runs under seeds S … S+N−1 (OUT/fusion-KIND/seed-S)
// and every figure is reported as mean ± 95 % CI (Student t).

#include <vector>

#include "app/cli/cli_options.h"
#include "core/model/model_spec.h"
#include "core/workflow/training_session.h"

namespace tm2::cli {

void runFusionComparisons(const workflow::TrainingOptions& options,
                          const std::vector<model::FusionType>& fusions, int seeds, const OutputFlags& output);

}  // namespace tm2::cli
