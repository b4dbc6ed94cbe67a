#pragma once
// The CLI tests' common start: a tiny image-audio demo dataset made by
// `tinym2net data make-demo` into DIR/demo (4 samples per class, 8 speakers)
// and a run trained on it into DIR/run (batch 8, 1 thread, feature cache
// DIR/cache, experiment store DIR/<workspace>). 8 speakers leave no group for
// validation, so it trains with --val 0 (no validation, on purpose). Call it under
// ASSERT_NO_FATAL_FAILURE (both helpers).

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/support/run_command.h"
#include "tests/support/temp_dir.h"

namespace tm2::testing {

// The tiny image-audio demo dataset alone, in DIR/demo.
inline void makeTinyDemo(const TempDir& dir) {
    const auto r = runCommand(cli({"data", "make-demo", "--kind", "image-audio", "--out", dir.file("demo"),
                                   "--samples-per-class", "4", "--speakers", "8", "--quiet"}));
    ASSERT_EQ(r.exit_code, 0) << r.err;
}

// `tinym2net COMMAND` on DIR/demo with the tiny budget (one epoch, batch 8, 1 thread,
// no validation, the test's cache and store, quiet JSON), output OUT, then `extra`.
inline std::vector<std::string> tinyDemoCommand(const TempDir& dir, const std::string& command,
                                                const std::string& out, const std::vector<std::string>& extra) {
    std::vector<std::string> args{command,      "--data",    dir.file("demo"), "--out",       dir.file(out),
                                  "--epochs",   "1",         "--val",          "0",           "--batch-size",
                                  "8",          "--threads", "1",              "--cache-dir", dir.file("cache"),
                                  "--workspace", dir.file("ws"), "--json",     "--quiet"};
    args.insert(args.end(), extra.begin(), extra.end());
    return cli(args);
}

inline void trainTinyDemoRun(const TempDir& dir, int epochs, const std::string& workspace = "ws") {
    ASSERT_NO_FATAL_FAILURE(makeTinyDemo(dir));
    const auto r =
        runCommand(cli({"train", "--data", dir.file("demo"), "--out", dir.file("run"), "--workspace",
                        dir.file(workspace), "--cache-dir", dir.file("cache"), "--threads", "1",
                        "--batch-size", "8", "--val", "0", "--epochs", std::to_string(epochs), "--quiet"}));
    ASSERT_EQ(r.exit_code, 0) << r.err;
}

// trainTinyDemoRun (one epoch), then `tinym2net export --mode int8` to DIR/<model>.
inline void exportTinyInt8Model(const TempDir& dir, const std::string& model,
                                const std::string& workspace = "ws") {
    ASSERT_NO_FATAL_FAILURE(trainTinyDemoRun(dir, 1, workspace));
    const auto r = runCommand(
        cli({"export", "--run", dir.file("run"), "--mode", "int8", "--out", dir.file(model), "--json"}));
    ASSERT_EQ(r.exit_code, 0) << r.err;
}

}  // namespace tm2::testing
