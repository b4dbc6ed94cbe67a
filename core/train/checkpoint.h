#pragma once
// Per-epoch checkpoints in a folder, written so that a run killed at any
// moment resumes from its last complete epoch:
//   epoch-0007.pt   model + optimizer state (written to a temp name, renamed)
//   state.json      {"epoch": 7, "file": "epoch-0007.pt", …}  — the commit point
//   best.pt         model weights of the best validation epoch
// Older epoch files are removed only after state.json names the new one.

#include <optional>
#include <string>

#include <nlohmann/json.hpp>
#include <torch/torch.h>

namespace tm2::train {

class CheckpointFolder {
public:
    explicit CheckpointFolder(std::string dir);  // creates the folder; throws tm2::Error if it cannot

    // Saves epoch `epoch` (1-based) and commits `state` (the caller's JSON; "epoch"/"file" are set here).
    void save(int epoch, torch::nn::Module& model, torch::optim::Optimizer& optimizer, nlohmann::json state);
    // The committed state, if any; loads model and optimizer from its file.
    std::optional<nlohmann::json> load(torch::nn::Module& model, torch::optim::Optimizer& optimizer) const;

    void saveBest(torch::nn::Module& model) const;
    std::string bestPath() const;
    const std::string& dir() const { return dir_; }

private:
    std::string dir_;
};

}  // namespace tm2::train
