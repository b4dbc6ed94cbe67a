// The trainer loop without the CLI: trains a bound spec.json on float32 .npy features
// (the files bench/train_peer.py reads: train_<modality>.npy, train_labels.npy) and prints
// {"samples_per_s": …} as train_peer.py does. With TM2_TRAIN_PHASES set the trainer also
// prints where the time goes (docs/training-speed.md).
//   train_loop_bench SPEC.json FEATURES_DIR [EPOCHS] [THREADS]
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>

#include <nlohmann/json.hpp>

#include "core/base/allocator_tuning.h"
#include "core/base/npy.h"
#include "core/train/trainer.h"

int main(int argc, char** argv) {
    if (argc < 3) {
        std::fprintf(stderr, "usage: train_loop_bench SPEC.json FEATURES_DIR [EPOCHS] [THREADS]\n");
        return 2;
    }
    tm2::keepLargeAllocationsInTheHeap();  // as the CLI's main() does
    try {
        std::ifstream in(argv[1]);
        const tm2::model::ModelSpec spec = nlohmann::json::parse(in).get<tm2::model::ModelSpec>();
        const std::string dir = argv[2];
        tm2::train::TrainingData data;
        for (const auto& branch : spec.branches) {
            const tm2::Tensor x = tm2::readNpy(dir + "/train_" + branch.modality + ".npy");
            std::vector<int64_t> dims(x.shape.begin(), x.shape.end());
            data.modalities.push_back(branch.modality);
            data.shapes.emplace_back(x.shape.begin() + 1, x.shape.end());
            data.train.inputs.push_back(torch::from_blob(const_cast<float*>(x.values.data()), dims).clone());
        }
        const tm2::Tensor y = tm2::readNpy(dir + "/train_labels.npy");
        data.train.labels = torch::from_blob(const_cast<float*>(y.values.data()),
                                             {static_cast<int64_t>(y.values.size())})
                                .to(torch::kInt64);
        const int64_t classes = data.train.labels.max().item<int64_t>() + 1;
        for (int64_t c = 0; c < std::max<int64_t>(classes, spec.num_classes); ++c)
            data.classes.push_back("c" + std::to_string(c));
        tm2::train::TrainConfig config;
        config.epochs = argc > 3 ? std::atoi(argv[3]) : 3;
        config.threads = argc > 4 ? std::atoi(argv[4]) : 1;
        config.batch_size = 32;
        const tm2::train::TrainResult r = tm2::train::trainModel(spec, data, config, {});
        std::cout << nlohmann::json{{"samples_per_s", r.train_samples_per_s}, {"epochs", config.epochs},
                                    {"threads", config.threads}}
                         .dump()
                  << "\n";
    } catch (const std::exception& e) {
        std::fprintf(stderr, "train_loop_bench: %s\n", e.what());
        return 1;
    }
    return 0;
}
