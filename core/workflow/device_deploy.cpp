#include "core/workflow/device_deploy.h"

#include <filesystem>

#include "core/base/error.h"
#include "core/base/json_file.h"
#include "core/experiment/experiment_store.h"
#include "core/workflow/training_session.h"

namespace tm2::workflow {

namespace {

namespace fs = std::filesystem;

std::string requireFile(const std::string& path, const char* what) {
    std::error_code ec;
    if (!fs::is_regular_file(path, ec)) throw Error(std::string(what) + " '" + path + "': no such file");
    return fs::absolute(path).string();
}

// Shared libraries beside the bench (the aarch64 build puts libkissfft-float there;
// the bench finds them through its $ORIGIN rpath).
std::vector<std::string> librariesBeside(const std::string& bench) {
    std::vector<std::string> libs;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(fs::path(bench).parent_path(), ec)) {
        const std::string name = entry.path().filename().string();
        if (entry.is_regular_file(ec) && name.rfind("lib", 0) == 0 && name.find(".so") != std::string::npos)
            libs.push_back(entry.path().string());
    }
    return libs;
}

nlohmann::json deploy(const DeployRequest& a, experiment::ExperimentStore& store, const std::string& run_id,
                      const ProgressCallback& progress) {
    const device::RemoteRunner remote(a.target);
    // `uname` first: it is the cheapest proof that the host is reachable and trusted.
    reportProgress(progress, {"connect", 0, 3, a.target.destination});
    std::string device_name = remote.run({"uname", "-n", "-m"});
    while (!device_name.empty() && (device_name.back() == '\n' || device_name.back() == '\r'))
        device_name.pop_back();
    remote.run({"mkdir", "-p", a.remote_dir});
    std::vector<std::string> files{requireFile(a.bench.empty() ? defaultBenchPath() : a.bench, "bench")};
    if (!a.model.empty()) files.push_back(requireFile(a.model, "model"));
    reportProgress(progress, {"copy", 1, 3, device_name});
    std::vector<std::string> copies = files;
    for (const auto& lib : librariesBeside(files[0])) copies.push_back(lib);
    remote.copy(copies, a.remote_dir);

    std::vector<std::string> command{a.remote_dir + "/" + fs::path(files[0]).filename().string()};
    if (!a.model.empty()) command.push_back(a.remote_dir + "/" + fs::path(files[1]).filename().string());
    command.push_back("--json");
    reportProgress(progress, {"bench", 2, 3, device_name});
    const std::string out = remote.run(command);
    const nlohmann::json bench = parseJsonText(
        out, "remote bench output on " + a.target.destination + " ('" + out.substr(0, 200) + "')");
    nlohmann::json result{{"device", device_name}, {"host", a.target.destination}, {"bench", bench}};
    if (!a.model.empty()) store.addArtifact(run_id, "model", files[1]);
    reportProgress(progress, {"bench", 3, 3, device_name});
    return result;
}

}  // namespace

std::string defaultBenchPath() {
    std::error_code ec;
    const fs::path self = fs::read_symlink("/proc/self/exe", ec);
    return ec ? std::string("tinym2net-bench") : (self.parent_path() / "tinym2net-bench").string();
}

nlohmann::json deployAndRecord(const DeployRequest& a, const ProgressCallback& progress) {
    experiment::ExperimentStore store(workspaceOrDefault(a.workspace));
    const nlohmann::json params{{"host", a.target.destination},
                                {"port", a.target.port},
                                {"model", a.model},
                                {"bench", a.bench},
                                {"remote_dir", a.remote_dir}};
    const std::string run_id = store.createRun("deploy", a.name, nullptr, params, "");
    nlohmann::json result;
    try {
        result = deploy(a, store, run_id, progress);
    } catch (const Cancelled&) {
        store.failRun(run_id, "cancelled", "cancelled");
        throw;
    } catch (const Error& e) {
        store.failRun(run_id, "failed", e.what());
        throw;
    }
    store.finishRun(run_id, result);
    result["run_id"] = run_id;
    return result;
}

}  // namespace tm2::workflow
