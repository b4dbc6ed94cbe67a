#pragma once
// Long work in core reports progress through a plain callback and can be
// cancelled by it (returning false); the GUI and CLI supply their own.

#include <cstddef>
#include <functional>
#include <string>

namespace tm2 {

struct Progress {
    std::string stage;      // what is being done, e.g. "features"
    std::size_t done = 0;   // items finished
    std::size_t total = 0;  // items in all (0 when unknown)
    std::string detail;     // optional free text (current file, loss…)
};

// Return false to ask the work to stop; it then throws tm2::Cancelled.
using ProgressCallback = std::function<bool(const Progress&)>;

// Calls `callback` if set and throws Cancelled when it asks to stop.
void reportProgress(const ProgressCallback& callback, const Progress& progress);

}  // namespace tm2
