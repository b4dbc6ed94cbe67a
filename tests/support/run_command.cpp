#include "tests/support/run_command.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <cstdint>
#include <filesystem>
#include <stdexcept>

#include "tests/support/temp_dir.h"

extern char** environ;

namespace tm2::testing {

namespace {

// Starts argv (found on PATH when bare, e.g. prlimit) with stdin from /dev/null and
// stdout/stderr into files: no pipe can fill up and block.
pid_t spawnWithOutputFiles(const std::vector<std::string>& argv, const std::string& out_path,
                           const std::string& err_path) {
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                     0644);
    posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                     0644);
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    pid_t pid = 0;
    const int rc = posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) throw std::runtime_error("cannot start " + argv[0]);
    return pid;
}

}  // namespace

CommandResult runCommand(const std::vector<std::string>& argv) {
    TempDir dir;  // stdout/stderr go to files: no pipe can fill up and block
    const std::string out_path = dir.file("out"), err_path = dir.file("err");
    const pid_t pid = spawnWithOutputFiles(argv, out_path, err_path);
    int status = 0;
    waitpid(pid, &status, 0);
    CommandResult result;
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    result.out = readFileBytes(out_path);
    result.err = readFileBytes(err_path);
    return result;
}

BackgroundCommand::BackgroundCommand(const std::vector<std::string>& argv) {
    dir_ = (std::filesystem::temp_directory_path() / ("tm2-background-" + std::to_string(getpid()) + "-" +
                                                      std::to_string(reinterpret_cast<std::uintptr_t>(this))))
               .string();
    std::filesystem::create_directories(dir_);
    out_path_ = dir_ + "/out";
    err_path_ = dir_ + "/err";
    pid_ = spawnWithOutputFiles(argv, out_path_, err_path_);
}

BackgroundCommand::~BackgroundCommand() {
    if (!reaped_) {
        kill(pid_, SIGKILL);
        waitpid(pid_, nullptr, 0);
    }
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
}

void BackgroundCommand::signal(int signal_number) const { kill(pid_, signal_number); }

bool BackgroundCommand::running() {
    if (reaped_) return false;
    if (waitpid(pid_, &status_, WNOHANG) == 0) return true;
    reaped_ = true;
    return false;
}

CommandResult BackgroundCommand::wait() {
    if (!reaped_) {
        waitpid(pid_, &status_, 0);
        reaped_ = true;
    }
    CommandResult result;
    result.exit_code = WIFEXITED(status_) ? WEXITSTATUS(status_) : 128 + WTERMSIG(status_);
    result.out = readFileBytes(out_path_);
    result.err = readFileBytes(err_path_);
    return result;
}

}  // namespace tm2::testing
