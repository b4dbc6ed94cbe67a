// The hostile-input corpus (tests/hostile/<case>/) run end to end: each case
// holds its input files and an `expect` file naming the command, the exit
// code and substrings stderr must contain. Whatever the input, the tools must
// exit cleanly: never an "internal error" (exit 2) or a signal. Cases under
// tests/hostile/pending/ are known failures being fixed elsewhere; they are
// skipped here and listed in tests/hostile/README.md.
//
// expect:  # comment
//          run: tinym2net power {case}/log.csv      (or tinym2net-bench …)
//          read: npy {case}/x.npy                   (a reader without a CLI verb: npy,
//                                                    idx-images, idx-labels; exit 1 = tm2::Error)
//          exit: 1
//          stderr: a substring                       (repeatable)
//          stdout: a substring                       (repeatable, optional)
//          limit-mb: 700                             (optional: address-space limit, via prlimit)
// {case} is a scratch copy of the case folder, {out} an empty scratch folder,
// {demo} a tiny demo dataset, {run} a run trained on it and {model} its int8
// export (made once, only for the cases that name them).

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "core/base/error.h"
#include "core/base/npy.h"
#include "core/data/idx_reader.h"
#include "tests/cli/tiny_demo_run.h"
#include "tests/support/run_command.h"
#include "tests/support/temp_dir.h"

