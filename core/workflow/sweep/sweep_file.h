#pragma once
// SWEEP.json: a base (dataset, spec or preset, training options, optional
// quantization) and axes over its settings, searched as a grid or by seeded
// random sampling. Read in one place; every error names the file and the field
// ("SWEEP.json: axes[1].values[0]: expected a number > 0, got \"fast\"").
// No LibTorch, no Qt: the CLI, the GUI and the fuzzer read it alike.
//
// {
//   "name": "tiny",
//   "base": {"data": "demo", "preset": "tinym2net-image-audio" | "spec": "spec.json",
//            "train": {"epochs": 1, "batch_size": 8, "val": 0, "threads": 1, …},
//            "quantize": {"mode": "mp", "alpha": 0.5, …}},
//   "axes": [{"param": "seed", "values": [1, 2]}, {"param": "lr", "range": [1e-4, 1e-2], "scale": "log"}],
//   "search": {"kind": "grid"} | {"kind": "random", "samples": 8, "seed": 3},
//   "slurm": {"partition": "gpu", "account": "lab", "time": "00:30:00", "mem": "4G",
//             "cpus_per_task": 2, "max_parallel": 8, "extra": ["--qos=short"]}
// }
// Paths are relative to the sweep file's folder.

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace tm2::sweep {

struct SweepAxis {
    std::string param;  // see sweep_params.h: "lr", "seed", "fusion", "channels.audio", "quantize.alpha"
    std::vector<nlohmann::json> values;  // the choices (grid: every one; random: drawn uniformly)
    // Random search only: a range instead of values (integer params are rounded).
    bool has_range = false;
    double min = 0, max = 0;
    bool log_scale = false;
};

struct SlurmOptions {
    std::string partition, account, time, mem;  // empty: the cluster's default
    int cpus_per_task = 0;                      // 0: the cluster's default
    int max_parallel = 0;                       // the %K of --array=0-N%K; 0: no limit
    std::vector<std::string> extra;             // more sbatch options, verbatim ("--qos=short")
};

struct SweepFile {
    std::string path;  // the file (absolute), or the origin text when parsed from memory
    std::string name;
    std::string data;    // dataset folder or manifest (absolute)
    std::string spec;    // ModelSpec JSON (absolute) or empty
    std::string preset;  // embedded preset name or empty (neither: the dataset's default preset)
    nlohmann::json train = nlohmann::json::object();  // training keys (sweep_params.h), validated
    bool quantize = false;                            // each trial also quantizes its run
    nlohmann::json quantize_options = nlohmann::json::object();
    std::vector<SweepAxis> axes;
    bool random = false;  // grid otherwise
    int samples = 0;      // random: trials drawn
    std::uint64_t random_seed = 1;
    SlurmOptions slurm;
};

// Most trials a sweep may plan (a typo'd grid should not plan millions).
constexpr std::size_t kMaxTrials = 100000;

// `origin` names the source in errors; relative paths are resolved against `base_dir`.
SweepFile parseSweep(const nlohmann::json& j, const std::string& origin, const std::string& base_dir);
// Reads PATH with tm2::readJsonFile and parses it.
SweepFile readSweepFile(const std::string& path);

}  // namespace tm2::sweep
