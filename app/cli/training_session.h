#pragma once
// The path every training verb walks: dataset → features (cached) →
// normalisation from train → tensors → spec (given or preset) bound to the data,
// plus the run folder and the experiment store entry.

#include <map>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "app/cli/dataset_options.h"
#include "core/model/model_spec.h"
#include "core/train/train_config.h"
#include "core/train/multimodal_net.h"
#include "core/train/training_data.h"

namespace tm2::cli {

struct TrainingOptions {
    DatasetOptions dataset;
    std::string spec_path;  // empty = preset for the dataset's modalities
    std::string only;       // one modality alone
    train::TrainConfig train;
    std::string class_weighting = "none";
    std::string lr_schedule = "constant";
    std::string out;        // run folder
    std::string workspace;  // experiment store folder
    bool json = false;
    bool quiet = false;

    void addTo(CLI::App& command, bool with_only);
};

struct PreparedTraining {
    train::TrainingData data;
    model::ModelSpec spec;
    train::TrainConfig config;
    std::string fingerprint;
    std::vector<std::string> warnings;
    std::size_t skipped = 0;
};

// Runs the pipeline; writes <out>/run.json, <out>/normalization.json and <out>/spec.json.
PreparedTraining prepareTraining(const TrainingOptions& options);

// A finished training run read back from its folder: the same data (rebuilt
// from run.json through the feature cache), its spec and config.
struct LoadedRun {
    std::string dir;
    DatasetOptions dataset;
    PreparedTraining prepared;
    bool aux_heads = false;
    std::string best_weights;  // checkpoints/best.pt
};
LoadedRun loadRun(const std::string& run_dir, int threads, bool quiet);

// The "bits" (layer → width) of a plan JSON written by `quantize`; every width
// must be an integer in [min_bits, max_bits]. Errors name the file and the field.
std::map<std::string, int> readPlanBits(const std::string& path, int min_bits = 2, int max_bits = 8);

// The network of `spec` with the weights saved at `weights` (NHWC, ready to quantize).
train::MultimodalNet loadTrainedNet(const model::ModelSpec& spec, bool aux_heads, const std::string& weights);

std::string defaultWorkspace();

}  // namespace tm2::cli
