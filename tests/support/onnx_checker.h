#pragma once
// Debian's python3-onnx (1.12) as the independent judge of exported ONNX files:
// its full checker (with shape inference), a dump of chosen initializers, and a NumPy
// run of the operators (onnx_numpy_eval.py) for the QDQ form, which OpenCV 4.6 cannot run.
// Tests GTEST_SKIP when /usr/bin/python3 cannot import onnx (package absent).

#include <string>
#include <vector>

#include "tests/support/run_command.h"

namespace tm2::testing {

inline const char* kSystemPython = "/usr/bin/python3";

inline bool pythonOnnxAvailable() { return runCommand({kSystemPython, "-c", "import onnx"}).exit_code == 0; }

// onnx.checker.check_model(onnx.load(path), full_check=True); exit code 0 when it passes.
inline CommandResult checkOnnxModel(const std::string& path) {
    return runCommand({kSystemPython, "-c",
                       "import sys, onnx; onnx.checker.check_model(onnx.load(sys.argv[1]), full_check=True)",
                       path});
}

// JSON {name: {"dims": [...], "values": [...]}} of every initializer whose name ends with `suffix`.
inline CommandResult dumpOnnxInitializers(const std::string& path, const std::string& suffix) {
    return runCommand(
        {kSystemPython, "-c",
         "import sys, json, onnx\n"
         "from onnx import numpy_helper\n"
         "m = onnx.load(sys.argv[1])\n"
         "print(json.dumps({t.name: {'dims': list(t.dims), 'values': numpy_helper.to_array(t).ravel()"
         ".tolist()} for t in m.graph.initializer if t.name.endswith(sys.argv[2])}))",
         path, suffix});
}

// tests/support/onnx_numpy_eval.py: both files on the same seeded inputs, run by a NumPy
// interpreter of the ONNX operators; JSON {max_abs, max_logit, argmax_agreement} on stdout.
inline CommandResult compareOnnxModelsInNumpy(const std::string& a, const std::string& b) {
    return runCommand(
        {kSystemPython, std::string(TM2_SOURCE_DIR) + "/tests/support/onnx_numpy_eval.py", a, b});
}

}  // namespace tm2::testing
