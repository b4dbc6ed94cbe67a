#include "core/device/remote_runner.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>

#include "core/base/error.h"

extern char** environ;

namespace tm2::device {

namespace {

std::string slurp(std::FILE* f) {
    std::rewind(f);
    std::string s;
    char buf[4096];
    std::size_t n = 0;
    while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) s.append(buf, n);
    return s;
}

struct TmpFile {
    std::FILE* f = std::tmpfile();
    ~TmpFile() {
        if (f) std::fclose(f);
    }
};

std::string joined(const std::vector<std::string>& argv) {
    std::string s;
    for (const auto& a : argv) s += (s.empty() ? "" : " ") + a;
    return s;
}

std::string trimmed(std::string s) {
    while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
    return s;
}

}  // namespace

ProcessResult runProcess(const std::vector<std::string>& argv) {
    if (argv.empty()) throw Error("runProcess: empty argv");
    // Output goes to unlinked temp files, not pipes: a chatty child cannot block on a full pipe.
    TmpFile out, err;
    if (!out.f || !err.f) throw Error("cannot create temporary files for " + argv[0]);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&actions, fileno(out.f), STDOUT_FILENO);
    posix_spawn_file_actions_adddup2(&actions, fileno(err.f), STDERR_FILENO);
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    pid_t pid = 0;
    const int rc = posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) throw Error("cannot start " + argv[0] + ": " + std::strerror(rc));
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    ProcessResult r;
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    r.out = slurp(out.f);
    r.err = slurp(err.f);
    return r;
}

std::string shellQuote(const std::string& arg) {
    std::string q = "'";
    for (char c : arg) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return q + "'";
}

RemoteRunner::RemoteRunner(SshTarget target) : target_(std::move(target)) {
    if (target_.destination.empty()) throw Error("deploy: --host is empty");
    // A leading '-' would be read by ssh as an option.
    if (target_.destination.front() == '-')
        throw Error("deploy: host '" + target_.destination + "' starts with '-'");
}

std::vector<std::string> RemoteRunner::commonOptions() const {
    // Keys or agent only, never a password prompt; unknown or changed host keys refuse to connect.
    std::vector<std::string> o{"-o", "BatchMode=yes",
                               "-o", "StrictHostKeyChecking=yes",
                               "-o", "PasswordAuthentication=no",
                               "-o", "KbdInteractiveAuthentication=no",
                               "-o", "ConnectTimeout=" + std::to_string(target_.connect_timeout_s)};
    if (!target_.known_hosts.empty()) {
        o.insert(o.end(),
                 {"-o", "UserKnownHostsFile=" + target_.known_hosts, "-o", "GlobalKnownHostsFile=/dev/null"});
    }
    if (!target_.identity.empty()) o.insert(o.end(), {"-i", target_.identity, "-o", "IdentitiesOnly=yes"});
    return o;
}

std::vector<std::string> RemoteRunner::sshArgv(const std::vector<std::string>& remote_argv) const {
    std::vector<std::string> a{"ssh"};
    const auto o = commonOptions();
    a.insert(a.end(), o.begin(), o.end());
    if (target_.port > 0) a.insert(a.end(), {"-p", std::to_string(target_.port)});
    a.insert(a.end(), {"--", target_.destination});
    // ssh joins its command words with spaces for the remote shell: quote each.
    std::string command;
    for (const auto& w : remote_argv) command += (command.empty() ? "" : " ") + shellQuote(w);
    a.push_back(command);
    return a;
}

std::vector<std::string> RemoteRunner::scpArgv(const std::vector<std::string>& local_files,
                                               const std::string& remote_dir) const {
    std::vector<std::string> a{"scp", "-q", "-p"};  // -p keeps the executable bit
    const auto o = commonOptions();
    a.insert(a.end(), o.begin(), o.end());
    if (target_.port > 0) a.insert(a.end(), {"-P", std::to_string(target_.port)});
    a.push_back("--");
    a.insert(a.end(), local_files.begin(), local_files.end());
    a.push_back(target_.destination + ":" + remote_dir + "/");
    return a;
}

std::string RemoteRunner::run(const std::vector<std::string>& remote_argv) const {
    const auto r = runProcess(sshArgv(remote_argv));
    if (r.exit_code != 0)
        throw Error("ssh " + target_.destination + " " + joined(remote_argv) + " failed (exit " +
                    std::to_string(r.exit_code) + "): " + trimmed(r.err));
    return r.out;
}

void RemoteRunner::copy(const std::vector<std::string>& local_files, const std::string& remote_dir) const {
    const auto r = runProcess(scpArgv(local_files, remote_dir));
    if (r.exit_code != 0)
        throw Error("scp " + joined(local_files) + " to " + target_.destination + ":" + remote_dir +
                    " failed (exit " + std::to_string(r.exit_code) + "): " + trimmed(r.err));
}

}  // namespace tm2::device
