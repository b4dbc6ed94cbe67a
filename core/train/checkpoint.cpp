#include "core/train/checkpoint.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/base/atomic_write.h"
#include "core/base/error.h"
#include "core/base/json_file.h"

namespace tm2::train {

namespace fs = std::filesystem;

namespace {
std::string epochFileName(int epoch) {
    char name[32];
    std::snprintf(name, sizeof name, "epoch-%04d.pt", epoch);
    return name;
}

// `epoch-NNNN.pt` and nothing else: a name read back from state.json is joined
// to the folder and later removed, so an absolute path or a `..` would reach
// files outside the run.
bool isEpochFileName(const std::string& name) {
    const std::string prefix = "epoch-", suffix = ".pt";
    if (name.size() < prefix.size() + 4 + suffix.size() || name.compare(0, prefix.size(), prefix) != 0 ||
        name.compare(name.size() - suffix.size(), suffix.size(), suffix) != 0)
        return false;
    for (std::size_t i = prefix.size(); i < name.size() - suffix.size(); ++i)
        if (name[i] < '0' || name[i] > '9') return false;
    return true;
}

// The committed state: a JSON object whose "file" is an epoch file name of this folder.
nlohmann::json readState(const fs::path& state_path) {
    nlohmann::json state;
    try {
        state = readJsonFile(state_path.string());
    } catch (const Error& e) {
        throw Error(std::string(e.what()) +
                    " (damaged checkpoint state; remove the checkpoints folder to start over)");
    }
    if (!state.is_object())
        throw Error(state_path.string() + ": damaged checkpoint state (not a JSON object)");
    const auto file = state.find("file");
    if (file == state.end() || !file->is_string() || !isEpochFileName(file->get<std::string>()))
        throw Error(state_path.string() +
                    ": field 'file' must be a checkpoint name like epoch-0007.pt in this folder, got " +
                    (file == state.end() ? std::string("nothing") : file->dump()) +
                    "; refusing to touch it (remove the checkpoints folder to start over)");
    return state;
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
    // The previous commit is read (and checked) before anything is written.
    const fs::path state_path = fs::path(dir_) / "state.json";
    std::optional<std::string> previous;
    std::error_code ec;
    if (fs::exists(fs::symlink_status(state_path, ec)))
        previous = readState(state_path).at("file").get<std::string>();

    const std::string file = epochFileName(epoch);
    const fs::path final_path = fs::path(dir_) / file;
    torch::serialize::OutputArchive archive;
    torch::serialize::OutputArchive model_archive, optimizer_archive;
    model.save(model_archive);
    optimizer.save(optimizer_archive);
    archive.write("model", model_archive);
    archive.write("optimizer", optimizer_archive);
    replaceFileAtomically(final_path.string(), [&](const std::string& tmp) { archive.save_to(tmp); });

    state["epoch"] = epoch;
    state["file"] = file;
    writeFileAtomically(state_path.string(), state.dump(2));
    if (previous && *previous != file) fs::remove(fs::path(dir_) / *previous, ec);
}

std::optional<nlohmann::json> CheckpointFolder::load(torch::nn::Module& model,
                                                     torch::optim::Optimizer& optimizer) const {
    const fs::path state_path = fs::path(dir_) / "state.json";
    std::error_code ec;
    if (!fs::exists(fs::symlink_status(state_path, ec))) return std::nullopt;
    const nlohmann::json state = readState(state_path);
    const fs::path file = fs::path(dir_) / state.at("file").get<std::string>();
    const fs::file_status status = fs::symlink_status(file, ec);
    if (!fs::exists(status))
        throw Error(state_path.string() + ": names " + file.string() + ", which is missing");
    // A symlink would load another run's weights (or anything else) as this run's.
    if (!fs::is_regular_file(status))
        throw Error(state_path.string() + ": names " + file.string() + ", which is not a regular file");
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
