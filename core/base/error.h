#pragma once
// The project's one exception type. Messages name the file, line or field at
// fault so a user can act on them ("manifest.csv:12: column 'label' is empty").

#include <stdexcept>
#include <string>

namespace tm2 {

class Error : public std::runtime_error {
public:
    explicit Error(const std::string& message) : std::runtime_error(message) {}
};

// Thrown when a progress callback asked to stop; callers treat it as a clean stop.
class Cancelled : public Error {
public:
    Cancelled() : Error("cancelled") {}
};

}  // namespace tm2
