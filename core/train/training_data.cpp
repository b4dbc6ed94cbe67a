#include "core/train/training_data.h"

#include "core/base/error.h"

namespace tm2::train {

namespace {

SplitTensors stackSplit(const data::FeatureSet& features, const std::string& split) {
    SplitTensors out;
    std::vector<const data::FeatureItem*> items;
    for (const auto& item : features.items)
        if (item.split == split) items.push_back(&item);
    const auto n = static_cast<int64_t>(items.size());
    const auto shapes = features.inputShapes();
    for (std::size_t m = 0; m < shapes.size(); ++m) {
        std::vector<int64_t> dims{n};
        for (std::size_t d : shapes[m]) dims.push_back(static_cast<int64_t>(d));
        torch::Tensor stack = torch::empty(dims, torch::kFloat32);
        const std::size_t per = elementCount(shapes[m]);
        float* dst = stack.data_ptr<float>();
        for (std::size_t i = 0; i < items.size(); ++i) {
            const auto& v = items[i]->inputs[m].values;
            if (v.size() != per) throw Error("sample '" + items[i]->id + "': feature size mismatch");
            std::copy(v.begin(), v.end(), dst + i * per);
        }
        out.inputs.push_back(stack);
    }
    out.labels = torch::empty({n}, torch::kInt64);
    auto* labels = out.labels.data_ptr<int64_t>();
    for (std::size_t i = 0; i < items.size(); ++i) {
        labels[i] = items[i]->label;
        out.ids.push_back(items[i]->id);
        out.recordings.push_back(items[i]->recording.empty() ? items[i]->id : items[i]->recording);
        out.groups.push_back(items[i]->group.empty() ? out.recordings.back() : items[i]->group);
    }
    return out;
}

}  // namespace

TrainingData makeTrainingData(const data::FeatureSet& features) {
    TrainingData data;
    for (const auto& m : features.spec.modalities) data.modalities.push_back(m.name);
    data.shapes = features.inputShapes();
    data.classes = features.classes;
    data.train = stackSplit(features, "train");
    data.val = stackSplit(features, "val");
    data.test = stackSplit(features, "test");
    if (data.train.size() == 0) throw Error("training data: the train split is empty");
    return data;
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
        dst->inputs = {src->inputs[m]};
        dst->labels = src->labels;
        dst->ids = src->ids;
        dst->recordings = src->recordings;
        dst->groups = src->groups;
    }
    return out;
}

}  // namespace tm2::train
