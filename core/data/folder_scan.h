#pragma once
// Folder listings shared by the layout readers (folder, Coswara, ComParE).
// Private to core/data: not part of the public dataset API.

#include <filesystem>
#include <string>
#include <vector>

namespace tm2::data {

// Sorted by name; hidden entries (".DS_Store", ".git") are left out and an
// unreadable folder reads as empty, so one stray permission never aborts a scan.
// listFiles lists every entry that is not a folder (devices and dangling links
// too): readers check each with a DatasetFilePolicy and report what they skip.
std::vector<std::filesystem::path> listSubfolders(const std::filesystem::path& dir);
std::vector<std::filesystem::path> listFiles(const std::filesystem::path& dir);

// Absolute and lexically normal; never throws.
std::filesystem::path absoluteNormal(const std::string& path);

}  // namespace tm2::data
