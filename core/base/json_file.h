#pragma once
// Reading JSON input (a file or text) with errors that name where it came from.
// nlohmann reports "1e999" as out_of_range, not parse_error, so a catch of
// parse_error alone let it escape as an "internal error"; here every way the
// text can be bad becomes a tm2::Error naming the origin and the byte.

#include <string>

#include <nlohmann/json.hpp>

namespace tm2 {

// Parses `text`; throws tm2::Error "ORIGIN: invalid JSON at byte N (…)" or
// "ORIGIN: number out of range at byte N (…)".
nlohmann::json parseJsonText(const std::string& text, const std::string& origin);

// Reads and parses the file at `path`; throws tm2::Error naming the path when it
// cannot be read, is not a regular file (devices, pipes and folders are refused
// before anything is read) or is not JSON.
nlohmann::json readJsonFile(const std::string& path);

}  // namespace tm2
