#pragma once
// Metrics at the three levels a clinician asks about when a recording is cut
// into windows (`--chunks`): per window, per recording and per participant.
// A recording's (or participant's) prediction is the argmax of the mean of
// its windows' logits; pure C++, no LibTorch.

#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "core/train/metrics.h"

namespace tm2::train {

struct MetricLevels {
    ClassificationMetrics window, recording, participant;
};

// `logits` is N × num_classes row-major; `keys` names each window's unit
// (recording id or participant). A unit's truth is its windows' most frequent
// label (ties to the lower class index); for two classes ROC-AUC uses the
// softmax of the mean logits. Units are taken in sorted key order.
ClassificationMetrics aggregatedMetrics(const std::vector<float>& logits, const std::vector<int>& truth,
                                        const std::vector<std::string>& keys, int num_classes);

// All three levels; `recordings` and `participants` have one key per window.
MetricLevels metricLevels(const std::vector<float>& logits, const std::vector<int>& truth,
                          const std::vector<std::string>& recordings,
                          const std::vector<std::string>& participants, int num_classes);

// {"window": …, "recording": …, "participant": …}
void to_json(nlohmann::json& j, const MetricLevels& m);
void from_json(const nlohmann::json& j, MetricLevels& m);

}  // namespace tm2::train
