#pragma once
// The local executor: runs each trial as a child process (`tinym2net sweep
// run-trial …`, the same command a Slurm task runs), at most `jobs` at once,
// each one's stdout and stderr appended to its log file. A failing trial does
// not stop the others. When `keep_going` returns false (Ctrl-C, SIGTERM) the
// running children get SIGTERM — each stops after its current batch, keeping
// its checkpoint — no new one starts, and this returns once all have exited.

#include <functional>
#include <string>
#include <vector>

namespace tm2::sweep {

struct LocalTrialJob {
    int index = 0;
    std::vector<std::string> argv;  // argv[0] an absolute program path
    std::string log_path;
};

struct LocalTrialExit {
    int index = 0;
    long pid = 0;
    int exit_code = 0;  // 128 + signal when killed
};

// Returns every started trial's exit, in the order they ended; `on_exit` sees each as it ends.
std::vector<LocalTrialExit> runTrialsLocally(const std::vector<LocalTrialJob>& jobs, int parallel,
                                             const std::function<bool()>& keep_going,
                                             const std::function<void(const LocalTrialExit&)>& on_exit = {});

}  // namespace tm2::sweep
