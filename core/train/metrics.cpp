#include "core/train/metrics.h"

#include <algorithm>
#include <numeric>

#include <nlohmann/json.hpp>

#include "core/base/error.h"

namespace tm2::train {

ClassificationMetrics computeMetrics(const std::vector<int>& truth, const std::vector<int>& predicted,
                                     int num_classes, const std::vector<double>& scores) {
    if (truth.size() != predicted.size()) throw Error("metrics: truth and prediction lengths differ");
    if (num_classes < 1) throw Error("metrics: num_classes must be >= 1");
    ClassificationMetrics m;
    m.samples = truth.size();
    const auto k = static_cast<std::size_t>(num_classes);
    m.confusion.assign(k, std::vector<long>(k, 0));
    long correct = 0;
    for (std::size_t i = 0; i < truth.size(); ++i) {
        if (truth[i] < 0 || truth[i] >= num_classes || predicted[i] < 0 || predicted[i] >= num_classes)
            throw Error("metrics: class index out of range at sample " + std::to_string(i));
        ++m.confusion[static_cast<std::size_t>(truth[i])][static_cast<std::size_t>(predicted[i])];
        correct += truth[i] == predicted[i];
    }
    if (truth.empty()) return m;
    m.accuracy = static_cast<double>(correct) / static_cast<double>(truth.size());

    double recall_sum = 0.0, f1_sum = 0.0;
    int recall_classes = 0, f1_classes = 0;
    for (std::size_t c = 0; c < k; ++c) {
        const long tp = m.confusion[c][c];
        long actual = 0, predicted_c = 0;
        for (std::size_t o = 0; o < k; ++o) {
            actual += m.confusion[c][o];
            predicted_c += m.confusion[o][c];
        }
        if (actual > 0) {
            recall_sum += static_cast<double>(tp) / static_cast<double>(actual);
            ++recall_classes;
        }
        if (actual + predicted_c > 0) {
            f1_sum += 2.0 * static_cast<double>(tp) / static_cast<double>(actual + predicted_c);
            ++f1_classes;
        }
    }
    m.balanced_accuracy = recall_classes ? recall_sum / recall_classes : 0.0;
    m.macro_f1 = f1_classes ? f1_sum / f1_classes : 0.0;
    if (num_classes == 2 && scores.size() == truth.size()) m.roc_auc = rocAuc(truth, scores);
    return m;
}

double rocAuc(const std::vector<int>& truth, const std::vector<double>& scores) {
    if (truth.size() != scores.size()) throw Error("roc_auc: truth and score lengths differ");
    std::vector<std::size_t> order(truth.size());
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return scores[a] < scores[b]; });
    // Average ranks over ties, then U = R_pos - n_pos (n_pos + 1) / 2.
    std::vector<double> rank(truth.size());
    for (std::size_t i = 0; i < order.size();) {
        std::size_t j = i;
        while (j + 1 < order.size() && scores[order[j + 1]] == scores[order[i]]) ++j;
        const double average = (static_cast<double>(i) + static_cast<double>(j)) / 2.0 + 1.0;
        for (std::size_t t = i; t <= j; ++t) rank[order[t]] = average;
        i = j + 1;
    }
    double positives = 0, rank_sum = 0;
    for (std::size_t i = 0; i < truth.size(); ++i)
        if (truth[i] == 1) positives += 1, rank_sum += rank[i];
    const double negatives = static_cast<double>(truth.size()) - positives;
    if (positives == 0 || negatives == 0) return -1.0;
    return (rank_sum - positives * (positives + 1) / 2.0) / (positives * negatives);
}

void to_json(nlohmann::json& j, const ClassificationMetrics& m) {
    // No samples (a split of fraction 0) means no metrics: null, never a 0 % score.
    if (m.samples == 0) {
        j = nullptr;
        return;
    }
    j = nlohmann::json{{"samples", m.samples},   {"accuracy", m.accuracy}, {"balanced_accuracy", m.balanced_accuracy},
                       {"macro_f1", m.macro_f1}, {"confusion", m.confusion}};
    if (m.roc_auc >= 0) j["roc_auc"] = m.roc_auc;
}

void from_json(const nlohmann::json& j, ClassificationMetrics& m) {
    m = ClassificationMetrics{};
    if (j.is_null()) return;
    m.samples = j.value("samples", std::size_t{0});
    m.accuracy = j.value("accuracy", 0.0);
    m.balanced_accuracy = j.value("balanced_accuracy", 0.0);
    m.macro_f1 = j.value("macro_f1", 0.0);
    m.roc_auc = j.value("roc_auc", -1.0);
    m.confusion = j.value("confusion", std::vector<std::vector<long>>{});
}

}  // namespace tm2::train
