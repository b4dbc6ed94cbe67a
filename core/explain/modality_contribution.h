#pragma once
// Which classes lean on which sense: the test split evaluated with every branch
// present, then with each branch masked in turn (its features zeroed, the same
// masking as the missing-modality accuracy), per class. A modality a class
// needs costs that class accuracy and confidence when it is masked.

#include <cstddef>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "core/train/multimodal_net.h"
#include "core/train/training_data.h"

namespace tm2::explain {

// One class under one condition, over that class's test windows.
struct ClassFigures {
    std::size_t samples = 0;
    double accuracy = 0;         // fraction of its windows predicted as it (its recall)
    double mean_confidence = 0;  // mean softmax probability of its true class
};

struct ModalityEffect {
    std::string modality;              // the masked branch
    std::vector<ClassFigures> masked;  // per class, with this branch masked
};

struct ModalityContributions {
    std::vector<std::string> classes;
    std::vector<ClassFigures> all_present;  // per class
    std::vector<ModalityEffect> masked;     // one per branch, in the network's branch order

    // all_present − masked: how much class `c` loses without `modality` (0 = it does not use it).
    double accuracyDrop(std::size_t branch, std::size_t c) const;
    double confidenceDrop(std::size_t branch, std::size_t c) const;
};

// Per-class figures from N × classes logits (row-major) and N labels.
std::vector<ClassFigures> perClassFigures(const std::vector<float>& logits, const torch::Tensor& labels,
                                          std::size_t num_classes);

// `order[b]` is the split input branch b reads (train::branchInputOrder). Each
// test window counts once (a recording cut into windows counts per window).
ModalityContributions modalityContributions(train::MultimodalNet& net, const train::SplitTensors& split,
                                            const std::vector<std::size_t>& order,
                                            const std::vector<std::string>& classes, int batch_size = 64);

// {"classes": [...], "conditions": [{"masked": null|"audio", "per_class": [{samples, accuracy,
// mean_confidence,
//  accuracy_drop, confidence_drop}...]}...]}
void to_json(nlohmann::json& j, const ModalityContributions& c);

// One row per class and condition:
// class,masked,samples,accuracy,mean_confidence,accuracy_drop,confidence_drop
std::string contributionsCsv(const ModalityContributions& c);

}  // namespace tm2::explain
