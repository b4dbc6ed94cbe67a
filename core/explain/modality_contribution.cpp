#include "core/explain/modality_contribution.h"

#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>

#include "core/base/error.h"
#include "core/train/trainer.h"

namespace tm2::explain {

double ModalityContributions::accuracyDrop(std::size_t branch, std::size_t c) const {
    return all_present.at(c).accuracy - masked.at(branch).masked.at(c).accuracy;
}

double ModalityContributions::confidenceDrop(std::size_t branch, std::size_t c) const {
    return all_present.at(c).mean_confidence - masked.at(branch).masked.at(c).mean_confidence;
}

std::vector<ClassFigures> perClassFigures(const std::vector<float>& logits, const torch::Tensor& labels,
                                          std::size_t num_classes) {
    const auto n = static_cast<std::size_t>(labels.size(0));
    if (logits.size() != n * num_classes)
        throw Error("modality contributions: " + std::to_string(logits.size()) + " logits for " +
                    std::to_string(n) + " samples of " + std::to_string(num_classes) + " classes");
    torch::Tensor scores = torch::from_blob(const_cast<float*>(logits.data()),
                                            {static_cast<int64_t>(n), static_cast<int64_t>(num_classes)})
                               .clone();
    const torch::Tensor probs = torch::softmax(scores, 1).contiguous();
    const torch::Tensor predicted = scores.argmax(1).contiguous();
    const torch::Tensor truth = labels.to(torch::kInt64).contiguous();
    const auto p = probs.accessor<float, 2>();
    const auto pred = predicted.accessor<int64_t, 1>();
    const auto label = truth.accessor<int64_t, 1>();
    std::vector<ClassFigures> figures(num_classes);
    for (std::size_t i = 0; i < n; ++i) {
        const auto c = static_cast<std::size_t>(label[static_cast<int64_t>(i)]);
        if (c >= num_classes)
            throw Error("modality contributions: label " + std::to_string(c) + " out of range");
        ClassFigures& f = figures[c];
        ++f.samples;
        f.accuracy += pred[static_cast<int64_t>(i)] == static_cast<int64_t>(c) ? 1.0 : 0.0;
        f.mean_confidence += p[static_cast<int64_t>(i)][static_cast<int64_t>(c)];
    }
    for (auto& f : figures)
        if (f.samples > 0) {
            f.accuracy /= static_cast<double>(f.samples);
            f.mean_confidence /= static_cast<double>(f.samples);
        }
    return figures;
}

ModalityContributions modalityContributions(train::MultimodalNet& net, const train::SplitTensors& split,
                                            const std::vector<std::size_t>& order,
                                            const std::vector<std::string>& classes, int batch_size) {
    if (split.size() == 0) throw Error("modality contributions: the test split is empty");
    const int num_classes = static_cast<int>(classes.size());
    ModalityContributions result;
    result.classes = classes;
    auto figures = [&](std::optional<std::size_t> hidden) {
        const train::EvalResult eval = train::evaluate(net, split, order, num_classes, batch_size, hidden);
        return perClassFigures(eval.logits, split.labels, classes.size());
    };
    result.all_present = figures(std::nullopt);
    for (std::size_t b = 0; b < order.size(); ++b)
        result.masked.push_back({net->spec().branches.at(b).modality, figures(b)});
    return result;
}

void to_json(nlohmann::json& j, const ModalityContributions& c) {
    auto rows = [&](const std::vector<ClassFigures>& figures, std::optional<std::size_t> branch) {
        nlohmann::json list = nlohmann::json::array();
        for (std::size_t k = 0; k < figures.size(); ++k) {
            nlohmann::json row{{"class", c.classes.at(k)},
                               {"samples", figures[k].samples},
                               {"accuracy", figures[k].accuracy},
                               {"mean_confidence", figures[k].mean_confidence}};
            if (branch) {
                row["accuracy_drop"] = c.accuracyDrop(*branch, k);
                row["confidence_drop"] = c.confidenceDrop(*branch, k);
            }
            list.push_back(row);
        }
        return list;
    };
    nlohmann::json conditions = nlohmann::json::array();
    conditions.push_back({{"masked", nullptr}, {"per_class", rows(c.all_present, std::nullopt)}});
    for (std::size_t b = 0; b < c.masked.size(); ++b)
        conditions.push_back({{"masked", c.masked[b].modality}, {"per_class", rows(c.masked[b].masked, b)}});
    j = nlohmann::json{{"classes", c.classes}, {"conditions", conditions}};
}

std::string contributionsCsv(const ModalityContributions& c) {
    std::ostringstream csv;
    csv.precision(6);
    csv << "class,masked,samples,accuracy,mean_confidence,accuracy_drop,confidence_drop\n";
    // Class names come from the dataset; quote them so a comma in one keeps the columns.
    auto quoted = [](const std::string& s) {
        std::string q = "\"";
        for (char ch : s) q += ch == '"' ? std::string("\"\"") : std::string(1, ch);
        return q + "\"";
    };
    for (std::size_t k = 0; k < c.classes.size(); ++k) {
        const ClassFigures& f = c.all_present.at(k);
        csv << quoted(c.classes[k]) << ",none," << f.samples << ',' << f.accuracy << ',' << f.mean_confidence
            << ",0,0\n";
        for (std::size_t b = 0; b < c.masked.size(); ++b) {
            const ClassFigures& m = c.masked[b].masked.at(k);
            csv << quoted(c.classes[k]) << ',' << quoted(c.masked[b].modality) << ',' << m.samples << ','
                << m.accuracy << ',' << m.mean_confidence << ',' << c.accuracyDrop(b, k) << ','
                << c.confidenceDrop(b, k) << '\n';
        }
    }
    return csv.str();
}

}  // namespace tm2::explain
