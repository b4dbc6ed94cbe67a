#pragma once
// The path every training workflow walks: dataset → features (cached) →
// normalisation from train → tensors → spec (given or preset) bound to the data,
// plus the run folder. Used alike by the CLI verbs and the GUI panes.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/base/progress.h"
#include "core/model/model_spec.h"
#include "core/train/multimodal_net.h"
#include "core/train/train_config.h"
#include "core/train/training_data.h"
#include "core/workflow/dataset_options.h"

namespace tm2::workflow {

struct TrainingOptions {
    DatasetOptions dataset;
    std::string spec_path;  // empty = `spec` if it has branches, else the preset for the dataset's modalities
    model::ModelSpec spec;  // an in-memory spec (the GUI's designer); spec_path wins when both are set
    std::string only;       // one modality alone
    std::optional<model::FusionType> fusion;  // replaces the spec's fusion (compare --fusion)
    train::TrainConfig train;
    std::string class_weighting = "none";  // none | balanced
    std::string lr_schedule = "constant";  // constant | cosine | step
    std::string select_by = "accuracy";    // accuracy | uar | loss: the validation figure that picks the best epoch
    std::string augment;  // `--augment` text (train::parseAugment); empty = keep train.augment as set
    // Read training batches from the feature cache instead of holding every feature in
    // memory (flat memory for corpora larger than RAM; the same results, bit for bit).
    bool stream_features = false;
    std::string out;        // run folder
    std::string workspace;  // experiment store folder (empty = defaultWorkspace())
};

struct PreparedTraining {
    train::TrainingData data;
    model::ModelSpec spec;
    train::TrainConfig config;
    std::string fingerprint;
    std::vector<std::string> warnings;
    std::size_t skipped = 0;
    // Feature files found in the cache vs extracted now (after `data features --shard`: all found).
    std::size_t cache_hits = 0, cache_misses = 0;
};

// Runs the pipeline; writes <out>/run.json, <out>/normalization.json and
// <out>/spec.json. `progress` sees the feature extraction and may cancel it.
// When <out> holds a run and options.train.resume is set, the settings, spec and
// data fingerprint must match it (see resume_check.h) or nothing is written;
// without resume, the folder's old checkpoints and result are removed first.
PreparedTraining prepareTraining(const TrainingOptions& options, const ProgressCallback& progress = {});

// A finished training run read back from its folder: the same data (rebuilt
// from run.json through the feature cache), its spec and config. A `compare`
// or `ablate` folder loads as its fused (multimodal) network.
struct LoadedRun {
    std::string dir;
    DatasetOptions dataset;
    PreparedTraining prepared;
    bool aux_heads = false;
    std::string best_weights;  // checkpoints/best.pt (checkpoints/multimodal/best.pt of a comparison)
};
LoadedRun loadRun(const std::string& run_dir, int threads, const ProgressCallback& progress = {});

// Bit widths the runtime's kernels execute (what `export` accepts).
inline const std::vector<int> kRuntimeBitWidths{2, 4, 8};
// Bit widths the fake-quantized simulation takes (what `quantize --plan` accepts).
inline const std::vector<int> kSimulatedBitWidths{2, 3, 4, 5, 6, 7, 8};

// The "bits" (layer → width) of a plan JSON written by `quantize`: a non-empty
// object whose every value is an integer among `widths`. Errors name the file
// and the field (bits.<layer>), never wrap a huge number into range.
std::map<std::string, int> readPlanBits(const std::string& path,
                                        const std::vector<int>& widths = kSimulatedBitWidths);

// The network of `spec` with the weights saved at `weights` (NHWC, ready to quantize).
train::MultimodalNet loadTrainedNet(const model::ModelSpec& spec, bool aux_heads, const std::string& weights);

// $XDG_DATA_HOME/tinym2net, else ~/.local/share/tinym2net.
std::string defaultWorkspace();
inline std::string workspaceOrDefault(const std::string& workspace) {
    return workspace.empty() ? defaultWorkspace() : workspace;
}

}  // namespace tm2::workflow
