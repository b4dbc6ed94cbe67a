#include "core/train/training_data.h"

#include "core/base/error.h"

namespace tm2::train {

namespace {

SplitTensors stackSplit(const data::FeatureSet& features, const std::string& split, bool stream) {
    SplitTensors out;
    std::vector<std::size_t> rows;  // the split's items, in set order
    for (std::size_t i = 0; i < features.items.size(); ++i)
        if (features.items[i].split == split) rows.push_back(i);
    const auto n = static_cast<int64_t>(rows.size());
    const auto shapes = features.inputShapes();
    for (std::size_t m = 0; m < shapes.size() && !stream; ++m) {
        std::vector<int64_t> dims{n};
        for (std::size_t d : shapes[m]) dims.push_back(static_cast<int64_t>(d));
        torch::Tensor stack = torch::empty(dims, torch::kFloat32);
        const std::size_t per = elementCount(shapes[m]);
        float* dst = stack.data_ptr<float>();
        for (std::size_t i = 0; i < rows.size(); ++i) {
            const data::FeatureItem& item = features.items[rows[i]];
            const auto& v = item.inputs[m].values;
            if (v.size() != per) throw Error("sample '" + features.id(item) + "': feature size mismatch");
            std::copy(v.begin(), v.end(), dst + i * per);
        }
        out.inputs.push_back(stack);
    }
    out.labels = torch::empty({n}, torch::kInt64);
    auto* labels = out.labels.data_ptr<int64_t>();
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const data::FeatureItem& item = features.items[rows[i]];
        labels[i] = item.label;
        if (stream) continue;  // a streamed split refers to the set's items instead of copying their names
        out.ids.push_back(features.id(item));
        out.recordings.emplace_back(features.recording(item));
        out.groups.emplace_back(features.groupOrRecording(item));
    }
    if (stream) out.items = std::move(rows);
    return out;
}

TrainingData makeData(const data::FeatureSet& features, const std::shared_ptr<const data::FeatureSet>& streamed) {
    TrainingData data;
    for (const auto& m : features.spec.modalities) data.modalities.push_back(m.name);
    data.shapes = features.inputShapes();
    data.classes = features.classes;
    for (auto [name, split] : {std::pair{"train", &data.train}, {"val", &data.val}, {"test", &data.test}}) {
        *split = stackSplit(features, name, streamed != nullptr);
        if (streamed) {
            split->streamed = streamed;
            for (std::size_t m = 0; m < data.modalities.size(); ++m) split->modalities.push_back(m);
        }
    }
    if (data.train.size() == 0) throw Error("training data: the train split is empty");
    return data;
}

}  // namespace

torch::Tensor SplitTensors::inputRows(std::size_t m, const torch::Tensor& index) const {
    if (!streamed) return inputs.at(m).index_select(0, index);
    const std::size_t modality = modalities.at(m);
    const std::vector<std::size_t> shape = streamed->inputShapes()[modality];
    std::vector<int64_t> dims{index.size(0)};
    for (std::size_t d : shape) dims.push_back(static_cast<int64_t>(d));
    torch::Tensor rows = torch::empty(dims, torch::kFloat32);
    const std::size_t per = elementCount(shape);
    float* dst = rows.data_ptr<float>();
    const torch::Tensor at = index.to(torch::kInt64).contiguous();
    const int64_t* row = at.data_ptr<int64_t>();
    for (int64_t i = 0; i < at.size(0); ++i) {
        if (row[i] < 0 || row[i] >= size()) throw Error("training data: row " + std::to_string(row[i]) + " out of range");
        data::readItemInput(*streamed, streamed->items[items[static_cast<std::size_t>(row[i])]], modality,
                            dst + static_cast<std::size_t>(i) * per);
    }
    return rows;
}

std::string SplitTensors::id(std::size_t i) const {
    if (!streamed) return ids.at(i);
    return streamed->id(streamed->items.at(items.at(i)));
}

std::string SplitTensors::recording(std::size_t i) const {
    if (!streamed) return i < recordings.size() ? recordings[i] : id(i);
    return std::string(streamed->recording(streamed->items.at(items.at(i))));
}

std::string SplitTensors::group(std::size_t i) const {
    if (!streamed) return i < groups.size() ? groups[i] : recording(i);
    return std::string(streamed->groupOrRecording(streamed->items.at(items.at(i))));
}

TrainingData makeTrainingData(const data::FeatureSet& features) {
    if (features.streamed())
        throw Error("training data: a streamed feature set needs makeTrainingData(shared_ptr) (internal)");
    return makeData(features, nullptr);
}

TrainingData makeTrainingData(std::shared_ptr<const data::FeatureSet> features) {
    if (!features->streamed()) return makeData(*features, nullptr);
    return makeData(*features, features);
}

std::size_t TrainingData::modalityIndex(const std::string& name) const {
    for (std::size_t i = 0; i < modalities.size(); ++i)
        if (modalities[i] == name) return i;
    std::string available;
    for (const auto& m : modalities) available += (available.empty() ? "" : ", ") + m;
    throw Error("modality '" + name + "' is not in the dataset (available: " + available + ")");
}

TrainingData TrainingData::only(const std::string& modality) const {
    const std::size_t m = modalityIndex(modality);
    TrainingData out;
    out.modalities = {modality};
    out.shapes = {shapes[m]};
    out.classes = classes;
    if (m < augment_domains.size()) out.augment_domains = {augment_domains[m]};
    for (auto [src, dst] : {std::pair{&train, &out.train}, {&val, &out.val}, {&test, &out.test}}) {
        dst->inputs = src->streamed ? std::vector<torch::Tensor>{} : std::vector<torch::Tensor>{src->inputs[m]};
        dst->streamed = src->streamed;
        dst->items = src->items;
        if (src->streamed) dst->modalities = {src->modalities[m]};
        dst->labels = src->labels;
        dst->ids = src->ids;
        dst->recordings = src->recordings;
        dst->groups = src->groups;
    }
    return out;
}

}  // namespace tm2::train
