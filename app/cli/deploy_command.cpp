// `tinym2net deploy --host USER@HOST`: copies tinym2net-bench and a model to a
// device over SSH, runs the benchmark there and records its JSON in the
// experiment store (kind "deploy") under the device's name.

#include <unistd.h>

#include <filesystem>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "app/cli/commands.h"
#include "app/cli/training_session.h"
#include "core/base/error.h"
#include "core/device/remote_runner.h"
#include "core/experiment/experiment_store.h"

namespace tm2::cli {

namespace {

namespace fs = std::filesystem;

struct DeployArgs {
    device::SshTarget target;
    std::string model;
    std::string bench;
    std::string remote_dir = ".cache/tinym2net";  // relative to the remote home
    std::string workspace;
    std::string name;
    bool json = false;
};

// tinym2net-bench beside this executable, when --bench is not given.
std::string defaultBench() {
    std::error_code ec;
    const fs::path self = fs::read_symlink("/proc/self/exe", ec);
    return ec ? std::string("tinym2net-bench") : (self.parent_path() / "tinym2net-bench").string();
}

std::string requireFile(const std::string& path, const char* what) {
    std::error_code ec;
    if (!fs::is_regular_file(path, ec)) throw Error(std::string(what) + " '" + path + "': no such file");
    return fs::absolute(path).string();
}

nlohmann::json deploy(const DeployArgs& a, experiment::ExperimentStore& store, const std::string& run_id) {
    const device::RemoteRunner remote(a.target);
    // `uname` first: it is the cheapest proof that the host is reachable and trusted.
    std::string device_name = remote.run({"uname", "-n", "-m"});
    while (!device_name.empty() && (device_name.back() == '\n' || device_name.back() == '\r'))
        device_name.pop_back();
    remote.run({"mkdir", "-p", a.remote_dir});
    std::vector<std::string> files{requireFile(a.bench.empty() ? defaultBench() : a.bench, "bench")};
    if (!a.model.empty()) files.push_back(requireFile(a.model, "model"));
    remote.copy(files, a.remote_dir);

    std::vector<std::string> command{a.remote_dir + "/" + fs::path(files[0]).filename().string()};
    if (!a.model.empty()) command.push_back(a.remote_dir + "/" + fs::path(files[1]).filename().string());
    command.push_back("--json");
    const std::string out = remote.run(command);
    nlohmann::json bench;
    try {
        bench = nlohmann::json::parse(out);
    } catch (const nlohmann::json::parse_error& e) {
        throw Error("remote bench on " + a.target.destination + " printed no valid JSON (" + e.what() +
                    "): " + out.substr(0, 200));
    }
    nlohmann::json result{{"device", device_name}, {"host", a.target.destination}, {"bench", bench}};
    if (!a.model.empty()) store.addArtifact(run_id, "model", files[1]);
    return result;
}

void runDeploy(const DeployArgs& a) {
    experiment::ExperimentStore store(a.workspace.empty() ? defaultWorkspace() : a.workspace);
    const nlohmann::json params{{"host", a.target.destination},
                                {"port", a.target.port},
                                {"model", a.model},
                                {"bench", a.bench},
                                {"remote_dir", a.remote_dir}};
    const std::string run_id = store.createRun("deploy", a.name, nullptr, params, "");
    nlohmann::json result;
    try {
        result = deploy(a, store, run_id);
    } catch (const Error& e) {
        store.failRun(run_id, "failed", e.what());
        throw;
    }
    store.finishRun(run_id, result);
    result["run_id"] = run_id;
    if (a.json) {
        std::cout << result.dump(2) << "\n";
    } else {
        std::cout << "run " << run_id << " on " << result["device"].get<std::string>() << ":\n"
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
    c->add_option("--host", a->target.destination, "USER@HOST")->required();
    c->add_option("--port", a->target.port, "SSH port");
    c->add_option("--identity", a->target.identity, "Private key file (default: agent / ssh's default keys)");
    c->add_option("--known-hosts", a->target.known_hosts, "known_hosts file to check the host key against");
    c->add_option("--model", a->model, "Model file (.tmn) to benchmark");
    c->add_option("--bench", a->bench,
                  "Bench binary built for the device (default: tinym2net-bench beside tinym2net)");
    c->add_option("--remote-dir", a->remote_dir, "Folder on the device for the copies")
        ->capture_default_str();
    c->add_option("--workspace", a->workspace, "Experiment store folder (default ~/.local/share/tinym2net)");
    c->add_option("--name", a->name, "Label for the run");
    c->add_flag("--json", a->json, "Print {run_id, device, host, bench}");
    c->callback([a] { runDeploy(*a); });
}

}  // namespace tm2::cli
