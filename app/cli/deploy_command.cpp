// `tinym2net deploy --host USER@HOST`: copies tinym2net-bench and a model to a
// device over SSH, runs the benchmark there and records its JSON in the
// experiment store (kind "deploy") under the device's name.

#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "app/cli/commands.h"
#include "core/workflow/device_deploy.h"

namespace tm2::cli {

namespace {

struct DeployArgs {
    workflow::DeployRequest request;
    bool json = false;
};

void runDeploy(const DeployArgs& a) {
    const nlohmann::json result = workflow::deployAndRecord(a.request);
    if (a.json) {
        std::cout << result.dump(2) << "\n";
    } else {
        std::cout << "run " << result["run_id"].get<std::string>() << " on "
                  << result["device"].get<std::string>() << ":\n"
                  << result["bench"].dump(2) << "\n";
    }
}

}  // namespace

void registerDeployCommand(CLI::App& app) {
    auto a = std::make_shared<DeployArgs>();
    CLI::App* c = app.add_subcommand(
        "deploy",
        "Copy tinym2net-bench and a model to a device over SSH (keys or agent only, host keys checked),\n"
        "run the benchmark there and store its JSON in the experiment store with the device name.");
    c->add_option("--host", a->request.target.destination, "USER@HOST")->required();
    c->add_option("--port", a->request.target.port, "SSH port");
    c->add_option("--identity", a->request.target.identity,
                  "Private key file (default: agent / ssh's default keys)");
    c->add_option("--known-hosts", a->request.target.known_hosts,
                  "known_hosts file to check the host key against");
    c->add_option("--model", a->request.model, "Model file (.tmn) to benchmark");
    c->add_option("--bench", a->request.bench,
                  "Bench binary built for the device (default: tinym2net-bench beside tinym2net)");
    c->add_option("--remote-dir", a->request.remote_dir, "Folder on the device for the copies")
        ->capture_default_str();
    c->add_option("--workspace", a->request.workspace,
                  "Experiment store folder (default ~/.local/share/tinym2net)");
    c->add_option("--name", a->request.name, "Label for the run");
    c->add_flag("--json", a->json, "Print {run_id, device, host, bench}");
    c->callback([a] { runDeploy(*a); });
}

}  // namespace tm2::cli
