#pragma once
// The plans a run folder holds, side by side: every quantize result written
// there (RUN/quant-int8.json, quant-int4.json, quant-mp.json, the applied
// plans quant-mp-live-N.json, …) with the figures a user compares them by.
// Reads JSON only: no LibTorch, so the GUI can list plans on its thread.

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace tm2::workflow {

struct RunPlan {
    std::string name;                        // the file's stem: "quant-mp-live-2"
    std::string path;                        // absolute
    std::string mode;                        // int8 | int4 | mp
    double accuracy = 0;                     // test split, fake-quant
    std::optional<double> integer_accuracy;  // test split, integer-exact (when measured)
    double model_bytes = 0;
    double bops = 0;
    std::map<std::string, int> bits;  // layer → bits
    std::string created;              // the file's last write, ISO 8601 UTC ("2026-12-07T02:40:11Z")
};

struct RunPlans {
    std::vector<RunPlan> plans;         // oldest first (name breaks ties)
    std::vector<std::string> problems;  // plan files that could not be read, each naming file and cause
};

// Every RUN/quant-*.json that is a quantize result (it has "accuracy"); a bits-only
// plan (quant-mp-live-bits.json, the input of Apply plan) is not one and is left out.
// An unreadable plan is named in `problems` and the others are still listed.
RunPlans listRunPlans(const std::string& run_dir);

}  // namespace tm2::workflow
