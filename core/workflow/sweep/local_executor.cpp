#include "core/workflow/sweep/local_executor.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <thread>

#include "core/base/error.h"

extern char** environ;

namespace tm2::sweep {

namespace {

pid_t spawnTrial(const LocalTrialJob& job) {
    const int log = ::open(job.log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (log < 0) throw Error(job.log_path + ": cannot open the trial's log");
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&actions, log, STDOUT_FILENO);
    posix_spawn_file_actions_adddup2(&actions, log, STDERR_FILENO);
    std::vector<char*> args;
    for (const auto& a : job.argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    pid_t pid = 0;
    const int rc = posix_spawn(&pid, args[0], &actions, nullptr, args.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    ::close(log);
    if (rc != 0) throw Error(job.argv[0] + ": cannot start a trial (" + std::string(strerror(rc)) + ")");
    return pid;
}

int exitCodeOf(int status) { return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status); }

}  // namespace

std::vector<LocalTrialExit> runTrialsLocally(const std::vector<LocalTrialJob>& jobs, int parallel,
                                             const std::function<bool()>& keep_going,
                                             const std::function<void(const LocalTrialExit&)>& on_exit) {
    struct Child {
        pid_t pid;
        int index;
    };
    std::vector<Child> running;
    std::vector<LocalTrialExit> exits;
    std::size_t next = 0;
    bool stopping = false;
    if (parallel < 1) parallel = 1;
    while (next < jobs.size() || !running.empty()) {
        if (!stopping && keep_going && !keep_going()) {
            stopping = true;
            for (const Child& c : running) ::kill(c.pid, SIGTERM);
        }
        while (!stopping && next < jobs.size() && static_cast<int>(running.size()) < parallel) {
            running.push_back({spawnTrial(jobs[next]), jobs[next].index});
            ++next;
        }
        if (stopping && running.empty()) break;
        bool reaped = false;
        for (auto c = running.begin(); c != running.end();) {
            int status = 0;
            const pid_t done = ::waitpid(c->pid, &status, WNOHANG);
            if (done == c->pid || (done < 0 && errno == ECHILD)) {
                const LocalTrialExit exit{c->index, static_cast<long>(c->pid),
                                          done == c->pid ? exitCodeOf(status) : 1};
                exits.push_back(exit);
                if (on_exit) on_exit(exit);
                c = running.erase(c);
                reaped = true;
            } else {
                ++c;
            }
        }
        if (!reaped) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return exits;
}

}  // namespace tm2::sweep
