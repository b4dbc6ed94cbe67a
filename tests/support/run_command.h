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

// A program started in the background (stdout/stderr to files), for tests that
// signal it while it works. The destructor kills and reaps it if still running.
class BackgroundCommand {
public:
    explicit BackgroundCommand(const std::vector<std::string>& argv);
    ~BackgroundCommand();
    BackgroundCommand(const BackgroundCommand&) = delete;
    BackgroundCommand& operator=(const BackgroundCommand&) = delete;

    int pid() const { return pid_; }
    void signal(int signal_number) const;
    bool running();        // false once it has exited (it is then reaped)
    CommandResult wait();  // reaps it: exit code, or 128 + signal

private:
    int pid_ = -1;
    bool reaped_ = false;
    int status_ = 0;
    std::string out_path_, err_path_, dir_;
};

#ifdef TM2_CLI_PATH
// `tinym2net ARGS…` for the CLI end-to-end tests (TM2_CLI_PATH comes from CMake).
inline std::vector<std::string> cli(std::vector<std::string> args) {
    args.insert(args.begin(), TM2_CLI_PATH);
    return args;
}
#endif

}  // namespace tm2::testing
