#include "core/workflow/device_deploy.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>

#include "core/base/error.h"
#include "core/experiment/experiment_store.h"
#include "tests/support/temp_dir.h"

namespace tm2::workflow {
namespace {

// A loopback port nobody listens on (bound, read, closed).
int closedPort() {
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    socklen_t len = sizeof addr;
    getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
    close(fd);
    return ntohs(addr.sin_port);
}

// The successful path runs against a real sshd in tests/cli/deploy_command_test.cpp.
TEST(DeployAndRecord, AnUnreachableHostFailsWithSshsMessageAndAFailedRun) {
    if (!std::filesystem::exists("/usr/bin/ssh")) GTEST_SKIP() << "ssh not installed";
    testing::TempDir dir;
    DeployRequest r;
    r.target.destination = "nobody@127.0.0.1";
    r.target.port = closedPort();
    r.target.known_hosts = dir.file("known_hosts");
    r.target.connect_timeout_s = 5;
    r.bench = "/bin/true";
    r.workspace = dir.file("ws");
    r.name = "pi";
    std::string stage;
    try {
        deployAndRecord(r, [&](const Progress& p) {
            stage = p.stage;
            return true;
        });
        FAIL() << "no error";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("127.0.0.1"), std::string::npos) << e.what();
    }
    EXPECT_EQ(stage, "connect");
    experiment::ExperimentStore store(r.workspace);
    const auto runs = store.listRuns("deploy");
    ASSERT_EQ(runs.size(), 1u);
    EXPECT_EQ(runs[0].status, "failed");
    EXPECT_EQ(runs[0].name, "pi");
    EXPECT_EQ(runs[0].params["port"].get<int>(), r.target.port);
    EXPECT_FALSE(runs[0].error.empty());
}

TEST(DefaultBenchPath, IsBesideTheRunningProgram) {
    const std::filesystem::path p = defaultBenchPath();
    EXPECT_EQ(p.filename(), "tinym2net-bench");
    EXPECT_EQ(p.parent_path(), std::filesystem::read_symlink("/proc/self/exe").parent_path());
}

}  // namespace
}  // namespace tm2::workflow
