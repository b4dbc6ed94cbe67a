#include "core/workflow/dataset_summary.h"

#include <algorithm>
#include <set>

#include <nlohmann/json.hpp>

#include "core/data/feature_set.h"
#include "core/data/modality_features.h"

namespace tm2::workflow {

namespace {

int splitIndex(const std::string& split) {
    for (std::size_t i = 0; i < DatasetSummary::kSplits.size(); ++i)
        if (split == DatasetSummary::kSplits[i]) return static_cast<int>(i);
    return -1;
}

// A classifier needs two classes; with one, every network spec is refused
// (num_classes ≥ 2), so say it when the dataset is opened, not at training.
void warnAboutClasses(DatasetSummary& s) {
    if (s.classes.size() == 1)
        s.warnings.push_back("only one class ('" + s.classes.front() +
                             "'): a classifier needs at least two, so no network can be trained on this dataset; "
                             "check the layout (one folder per class) or the manifest's label column");
    else if (s.classes.empty())
        s.warnings.push_back("no classes: no sample has a label; check the layout or the manifest's label column");
}

}  // namespace

std::size_t DatasetSummary::total(std::size_t split) const {
    std::size_t n = 0;
    for (const auto& c : counts) n += c[split];
    return n;
}

DatasetSummary summarizeDataset(const DatasetOptions& options, bool probe, const ProgressCallback& progress) {
    DatasetSummary s;
    const data::DatasetIndex index = options.open(s.warnings);
    s.path = options.path;
    s.layout = index.layout;
    s.spec = index.spec;
    for (const auto& m : index.spec.modalities) s.shapes.push_back(data::featureItemShape(m));
    s.classes = index.classNames();
    warnAboutClasses(s);
    s.counts.assign(s.classes.size(), {0, 0, 0});
    auto count = [&](const std::string& label, const std::string& split) {
        const auto c = std::find(s.classes.begin(), s.classes.end(), label);
        const int k = splitIndex(split);
        if (c != s.classes.end() && k >= 0) ++s.counts[static_cast<std::size_t>(c - s.classes.begin())][k];
    };
    if (!probe) {
        if (options.split_mode == "random-chunks")
            s.warnings.push_back("random-chunks assigns each window when the features are built: probe the "
                                 "dataset to see the split counts");
        s.samples = index.samples;
        s.skipped = index.skipped;
        for (const auto& sample : s.samples) count(sample.label, sample.split);
        return s;
    }
    const data::FeatureSet features = options.features(index, s.warnings, progress);
    s.probed = true;
    s.skipped = features.skipped;
    std::set<std::string> usable;
    for (const auto& item : features.items) {
        usable.insert(std::string(features.recording(item)));
        count(features.classes[static_cast<std::size_t>(item.label)], std::string(item.split.str()));
    }
    for (const auto& sample : index.samples)
        if (usable.count(sample.id)) s.samples.push_back(sample);
    return s;
}

void to_json(nlohmann::json& j, const DatasetSummary& s) {
    nlohmann::json samples = nlohmann::json::array();
    for (const auto& x : s.samples)
        samples.push_back({{"id", x.id},       {"group", x.group},       {"label", x.label},
                           {"split", x.split}, {"paths", x.paths},       {"offset_s", x.offset_s}});
    nlohmann::json skipped = nlohmann::json::array();
    for (const auto& x : s.skipped) skipped.push_back({{"path", x.path}, {"line", x.line}, {"reason", x.reason}});
    j = nlohmann::json{{"path", s.path},       {"layout", s.layout},   {"spec", s.spec},
                       {"shapes", s.shapes},   {"classes", s.classes}, {"samples", samples},
                       {"counts", s.counts},   {"skipped", skipped},   {"warnings", s.warnings},
                       {"probed", s.probed}};
}

void from_json(const nlohmann::json& j, DatasetSummary& s) {
    s.path = j.at("path").get<std::string>();
    s.layout = j.at("layout").get<std::string>();
    s.spec = j.at("spec").get<data::DatasetSpec>();
    s.shapes = j.at("shapes").get<std::vector<std::vector<std::size_t>>>();
    s.classes = j.at("classes").get<std::vector<std::string>>();
    s.samples.clear();
    for (const auto& x : j.at("samples")) {
        data::Sample sample;
        sample.id = x.at("id").get<std::string>();
        sample.group = x.at("group").get<std::string>();
        sample.label = x.at("label").get<std::string>();
        sample.split = x.at("split").get<std::string>();
        sample.paths = x.at("paths").get<std::vector<std::string>>();
        sample.offset_s = x.at("offset_s").get<double>();
        s.samples.push_back(sample);
    }
    s.counts = j.at("counts").get<std::vector<std::array<std::size_t, 3>>>();
    s.skipped.clear();
    for (const auto& x : j.at("skipped"))
        s.skipped.push_back({x.at("path").get<std::string>(), x.at("line").get<int>(), x.at("reason").get<std::string>()});
    s.warnings = j.at("warnings").get<std::vector<std::string>>();
    s.probed = j.at("probed").get<bool>();
}

}  // namespace tm2::workflow
