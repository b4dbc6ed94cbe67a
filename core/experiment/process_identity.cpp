#include "core/experiment/process_identity.h"

#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <fstream>
#include <sstream>

namespace tm2::experiment {
namespace {

std::string hostName() {
    char name[256] = {};
    if (gethostname(name, sizeof name - 1) != 0) return "";
    return name;
}

struct ProcStat {
    bool found = false;
    char state = '?';
    std::int64_t start_ticks = 0;
};

// /proc/PID/stat: "pid (comm) state ppid … starttime(22) …"; comm may hold spaces
// and parentheses, so fields are counted from the last ')'.
ProcStat readProcStat(std::int64_t pid) {
    ProcStat stat;
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::string line;
    if (!in || !std::getline(in, line)) return stat;
    const auto close = line.rfind(')');
    if (close == std::string::npos) return stat;
    std::istringstream fields(line.substr(close + 1));
    std::string field;
    fields >> stat.state;  // field 3
    for (int index = 4; index <= 22 && fields >> field; ++index)
        if (index == 22) stat.start_ticks = std::stoll(field);
    stat.found = true;
    return stat;
}

}  // namespace

ProcessIdentity currentProcess() {
    ProcessIdentity self;
    self.pid = static_cast<std::int64_t>(getpid());
    self.host = hostName();
    self.start_ticks = readProcStat(self.pid).start_ticks;
    return self;
}

ProcessState processState(const ProcessIdentity& recorded) {
    if (recorded.pid <= 0 || recorded.host.empty() || recorded.host != hostName())
        return ProcessState::Unknown;
    const ProcStat stat = readProcStat(recorded.pid);
    if (stat.found) {
        // A zombie has exited; only its parent has not reaped it yet.
        if (stat.state == 'Z' || stat.state == 'X') return ProcessState::Dead;
        if (recorded.start_ticks != 0 && stat.start_ticks != recorded.start_ticks) return ProcessState::Dead;
        return ProcessState::Alive;
    }
    // No /proc (macOS) or the pid is gone: ask the kernel.
    if (kill(static_cast<pid_t>(recorded.pid), 0) == 0 || errno == EPERM) return ProcessState::Alive;
    return ProcessState::Dead;
}

}  // namespace tm2::experiment
