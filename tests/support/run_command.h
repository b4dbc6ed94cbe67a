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

#ifdef TM2_CLI_PATH
// `tinym2net ARGS…` for the CLI end-to-end tests (TM2_CLI_PATH comes from CMake).
inline std::vector<std::string> cli(std::vector<std::string> args) {
    args.insert(args.begin(), TM2_CLI_PATH);
    return args;
}
#endif

}  // namespace tm2::testing
