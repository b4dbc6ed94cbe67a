#pragma once
// Benchmarking on a device over SSH (the CLI's `deploy` and the GUI's
// "Run on Raspberry Pi"): copy tinym2net-bench (built for the device) and a
// model, run the bench there, and record its JSON in the experiment store
// (kind "deploy") with the device's `uname -n -m`.

#include <nlohmann/json.hpp>
#include <string>

#include "core/base/progress.h"
#include "core/device/remote_runner.h"

namespace tm2::workflow {

struct DeployRequest {
    device::SshTarget target;
    std::string model;                            // .tmn; empty: the bench alone
    std::string bench;                            // empty: defaultBenchPath()
    std::string remote_dir = ".cache/tinym2net";  // relative to the remote home
    std::string workspace;                        // experiment store (empty: the default)
    std::string name;                             // run label
};

// tinym2net-bench beside the running executable.
std::string defaultBenchPath();

// Returns {device, host, bench, run_id}. The run is recorded as failed (and
// the tm2::Error rethrown) when the host is unreachable, untrusted, or the
// remote bench fails or prints no JSON.
nlohmann::json deployAndRecord(const DeployRequest& request, const ProgressCallback& progress = {});

}  // namespace tm2::workflow
