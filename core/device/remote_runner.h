#pragma once
// Runs programs without a shell (posix_spawn with an argv vector) and, on top
// of that, ssh/scp to a device with keys or agent only and host keys checked.

#include <string>
#include <vector>

namespace tm2::device {

struct ProcessResult {
    int exit_code = -1;  // 128 + signal when killed
    std::string out;
    std::string err;
};

// argv[0] is looked up in PATH; stdin is /dev/null. Throws tm2::Error when
// the program cannot be started.
ProcessResult runProcess(const std::vector<std::string>& argv);

struct SshTarget {
    std::string destination;  // USER@HOST
    int port = 0;             // 0: ssh's default
    std::string identity;     // private key file; empty: agent / default keys
    std::string known_hosts;  // empty: the user's known_hosts
    int connect_timeout_s = 10;
};

// Quotes one argument for the remote POSIX shell ssh hands its command to.
std::string shellQuote(const std::string& arg);

class RemoteRunner {
public:
    explicit RemoteRunner(SshTarget target);

    std::vector<std::string> sshArgv(const std::vector<std::string>& remote_argv) const;
    std::vector<std::string> scpArgv(const std::vector<std::string>& local_files,
                                     const std::string& remote_dir) const;

    // Throws tm2::Error with ssh's stderr when ssh or the remote command fails.
    std::string run(const std::vector<std::string>& remote_argv) const;
    void copy(const std::vector<std::string>& local_files, const std::string& remote_dir) const;

private:
    std::vector<std::string> commonOptions() const;
    SshTarget target_;
};

}  // namespace tm2::device
