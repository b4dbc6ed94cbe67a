#pragma once
// Which files a dataset may make us open. Datasets come from other people: a
// manifest row, a label file or a symlink may point at /etc, at another user's
// files or at a device (/dev/zero never ends; a FIFO blocks forever). By
// default only regular files inside the dataset folder — after resolving
// symlinks — are read; `allow_outside` lets a user point at a shared corpus on
// purpose, but devices, FIFOs, sockets and folders are refused either way.

#include <filesystem>
#include <optional>
#include <string>

namespace tm2::data {

class DatasetFilePolicy {
public:
    DatasetFilePolicy(const std::filesystem::path& root, bool allow_outside);

    // nullopt when `file` may be read, else the reason it is skipped:
    // "file not found", "not a regular file …" or "outside the dataset folder …".
    std::optional<std::string> refusal(const std::filesystem::path& file) const;

private:
    std::filesystem::path root_;       // as given, for messages
    std::filesystem::path real_root_;  // symlinks resolved
    bool allow_outside_;
};

}  // namespace tm2::data
