// Peak memory of training against dataset size (bench/run_train_memory.sh):
//   train_memory_bench make FOLDER CACHE_DIR SAMPLES   synthetic dataset, features straight into the cache
//   train_memory_bench train FOLDER CACHE_DIR [--in-memory]
// `train` walks the path `tinym2net train` walks (dataset → features from the
// cache → splits, train-only normalisation → tensors → one epoch of a tiny
// one-branch spec, batch 64, 2 threads), features streamed from the cache unless
// --in-memory (today's path: every feature held). A plain main, not a Google
// Benchmark: the measurement is the process's peak RSS, taken by the script.
#include <fstream>
#include <iostream>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "core/base/error.h"
#include "core/data/manifest.h"
#include "core/data/splits.h"
#include "core/data/synthetic_cached_dataset.h"
#include "core/train/trainer.h"

namespace {

using namespace tm2;

// One strided conv, a 4×4 pool and an FC: training costs little, so memory is what the data holds.
constexpr const char* kTinySpec = R"({"name": "tiny-audio", "branches": [{"modality": "audio", "layers": [
  {"type": "conv2d", "out_channels": 4, "kernel": 3, "stride": 2, "padding": 1, "activation": "relu", "bias": true},
  {"type": "maxpool2d", "kernel": 4, "stride": 4, "padding": 0},
  {"type": "flatten"},
  {"type": "fc", "out_features": 8, "activation": "relu", "bias": true}]}]})";

// The process's resident and peak resident memory now (Linux /proc), on stderr: where the peak is reached.
void reportMemory(const char* phase) {
    std::ifstream status("/proc/self/status");
    std::string line, rss, hwm;
    while (std::getline(status, line)) {
        if (line.rfind("VmRSS:", 0) == 0) rss = line.substr(6);
        if (line.rfind("VmHWM:", 0) == 0) hwm = line.substr(6);
    }
    std::cerr << "memory after " << phase << ": resident" << rss << ", peak" << hwm << "\n";
}

void trainOneEpoch(const std::string& folder, const std::string& cache_dir, bool stream) {
    data::DatasetIndex index = data::readManifest(folder);
    const data::SplitConfig split;  // 15 % validation, 15 % test, seed 42, group-aware: the CLI's defaults
    data::assignSplits(index, split);
    reportMemory("the dataset index and its splits");
    data::FeatureOptions options;
    options.cache_dir = cache_dir;
    options.threads = 2;
    options.stream = stream;
    // As `tinym2net train`: the index is consumed (its samples freed as their items are added).
    auto features = std::make_shared<data::FeatureSet>(data::buildFeatures(std::move(index), options));
    reportMemory("the features");
    data::requireHeldOutSplits(*features, split);
    data::applyNormalization(*features, data::computeNormalization(*features));
    const train::TrainingData training = train::makeTrainingData(std::shared_ptr<const data::FeatureSet>(features));
    reportMemory("the training data");
    features.reset();  // streamed: the splits keep the set alive; in memory: the tensors hold every value
    train::TrainConfig config;
    config.epochs = 1;
    config.batch_size = 64;
    config.threads = 2;
    const train::TrainResult result =
        train::trainModel(nlohmann::json::parse(kTinySpec).get<model::ModelSpec>(), training, config);
    reportMemory("one epoch");
    std::cout << training.train.size() << " train, " << training.val.size() << " val, " << training.test.size()
              << " test samples (" << (stream ? "streamed" : "in memory") << "); test accuracy per recording "
              << result.test.accuracy << ", " << static_cast<long>(result.train_samples_per_s) << " samples/s\n";
}

}  // namespace

int main(int argc, char** argv) {
    const std::string verb = argc > 1 ? argv[1] : "";
    try {
        if (verb == "make" && argc == 5) {
            tm2::data::SyntheticCachedDatasetConfig config;
            config.folder = argv[2];
            config.cache_dir = argv[3];
            config.samples = std::stoul(argv[4]);
            tm2::data::makeSyntheticCachedDataset(config);
            return 0;
        }
        if (verb == "train" && (argc == 4 || (argc == 5 && std::string(argv[4]) == "--in-memory"))) {
            trainOneEpoch(argv[2], argv[3], argc == 4);
            return 0;
        }
    } catch (const std::exception& e) {
        std::cerr << "error: " << e.what() << "\n";
        return 1;
    }
    std::cerr << "usage: train_memory_bench make FOLDER CACHE_DIR SAMPLES\n"
                 "       train_memory_bench train FOLDER CACHE_DIR [--in-memory]\n";
    return 2;
}
