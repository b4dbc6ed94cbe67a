#include "core/train/checkpoint.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/base/atomic_write.h"
#include "core/base/error.h"

namespace tm2::train {

namespace fs = std::filesystem;

namespace {
std::string epochFileName(int epoch) {
    char name[32];
    std::snprintf(name, sizeof name, "epoch-%04d.pt", epoch);
    return name;
}

}  // namespace

CheckpointFolder::CheckpointFolder(std::string dir) : dir_(std::move(dir)) {
    std::error_code ec;
    fs::create_directories(dir_, ec);
    if (ec || !fs::is_directory(dir_)) throw Error(dir_ + ": cannot create checkpoint folder");
    // Fail now, not after the first epoch, when the folder is not writable.
    const fs::path probe = fs::path(dir_) / ".write-test";
    std::ofstream(probe) << "ok";
    if (!fs::exists(probe)) throw Error(dir_ + ": checkpoint folder is not writable");
    fs::remove(probe, ec);
}

void CheckpointFolder::save(int epoch, torch::nn::Module& model, torch::optim::Optimizer& optimizer,
                            nlohmann::json state) {
    const std::string file = epochFileName(epoch);
    const fs::path final_path = fs::path(dir_) / file;
    torch::serialize::OutputArchive archive;
    torch::serialize::OutputArchive model_archive, optimizer_archive;
    model.save(model_archive);
    optimizer.save(optimizer_archive);
    archive.write("model", model_archive);
    archive.write("optimizer", optimizer_archive);
    replaceFileAtomically(final_path.string(), [&](const std::string& tmp) { archive.save_to(tmp); });

    std::optional<std::string> previous;
    if (std::ifstream in(fs::path(dir_) / "state.json"); in) {
        try {
            previous = nlohmann::json::parse(in).value("file", std::string());
        } catch (const nlohmann::json::exception&) {
        }
    }
    state["epoch"] = epoch;
    state["file"] = file;
    writeFileAtomically((fs::path(dir_) / "state.json").string(), state.dump(2));
    if (previous && !previous->empty() && *previous != file) {
        std::error_code ec;
        fs::remove(fs::path(dir_) / *previous, ec);
    }
}

std::optional<nlohmann::json> CheckpointFolder::load(torch::nn::Module& model,
                                                     torch::optim::Optimizer& optimizer) const {
    const fs::path state_path = fs::path(dir_) / "state.json";
    std::ifstream in(state_path);
    if (!in) return std::nullopt;
    nlohmann::json state;
    try {
        state = nlohmann::json::parse(in);
    } catch (const nlohmann::json::exception&) {
        throw Error(state_path.string() + ": damaged checkpoint state (invalid JSON)");
    }
    const fs::path file = fs::path(dir_) / state.value("file", std::string());
    if (!fs::exists(file)) throw Error(state_path.string() + ": names " + file.string() + ", which is missing");
    try {
        torch::serialize::InputArchive archive, model_archive, optimizer_archive;
        archive.load_from(file.string());
        archive.read("model", model_archive);
        archive.read("optimizer", optimizer_archive);
        model.load(model_archive);
        optimizer.load(optimizer_archive);
    } catch (const c10::Error& e) {
        throw Error(file.string() + ": cannot load checkpoint (does it belong to another model spec?)");
    }
    return state;
}

void CheckpointFolder::saveBest(torch::nn::Module& model) const {
    const std::string path = bestPath();
    torch::serialize::OutputArchive archive;
    model.save(archive);
    replaceFileAtomically(path, [&](const std::string& tmp) { archive.save_to(tmp); });
}

std::string CheckpointFolder::bestPath() const { return (fs::path(dir_) / "best.pt").string(); }

}  // namespace tm2::train