namespace {

namespace fs = std::filesystem;
using tm2::testing::CommandResult;
using tm2::testing::runCommand;
using tm2::testing::TempDir;

struct Expectation {
    std::string name;
    std::vector<std::string> run;   // argv with placeholders
    std::vector<std::string> read;  // reader kind, file
    int exit_code = -1;
    std::vector<std::string> stderr_has;
    std::vector<std::string> stdout_has;
    int limit_mb = 0;
};

std::vector<std::string> words(const std::string& text) {
    std::istringstream in(text);
    std::vector<std::string> out;
    for (std::string w; in >> w;) out.push_back(w);
    return out;
}

Expectation readExpectation(const fs::path& dir) {
    Expectation e;
    e.name = dir.filename().string();
    std::ifstream in(dir / "expect");
    if (!in) throw tm2::Error((dir / "expect").string() + ": missing");
    for (std::string line; std::getline(in, line);) {
        if (line.empty() || line[0] == '#') continue;
        const auto colon = line.find(':');
        if (colon == std::string::npos) throw tm2::Error(e.name + "/expect: line without ':': " + line);
        const std::string key = line.substr(0, colon);
        std::string value = line.substr(colon + 1);
        value.erase(0, value.find_first_not_of(' '));
        if (key == "run")
            e.run = words(value);
        else if (key == "read")
            e.read = words(value);
        else if (key == "exit")
            e.exit_code = std::stoi(value);
        else if (key == "stderr")
            e.stderr_has.push_back(value);
        else if (key == "stdout")
            e.stdout_has.push_back(value);
        else if (key == "limit-mb")
            e.limit_mb = std::stoi(value);
        else
            throw tm2::Error(e.name + "/expect: unknown key '" + key + "'");
    }
    if (e.run.empty() == e.read.empty() || e.exit_code < 0)
        throw tm2::Error(e.name + "/expect: needs one of run:/read: and exit:");
    return e;
}

// TM2_HOSTILE_ONLY=text runs only the cases whose name contains it (while writing one).
std::vector<Expectation> activeCases() {
    const char* only = std::getenv("TM2_HOSTILE_ONLY");
    std::vector<Expectation> cases;
    for (const auto& entry : fs::directory_iterator(fs::path(TM2_SOURCE_DIR) / "tests" / "hostile"))
        if (entry.is_directory() && entry.path().filename() != "pending" &&
            (!only || entry.path().filename().string().find(only) != std::string::npos))
            cases.push_back(readExpectation(entry.path()));
    std::sort(cases.begin(), cases.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
    return cases;
}

bool needsTrainedRun(const Expectation& e) {
    for (const auto& w : e.run)
        for (const char* shared : {"{demo}", "{run}", "{model}"})
            if (w.find(shared) != std::string::npos) return true;
    return false;
}

std::string substitute(std::string word, const std::map<std::string, std::string>& values) {
    for (const auto& [key, value] : values)
        for (std::size_t at; (at = word.find(key)) != std::string::npos;) word.replace(at, key.size(), value);
    return word;
}

// A reader with no CLI verb, run in this process: exit 0 when it reads the file,
// 1 with the message when it throws tm2::Error (anything else escapes and fails the test).
CommandResult readDirectly(const std::string& kind, const std::string& path) {
    CommandResult r;
    try {
        if (kind == "npy")
            (void)tm2::readNpy(path);
        else if (kind == "idx-images")
            (void)tm2::data::readIdxImages(path);
        else if (kind == "idx-labels")
            (void)tm2::data::readIdxLabels(path);
        else
            throw std::invalid_argument("unknown reader kind " + kind);
        r.exit_code = 0;
    } catch (const tm2::Error& e) {
        r.exit_code = 1;
        r.err = e.what();
    }
    return r;
}

void runCase(const Expectation& e, const std::map<std::string, std::string>& shared) {
    SCOPED_TRACE("tests/hostile/" + e.name);
    TempDir scratch;
    const fs::path source = fs::path(TM2_SOURCE_DIR) / "tests" / "hostile" / e.name;
    fs::copy(source, scratch.path() / "case", fs::copy_options::recursive);
    fs::create_directories(scratch.path() / "out");
    std::map<std::string, std::string> values = shared;
    values["{case}"] = scratch.file("case");
    values["{out}"] = scratch.file("out");
    CommandResult r;
    if (!e.read.empty()) {
        ASSERT_EQ(e.read.size(), 2u) << "read: KIND FILE";
        r = readDirectly(e.read[0], substitute(e.read[1], values));
    } else {
        std::vector<std::string> argv;
        for (const auto& w : e.run) argv.push_back(substitute(w, values));
        if (argv[0] == "tinym2net")
            argv[0] = TM2_CLI_PATH;
        else if (argv[0] == "tinym2net-bench")
            argv[0] = TM2_BENCH_PATH;
        else
            FAIL() << "run: must start with tinym2net or tinym2net-bench";
        if (e.limit_mb > 0)  // an address-space limit: memory a hostile file may make the tool take
            argv.insert(argv.begin(),
                        {"prlimit", "--as=" + std::to_string(std::int64_t{e.limit_mb} << 20), "--"});
        r = runCommand(argv);
    }
    EXPECT_EQ(r.exit_code, e.exit_code) << "stderr: " << r.err;
    EXPECT_NE(r.exit_code, 2) << "internal error: " << r.err;
    EXPECT_LT(r.exit_code, 128) << "killed by signal " << r.exit_code - 128 << ": " << r.err;
    EXPECT_EQ(r.err.find("internal error"), std::string::npos) << r.err;
    for (const auto& part : e.stderr_has)
        EXPECT_NE(r.err.find(part), std::string::npos) << "'" << part << "' not in: " << r.err;
    for (const auto& part : e.stdout_has)
        EXPECT_NE(r.out.find(part), std::string::npos) << "'" << part << "' not in stdout: " << r.out;
}

TEST(HostileCorpus, EveryCaseExitsCleanlyWithItsMessage) {
    const auto cases = activeCases();
    ASSERT_FALSE(cases.empty());
    for (const auto& e : cases)
        if (!needsTrainedRun(e)) runCase(e, {});
}

TEST(HostileCorpus, CasesAgainstATrainedRunExitCleanlyWithTheirMessage) {
    std::vector<Expectation> cases;
    for (auto& e : activeCases())
        if (needsTrainedRun(e)) cases.push_back(std::move(e));
    if (cases.empty()) GTEST_SKIP() << "no case names {demo}, {run} or {model}";
    TempDir dir;
    ASSERT_NO_FATAL_FAILURE(tm2::testing::exportTinyInt8Model(dir, "model.tmn"));
    const std::map<std::string, std::string> shared{
        {"{demo}", dir.file("demo")}, {"{run}", dir.file("run")}, {"{model}", dir.file("model.tmn")}};
    for (const auto& e : cases) runCase(e, shared);
}

TEST(HostileCorpus, PendingCasesAreWellFormedAndNotRun) {
    const fs::path pending = fs::path(TM2_SOURCE_DIR) / "tests" / "hostile" / "pending";
    if (!fs::exists(pending)) GTEST_SKIP();
    for (const auto& entry : fs::directory_iterator(pending))
        if (entry.is_directory()) {
            EXPECT_NO_THROW(readExpectation(entry.path())) << entry.path();
        }
}

}  // namespace
