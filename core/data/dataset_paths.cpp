#include "core/data/dataset_paths.h"

namespace tm2::data {

namespace fs = std::filesystem;

namespace {

// Symlinks resolved as far as the path exists; never throws.
fs::path resolved(const fs::path& path) {
    std::error_code ec;
    fs::path absolute = fs::absolute(path, ec);
    if (ec) absolute = path;
    fs::path real = fs::weakly_canonical(absolute, ec);
    return ec ? absolute.lexically_normal() : real;
}

// Component-wise, so /data/set2 is not inside /data/set.
bool isInside(const fs::path& folder, const fs::path& file) {
    auto f = folder.begin(), p = file.begin();
    for (; f != folder.end(); ++f, ++p) {
        if (f->empty()) continue;  // a trailing separator
        if (p == file.end() || *f != *p) return false;
    }
    return p != file.end();
}

}  // namespace

DatasetFilePolicy::DatasetFilePolicy(const fs::path& root, bool allow_outside)
    : root_(root), real_root_(resolved(root)), allow_outside_(allow_outside) {}

std::optional<std::string> DatasetFilePolicy::refusal(const fs::path& file) const {
    std::error_code ec;
    const fs::file_status status = fs::status(file, ec);  // follows symlinks
    if (!fs::exists(status)) return std::string("file not found");
    if (!fs::is_regular_file(status))
        return std::string(
            "not a regular file (a device, FIFO, socket or folder); such files are never read");
    if (allow_outside_) return std::nullopt;
    const fs::path real = resolved(file);
    if (isInside(real_root_, real)) return std::nullopt;
    return "outside the dataset folder " + root_.string() + " (resolves to " + real.string() +
           "); pass --allow-outside-paths to read files elsewhere on purpose";
}

}  // namespace tm2::data
