#pragma once
// A fresh folder under the system temp dir, removed when the test ends.

#include <filesystem>
#include <string>

namespace tm2::testing {

class TempDir {
public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

    const std::filesystem::path& path() const { return path_; }
    std::string file(const std::string& name) const { return (path_ / name).string(); }

private:
    std::filesystem::path path_;
};

// Writes `text` to `path`, creating parent folders.
void writeTextFile(const std::filesystem::path& path, const std::string& text);

}  // namespace tm2::testing
