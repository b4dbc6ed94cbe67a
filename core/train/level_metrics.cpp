#include "core/train/level_metrics.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <nlohmann/json.hpp>

#include "core/base/error.h"

namespace tm2::train {

namespace {

struct Unit {
    std::vector<double> logit_sum;
    std::vector<long> label_count;
    long windows = 0;
};

}  // namespace

ClassificationMetrics aggregatedMetrics(const std::vector<float>& logits, const std::vector<int>& truth,
                                        const std::vector<std::string>& keys, int num_classes) {
    if (num_classes < 1) throw Error("metrics: num_classes must be >= 1");
    const auto k = static_cast<std::size_t>(num_classes);
    if (keys.size() != truth.size() || logits.size() != truth.size() * k)
        throw Error("metrics: logits (" + std::to_string(logits.size()) + " values), truth (" +
                    std::to_string(truth.size()) + ") and keys (" + std::to_string(keys.size()) +
                    ") do not describe the same windows");
    std::map<std::string, Unit> units;
    for (std::size_t i = 0; i < truth.size(); ++i) {
        if (truth[i] < 0 || truth[i] >= num_classes)
            throw Error("metrics: class index out of range at window " + std::to_string(i));
        Unit& u = units[keys[i]];
        if (u.windows == 0) u.logit_sum.assign(k, 0.0), u.label_count.assign(k, 0);
        for (std::size_t c = 0; c < k; ++c) u.logit_sum[c] += logits[i * k + c];
        ++u.label_count[static_cast<std::size_t>(truth[i])];
        ++u.windows;
    }
    std::vector<int> unit_truth, unit_predicted;
    std::vector<double> unit_scores;
    for (const auto& [key, u] : units) {
        // max_element returns the first maximum: ties go to the lower class index.
        unit_truth.push_back(static_cast<int>(std::max_element(u.label_count.begin(), u.label_count.end()) -
                                              u.label_count.begin()));
        unit_predicted.push_back(
            static_cast<int>(std::max_element(u.logit_sum.begin(), u.logit_sum.end()) - u.logit_sum.begin()));
        if (num_classes == 2) {
            // softmax(mean)[1] = 1 / (1 + exp(mean0 − mean1))
            const double n = static_cast<double>(u.windows);
            unit_scores.push_back(1.0 / (1.0 + std::exp(u.logit_sum[0] / n - u.logit_sum[1] / n)));
        }
    }
    return computeMetrics(unit_truth, unit_predicted, num_classes, unit_scores);
}

MetricLevels metricLevels(const std::vector<float>& logits, const std::vector<int>& truth,
                          const std::vector<std::string>& recordings,
                          const std::vector<std::string>& participants, int num_classes) {
    MetricLevels m;
    std::vector<std::string> windows(truth.size());
    for (std::size_t i = 0; i < windows.size(); ++i) windows[i] = std::to_string(i);
    m.window = aggregatedMetrics(logits, truth, windows, num_classes);
    m.recording = aggregatedMetrics(logits, truth, recordings, num_classes);
    m.participant = aggregatedMetrics(logits, truth, participants, num_classes);
    return m;
}

void to_json(nlohmann::json& j, const MetricLevels& m) {
    j = nlohmann::json{{"window", m.window}, {"recording", m.recording}, {"participant", m.participant}};
}

void from_json(const nlohmann::json& j, MetricLevels& m) {
    if (!j.is_object()) return;
    if (j.contains("window")) j.at("window").get_to(m.window);
    if (j.contains("recording")) j.at("recording").get_to(m.recording);
    if (j.contains("participant")) j.at("participant").get_to(m.participant);
}

}  // namespace tm2::train
