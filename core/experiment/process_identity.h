#pragma once
// Which process records a run, and whether it still lives: the store marks a
// "running" run whose process died (kill -9, OOM killer, power loss) as
// "interrupted" the next time it is opened.

#include <cstdint>
#include <string>

namespace tm2::experiment {

struct ProcessIdentity {
    std::int64_t pid = 0;
    std::string host;
    // Start time of the process in clock ticks since boot (Linux /proc/PID/stat
    // field 22), 0 when unknown: a pid reused by another process has another start.
    std::int64_t start_ticks = 0;
};

ProcessIdentity currentProcess();

enum class ProcessState {
    Alive,
    Dead,
    Unknown,  // another host (or no pid recorded): only a stale heartbeat tells
};

// The state of the recorded process, judged from this host.
ProcessState processState(const ProcessIdentity& recorded);

}  // namespace tm2::experiment
