#pragma once
// Runs a program (no shell) and captures its stdout, stderr and exit code.

#include <string>
#include <vector>

namespace tm2::testing {

struct CommandResult {
    int exit_code = -1;
    std::string out;
    std::string err;
};

CommandResult runCommand(const std::vector<std::string>& argv);

}  // namespace tm2::testing
