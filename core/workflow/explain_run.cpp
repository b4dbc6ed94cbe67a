#include "core/workflow/explain_run.h"

#include <filesystem>
#include <nlohmann/json.hpp>

#include "core/base/atomic_write.h"
#include "core/base/error.h"
#include "core/base/thread_count.h"
#include "core/train/trainer.h"

namespace tm2::workflow {

namespace fs = std::filesystem;

namespace {

// "a, b, c, … (N in all)": enough names for an error message to show what is valid.
std::string someOf(const std::vector<std::string>& names) {
    std::string list;
    for (std::size_t i = 0; i < names.size() && i < 8; ++i) list += (i ? ", " : "") + names[i];
    if (names.size() > 8) list += ", … (" + std::to_string(names.size()) + " in all)";
    return list;
}

std::size_t testIndexOf(const train::SplitTensors& test, const std::string& sample,
                        const std::string& run_dir) {
    if (sample.empty()) return 0;
    for (std::size_t i = 0; i < test.ids.size(); ++i)
        if (test.ids[i] == sample) return i;
    for (std::size_t i = 0; i < test.recordings.size(); ++i)
        if (test.recordings[i] == sample) return i;  // a recording: its first window
    throw Error("sample '" + sample + "' is not in the test split of " + run_dir +
                " (test samples: " + someOf(test.ids) + ")");
}

int classIndexOf(const std::vector<std::string>& classes, const std::string& name) {
    for (std::size_t c = 0; c < classes.size(); ++c)
        if (classes[c] == name) return static_cast<int>(c);
    throw Error("class '" + name + "' is not one of the run's classes (" + someOf(classes) + ")");
}

const char* toString(explain::MapLayout layout) {
    return layout == explain::MapLayout::Spectrogram ? "spectrogram" : "image";
}

}  // namespace

std::shared_ptr<ExplainableRun> loadExplainableRun(const std::string& run_dir, int threads,
                                                   const ProgressCallback& progress) {
    torch::set_num_threads(resolveThreadCount(threads));
    auto e = std::make_shared<ExplainableRun>();
    e->run = loadRun(run_dir, threads, progress);
    const PreparedTraining& p = e->run.prepared;
    e->warnings = p.warnings;
    if (p.data.test.size() == 0)
        throw Error(run_dir +
                    ": the run has no test split to explain (train with a test split, e.g. --test 0.2)");
    e->net = loadTrainedNet(p.spec, e->run.aux_heads, e->run.best_weights);
    e->net->eval();
    e->order = train::branchInputOrder(p.spec, p.data);
    // The modality kinds come from the dataset's description (loadRun keeps only the tensors).
    std::vector<std::string> ignored;
    const data::DatasetIndex index = e->run.dataset.open(ignored);
    for (const auto& branch : p.spec.branches) {
        const data::ModalitySpec* m = index.spec.find(branch.modality);
        e->layouts.push_back(m && m->kind == data::ModalityKind::Audio ? explain::MapLayout::Spectrogram
                                                                       : explain::MapLayout::Image);
    }
    return e;
}

std::vector<std::string> testSampleIds(const ExplainableRun& run) { return run.run.prepared.data.test.ids; }

SampleExplanation explainTestSample(ExplainableRun& run, const std::string& sample,
                                    const std::string& class_name) {
    const train::TrainingData& data = run.run.prepared.data;
    const std::size_t i = testIndexOf(data.test, sample, run.run.dir);
    std::vector<torch::Tensor> inputs;
    for (const std::size_t m : run.order) inputs.push_back(data.test.inputs.at(m)[static_cast<int64_t>(i)]);
    std::optional<int> explained;
    if (!class_name.empty()) explained = classIndexOf(data.classes, class_name);
    SampleExplanation e;
    e.sample = data.test.ids.at(i);
    e.label =
        data.classes.at(static_cast<std::size_t>(data.test.labels[static_cast<int64_t>(i)].item<int64_t>()));
    e.saliency = explain::gradientTimesInput(run.net, inputs, explained);
    e.predicted = data.classes.at(static_cast<std::size_t>(e.saliency.predicted_class));
    e.explained = data.classes.at(static_cast<std::size_t>(e.saliency.explained_class));
    e.classes = data.classes;
    e.layouts = run.layouts;
    return e;
}

explain::ModalityContributions testModalityContributions(ExplainableRun& run) {
    const train::TrainingData& data = run.run.prepared.data;
    return explain::modalityContributions(run.net, data.test, run.order, data.classes,
                                          std::max(1, run.run.prepared.config.batch_size));
}

std::string saliencyPngName(const std::string& modality) { return modality + "-saliency.png"; }

void writeSaliencyPng(const SampleExplanation& e, std::size_t branch, const std::string& path) {
    explain::writeSaliencyPng(path, e.saliency.branches.at(branch), e.layouts.at(branch));
}

std::vector<std::string> writeExplanation(const std::string& out_dir, const std::string& run_dir,
                                          const SampleExplanation& sample,
                                          const explain::ModalityContributions& contributions) {
    std::error_code ec;
    fs::create_directories(out_dir, ec);
    if (ec) throw Error(out_dir + ": cannot create the folder (" + ec.message() + ")");
    std::vector<std::string> files;
    for (std::size_t b = 0; b < sample.saliency.branches.size(); ++b) {
        const std::string name = saliencyPngName(sample.saliency.branches[b].modality);
        writeSaliencyPng(sample, b, (fs::path(out_dir) / name).string());
        files.push_back(name);
    }
    nlohmann::json j = toJson(sample);
    j["run"] = run_dir;
    j["modality_contributions"] = contributions;
    files.push_back(kContributionsCsv);
    files.push_back(kExplainJson);
    j["files"] = files;
    writeFileAtomically((fs::path(out_dir) / kContributionsCsv).string(),
                        explain::contributionsCsv(contributions));
    writeFileAtomically((fs::path(out_dir) / kExplainJson).string(), j.dump(2) + "\n");
    return files;
}

ExplainReport explainRun(const ExplainRequest& request, const ProgressCallback& progress) {
    if (request.out_dir.empty())
        throw Error("explain: --out (the folder for the maps and figures) is required");
    const std::shared_ptr<ExplainableRun> run =
        loadExplainableRun(request.run_dir, request.threads, progress);
    ExplainReport r;
    r.run_dir = request.run_dir;
    r.out_dir = request.out_dir;
    r.warnings = run->warnings;
    r.sample = explainTestSample(*run, request.sample, request.class_name);
    r.contributions = testModalityContributions(*run);
    r.files = writeExplanation(request.out_dir, request.run_dir, r.sample, r.contributions);
    return r;
}

nlohmann::json toJson(const SampleExplanation& e) {
    nlohmann::json probabilities = nlohmann::json::object();
    for (std::size_t c = 0; c < e.saliency.probabilities.size() && c < e.classes.size(); ++c)
        probabilities[e.classes[c]] = e.saliency.probabilities[c];
    double total = 0;
    for (const auto& b : e.saliency.branches) total += b.total;
    nlohmann::json branches = nlohmann::json::array();
    for (std::size_t b = 0; b < e.saliency.branches.size(); ++b) {
        const explain::BranchSaliency& s = e.saliency.branches[b];
        nlohmann::json rows = nlohmann::json::array();
        for (std::size_t r = 0; r < s.rows; ++r)
            rows.push_back(
                std::vector<float>(s.saliency.begin() + static_cast<std::ptrdiff_t>(r * s.cols),
                                   s.saliency.begin() + static_cast<std::ptrdiff_t>((r + 1) * s.cols)));
        branches.push_back({{"modality", s.modality},
                            {"layout", toString(e.layouts.at(b))},
                            {"png", saliencyPngName(s.modality)},
                            {"rows", s.rows},
                            {"cols", s.cols},
                            // The branch's part of the summed |gradient × input| of the sample.
                            {"share", total > 0 ? s.total / total : 0.0},
                            {"saliency", rows}});
    }
    return {{"sample", e.sample},           {"label", e.label},
            {"predicted", e.predicted},     {"explained_class", e.explained},
            {"method", "gradient x input"}, {"probabilities", probabilities},
            {"branches", branches}};
}

nlohmann::json toJson(const ExplainReport& r) {
    nlohmann::json j = toJson(r.sample);
    j["run"] = r.run_dir;
    j["out"] = r.out_dir;
    j["modality_contributions"] = r.contributions;
    j["files"] = r.files;
    j["warnings"] = r.warnings;
    return j;
}

}  // namespace tm2::workflow
