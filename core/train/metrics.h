#pragma once
// Classification metrics from predictions (pure C++, no LibTorch):
// accuracy, balanced accuracy (UAR, the ComParE metric), macro F1, the
// confusion matrix and, for two classes, ROC-AUC from the positive-class score.

#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace tm2::train {

struct ClassificationMetrics {
    std::size_t samples = 0;
    double accuracy = 0.0;
    double balanced_accuracy = 0.0;  // mean per-class recall over classes present
    double macro_f1 = 0.0;           // mean F1 over classes present in truth or prediction
    double roc_auc = -1.0;           // two classes only; -1 when undefined
    std::vector<std::vector<long>> confusion;  // [true][predicted]
};

// `scores` (optional, same length as `truth`) is the probability of class 1,
// used for ROC-AUC when num_classes == 2.
ClassificationMetrics computeMetrics(const std::vector<int>& truth, const std::vector<int>& predicted,
                                     int num_classes, const std::vector<double>& scores = {});

// ROC-AUC as the Mann–Whitney U statistic with ties counted half.
double rocAuc(const std::vector<int>& truth, const std::vector<double>& scores);

// Metrics of no sample are null in JSON (and read back as samples == 0).
void to_json(nlohmann::json& j, const ClassificationMetrics& m);
void from_json(const nlohmann::json& j, ClassificationMetrics& m);

}  // namespace tm2::train
