// End-to-end: `tinym2net deploy` against a real sshd on 127.0.0.1, started
// here with throw-away host and user keys, and stopped when the test ends.

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <pwd.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "tests/cli/tiny_demo_run.h"
#include "tests/support/run_command.h"
#include "tests/support/temp_dir.h"

extern char** environ;

namespace {

namespace fs = std::filesystem;
using tm2::testing::cli;
using tm2::testing::runCommand;
using tm2::testing::TempDir;

constexpr const char* kSshd = "/usr/sbin/sshd";

std::string readText(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

int freePort() {
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    socklen_t len = sizeof addr;
    getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
    close(fd);
    return ntohs(addr.sin_port);
}

bool accepts(int port) {
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons(static_cast<uint16_t>(port));
    const bool ok = connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
    close(fd);
    return ok;
}

void keygen(const std::string& path) {
    const auto r = runCommand({"/usr/bin/ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", path});
    ASSERT_EQ(r.exit_code, 0) << r.err;
}

// sshd in the foreground (-D) on a free loopback port, logging in only this
// user with the test's key; killed in the destructor whatever happened.
class LoopbackSshd {
public:
    explicit LoopbackSshd(const TempDir& dir) : dir_(dir), port_(freePort()) {
        keygen(dir.file("host_key"));
        keygen(dir.file("user_key"));
        fs::copy_file(dir.file("user_key.pub"), dir.file("authorized_keys"));
        std::ofstream(dir.file("known_hosts"))
            << "[127.0.0.1]:" << port_ << " " << readText(dir.file("host_key.pub"));
        std::ofstream(dir.file("sshd_config"))
            << "Port " << port_ << "\nListenAddress 127.0.0.1\nHostKey " << dir.file("host_key")
            << "\nAuthorizedKeysFile " << dir.file("authorized_keys") << "\nPidFile "
            << dir.file("sshd.pid")
            // The TempDir's modes are not sshd's business; root may log in only by key.
            << "\nStrictModes no\nUsePAM no\nPasswordAuthentication no\nKbdInteractiveAuthentication no\n"
               "PubkeyAuthentication yes\nPermitRootLogin prohibit-password\nLogLevel ERROR\n"
               "Subsystem sftp /usr/lib/openssh/sftp-server\n";
        // As root sshd insists on its privilege-separation folder, which a container may lack.
        if (getuid() == 0) mkdir("/run/sshd", 0755);
        std::vector<std::string> argv{
            kSshd, "-D", "-e", "-f", dir.file("sshd_config"), "-E", dir.file("sshd.log")};
        std::vector<char*> args;
        for (auto& a : argv) args.push_back(a.data());
        args.push_back(nullptr);
        if (posix_spawn(&pid_, kSshd, nullptr, nullptr, args.data(), environ) != 0) pid_ = 0;
        for (int i = 0; i < 100 && pid_ > 0 && !accepts(port_); ++i)
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    ~LoopbackSshd() {
        if (pid_ > 0) {
            kill(pid_, SIGTERM);
            int status = 0;
            waitpid(pid_, &status, 0);
        }
    }
    bool ready() const { return pid_ > 0 && accepts(port_); }
    std::string log() const { return readText(dir_.file("sshd.log")); }
    int port() const { return port_; }

    // deploy's connection options for this server.
    std::vector<std::string> options() const {
        return {"--host",        std::string(getpwuid(getuid())->pw_name) + "@127.0.0.1",
                "--port",        std::to_string(port_),
                "--identity",    dir_.file("user_key"),
                "--known-hosts", dir_.file("known_hosts")};
    }

private:
    const TempDir& dir_;
    int port_;
    pid_t pid_ = 0;
};

std::vector<std::string> deployArgs(const LoopbackSshd& sshd, const TempDir& dir,
                                    std::vector<std::string> extra) {
    std::vector<std::string> a{"deploy"};
    const auto o = sshd.options();
    a.insert(a.end(), o.begin(), o.end());
    a.insert(a.end(), {"--workspace", dir.file("ws"), "--remote-dir", dir.file("remote")});
    a.insert(a.end(), extra.begin(), extra.end());
    return cli(a);
}

// The run store's file after tinym2net closed it (its WAL is checkpointed then).
// tm2_cli_tests does not link tm2_experiment, so the test looks for the
// stored text in SQLite's pages, where short TEXT values sit uncompressed.
std::string storedBytes(const TempDir& dir) {
    return readText(dir.file("ws/experiments.sqlite")) + readText(dir.file("ws/experiments.sqlite-wal"));
}

class DeployCli : public ::testing::Test {
protected:
    void SetUp() override {
        if (!fs::exists(kSshd))
            GTEST_SKIP() << kSshd << " not installed (scripts/deps.txt lists openssh-server)";
        sshd_ = std::make_unique<LoopbackSshd>(dir_);
        ASSERT_TRUE(sshd_->ready()) << "sshd did not start: " << sshd_->log();
    }
    TempDir dir_;
    std::unique_ptr<LoopbackSshd> sshd_;
};

TEST_F(DeployCli, CopiesBenchAndModelRunsThemAndStoresTheResultWithTheDeviceName) {
    ASSERT_NO_FATAL_FAILURE(tm2::testing::exportTinyInt8Model(dir_, "model.tmn", "train-ws"));
    const auto r = runCommand(
        deployArgs(*sshd_, dir_, {"--bench", TM2_BENCH_PATH, "--model", dir_.file("model.tmn"), "--json"}));
    ASSERT_EQ(r.exit_code, 0) << r.err << sshd_->log();
    const auto j = nlohmann::json::parse(r.out);
    EXPECT_GT(j["bench"]["p50_us"].get<double>(), 0.0);
    EXPECT_EQ(j["bench"]["model_bytes"].get<std::uintmax_t>(), fs::file_size(dir_.file("model.tmn")));
    const auto uname = runCommand({"/bin/uname", "-n", "-m"}).out;
    EXPECT_EQ(j["device"].get<std::string>() + "\n", uname);
    EXPECT_TRUE(fs::exists(dir_.path() / "remote" / "model.tmn"));

    const std::string db = storedBytes(dir_);
    EXPECT_NE(db.find(j["run_id"].get<std::string>()), std::string::npos);
    EXPECT_NE(db.find("finished"), std::string::npos);
    EXPECT_NE(db.find("\"p50_us\":" + j["bench"]["p50_us"].dump()), std::string::npos);
    EXPECT_NE(db.find(j["device"].get<std::string>()), std::string::npos);
}

TEST_F(DeployCli, ShipsTheSharedLibrariesBesideTheBench) {
    // The aarch64 build puts libkissfft-float.so.* beside the bench ($ORIGIN rpath).
    const fs::path bench_dir = dir_.path() / "aarch64";
    fs::create_directories(bench_dir);
    fs::copy_file(TM2_BENCH_PATH, bench_dir / "tinym2net-bench");
    fs::permissions(bench_dir / "tinym2net-bench", fs::perms::owner_all);
    tm2::testing::writeTextFile(bench_dir / "libkissfft-float.so.131", "not really a library");
    tm2::testing::writeTextFile(bench_dir / "notes.txt", "not shipped");
    ASSERT_NO_FATAL_FAILURE(tm2::testing::exportTinyInt8Model(dir_, "model.tmn", "train-ws"));
    const auto r = runCommand(deployArgs(
        *sshd_, dir_, {"--bench", (bench_dir / "tinym2net-bench").string(), "--model", dir_.file("model.tmn")}));
    ASSERT_EQ(r.exit_code, 0) << r.err << sshd_->log();
    EXPECT_EQ(tm2::testing::readFileBytes(dir_.path() / "remote" / "libkissfft-float.so.131"), "not really a library");
    EXPECT_FALSE(fs::exists(dir_.path() / "remote" / "notes.txt"));
}

TEST_F(DeployCli, ReportsTheRemoteErrorWhenTheBenchFails) {
    tm2::testing::writeTextFile(dir_.path() / "bad.tmn", "TM2N garbage");  // the remote bench rejects it
    const auto r =
        runCommand(deployArgs(*sshd_, dir_, {"--bench", TM2_BENCH_PATH, "--model", dir_.file("bad.tmn")}));
    EXPECT_EQ(r.exit_code, 1);
    // The remote bench's own message (naming the copied file) comes back through ssh.
    EXPECT_NE(r.err.find("remote/bad.tmn"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("failed (exit 1)"), std::string::npos) << r.err;
    const std::string db = storedBytes(dir_);
    EXPECT_NE(db.find("failed"), std::string::npos);
    EXPECT_NE(db.find("remote/bad.tmn"), std::string::npos);
}

TEST_F(DeployCli, RefusesAHostWhoseKeyIsNotKnown) {
    std::ofstream(dir_.file("known_hosts"), std::ios::trunc);  // the server's key is no longer trusted
    const auto r = runCommand(deployArgs(*sshd_, dir_, {"--bench", TM2_BENCH_PATH}));
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("Host key verification failed"), std::string::npos) << r.err;
}

TEST_F(DeployCli, ReportsWhyAnUnreachableHostFailed) {
    auto args = deployArgs(*sshd_, dir_, {"--bench", TM2_BENCH_PATH});
    const auto port = std::find(args.begin(), args.end(), "--port");
    ASSERT_NE(port, args.end());
    *(port + 1) = std::to_string(freePort());  // nothing listens there
    const auto r = runCommand(args);
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("Connection refused"), std::string::npos) << r.err;
}

}  // namespace
