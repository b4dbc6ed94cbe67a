#pragma once
// Seeing why a trained run decides (`tinym2net explain`, the Train and Compare
// panes' Explain view): its network and test split loaded once, then per test
// sample a gradient × input map per branch, and over the whole test split the
// per-class accuracy and confidence with each modality masked.

#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "core/base/progress.h"
#include "core/explain/modality_contribution.h"
#include "core/explain/saliency.h"
#include "core/explain/saliency_picture.h"
#include "core/workflow/training_session.h"

namespace tm2::workflow {

// A run ready to explain: data, spec and best weights, in eval mode. Not
// thread-safe: one explanation at a time (the GUI runs them on one TaskRunner).
struct ExplainableRun {
    LoadedRun run;
    train::MultimodalNet net{nullptr};
    std::vector<std::size_t> order;           // the split input each branch reads
    std::vector<explain::MapLayout> layouts;  // per branch: Spectrogram for audio, Image for images
    std::vector<std::string> warnings;
};

// Throws tm2::Error when the folder is no trained run or has no test split.
std::shared_ptr<ExplainableRun> loadExplainableRun(const std::string& run_dir, int threads,
                                                   const ProgressCallback& progress = {});

// The test split's window ids, in order (a recording cut into windows: "id#k").
std::vector<std::string> testSampleIds(const ExplainableRun& run);

struct SampleExplanation {
    std::string sample;                // the test window explained
    std::string label;                 // its true class
    std::string predicted;             // the network's class
    std::string explained;             // the class whose logit the maps explain
    std::vector<std::string> classes;  // the run's, in the order of saliency.probabilities
    explain::SampleSaliency saliency;
    std::vector<explain::MapLayout> layouts;  // per branch
};

// `sample` is a window id or a recording id (then its first window); empty = the
// first test window. `class_name` empty = the predicted class. Errors name the
// sample or class and list a few valid ones.
SampleExplanation explainTestSample(ExplainableRun& run, const std::string& sample,
                                    const std::string& class_name = "");

explain::ModalityContributions testModalityContributions(ExplainableRun& run);

// Files `writeExplanation` puts in its folder.
inline constexpr const char* kExplainJson = "explain.json";
inline constexpr const char* kContributionsCsv = "modality-contribution.csv";
std::string saliencyPngName(const std::string& modality);  // "<modality>-saliency.png"

// The branch's PNG (its input beside the overlay) at `path`, atomically.
void writeSaliencyPng(const SampleExplanation& e, std::size_t branch, const std::string& path);

struct ExplainRequest {
    std::string run_dir;
    std::string sample;      // see explainTestSample
    std::string class_name;  // see explainTestSample
    std::string out_dir;     // created when missing
    int threads = 1;
};

struct ExplainReport {
    std::string run_dir, out_dir;
    SampleExplanation sample;
    explain::ModalityContributions contributions;
    std::vector<std::string> files;  // written, relative to out_dir
    std::vector<std::string> warnings;
};

// Writes <out>/<modality>-saliency.png per branch, <out>/explain.json (the
// sample, its maps as numbers, the contributions) and <out>/modality-contribution.csv.
std::vector<std::string> writeExplanation(const std::string& out_dir, const std::string& run_dir,
                                          const SampleExplanation& sample,
                                          const explain::ModalityContributions& contributions);

// Load, explain `request.sample`, compute the contributions, write the files.
ExplainReport explainRun(const ExplainRequest& request, const ProgressCallback& progress = {});

nlohmann::json toJson(const SampleExplanation& e);
nlohmann::json toJson(const ExplainReport& r);

}  // namespace tm2::workflow
