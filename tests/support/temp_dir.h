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

// Writes `text` (any bytes) to `path`, creating parent folders.
void writeTextFile(const std::filesystem::path& path, const std::string& text);

// The whole file as bytes; empty when it cannot be read.
std::string readFileBytes(const std::filesystem::path& path);

}  // namespace tm2::testing
