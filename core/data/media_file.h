#pragma once
// The checks every media decoder makes before handing a path to its library,
// so a missing, empty or odd file gets the same clear reason whatever its kind.

#include <cstdint>
#include <string>

namespace tm2::data {

// Throws tm2::Error "<path>: file not found" / "not a regular file" /
// "cannot read (…)" / "file is empty"; returns the size in bytes.
std::uintmax_t requireNonEmptyFile(const std::string& path);

}  // namespace tm2::data
