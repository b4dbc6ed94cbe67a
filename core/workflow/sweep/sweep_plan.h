#pragma once
// The trials a sweep file describes, in a fixed order: a grid varies the last
// axis fastest (nested loops in the file's order); a random search draws each
// axis independently from a seeded generator, so the same file always plans the
// same trials on any machine (no std:: distributions: their output differs
// between standard libraries).

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/workflow/sweep/sweep_file.h"

namespace tm2::sweep {

struct Trial {
    int index = 0;
    nlohmann::json values = nlohmann::json::object();  // axis param → value
};

std::vector<Trial> planTrials(const SweepFile& sweep);

// What one trial runs: the base with its axis values applied.
struct TrialSettings {
    std::string data, spec, preset;
    nlohmann::json train = nlohmann::json::object();
    bool quantize = false;
    nlohmann::json quantize_options = nlohmann::json::object();
    std::string fusion;                                // empty: the spec's own
    std::map<std::string, std::vector<int>> channels;  // branch → conv out_channels
};
TrialSettings resolveTrial(const SweepFile& sweep, const Trial& trial);

// "trial-0007": the trial's folder under the sweep folder.
std::string trialFolderName(int index);

// Trials that differ only in "seed" share this key (the values without the seed).
std::string seedGroupKey(const nlohmann::json& values);

// "lr=0.001 seed=2" in axis order, for listings.
std::string describeValues(const SweepFile& sweep, const nlohmann::json& values);

}  // namespace tm2::sweep
